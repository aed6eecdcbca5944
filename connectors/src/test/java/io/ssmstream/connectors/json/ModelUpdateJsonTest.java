package io.ssmstream.connectors.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.event.ModelUpdate;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ModelUpdateJsonTest {
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String CONFIG = "{\"arch\":\"mamba\",\"d_input\":1,\"d_model\":16}";

    @Test
    void roundTripsEveryField() {
        ModelUpdate u = new ModelUpdate("default", "v2", "file:///models/v2.safetensors", SHA, CONFIG, 1_700_000_000_000L);
        assertEquals(u, ModelUpdateJson.parse(ModelUpdateJson.toBytes(u)));
    }

    @Test
    void configIsEmbeddedAsAnObjectNotAString() {
        ModelUpdate u = new ModelUpdate("default", "v2", "/m.safetensors", SHA, CONFIG, 1L);
        String json = new String(ModelUpdateJson.toBytes(u), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"config\":{\"arch\":\"mamba\""), json);
    }

    @Test
    void upperCaseChecksumIsNormalised() {
        String json = "{\"model\":\"m\",\"version\":\"v\",\"uri\":\"/x\",\"sha256\":\"" + SHA.toUpperCase()
                + "\",\"config\":{},\"published_at\":5}";
        assertEquals(SHA, ModelUpdateJson.parse(json).sha256);
    }

    @Test
    void missingFieldIsNamed() {
        String json = "{\"model\":\"m\",\"version\":\"v\",\"sha256\":\"" + SHA + "\",\"config\":{},\"published_at\":5}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelUpdateJson.parse(json));
        assertEquals("missing \"uri\"", e.getMessage());
    }

    @Test
    void shortChecksumIsRejected() {
        String json = "{\"model\":\"m\",\"version\":\"v\",\"uri\":\"/x\",\"sha256\":\"abc\",\"config\":{},\"published_at\":5}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelUpdateJson.parse(json));
        assertTrue(e.getMessage().contains("64 hex digits"), e.getMessage());
    }

    @Test
    void configThatIsNotAnObjectIsRejected() {
        String json = "{\"model\":\"m\",\"version\":\"v\",\"uri\":\"/x\",\"sha256\":\"" + SHA
                + "\",\"config\":\"mamba\",\"published_at\":5}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelUpdateJson.parse(json));
        assertTrue(e.getMessage().contains("\"config\" must be a JSON object"), e.getMessage());
    }

    @Test
    void malformedJsonIsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> ModelUpdateJson.parse("{not json"));
    }
}
