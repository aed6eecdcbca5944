package io.ssmstream.connectors.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.DeadLetterReason;
import io.ssmstream.connectors.event.EventParser;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeadLetterJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static DeadLetter sample() {
        return new DeadLetter(DeadLetterReason.WRONG_VALUE_COUNT, "expected 3 values, got 2", "sensors", 4, 17L,
                "pump-7", utf8("pump-7"), utf8("{\"ts\":1,\"values\":[1,2],\"note\":\"é\"}"));
    }

    @Test
    void writesTheDocumentedFields() throws Exception {
        JsonNode n = JSON.readTree(DeadLetterJson.toBytes(sample()));
        assertEquals("wrong_value_count", n.get("reason").textValue());
        assertEquals("expected 3 values, got 2", n.get("detail").textValue());
        assertEquals("sensors", n.get("topic").textValue());
        assertEquals(4, n.get("partition").intValue());
        assertEquals(17L, n.get("offset").longValue());
        assertEquals("pump-7", n.get("stream").textValue());
        assertEquals(Base64.getEncoder().encodeToString(utf8("pump-7")), n.get("key_base64").textValue());
        assertArrayEquals(sample().value, Base64.getDecoder().decode(n.get("value_base64").textValue()));
        assertEquals("{\"ts\":1,\"values\":[1,2],\"note\":\"é\"}", n.get("value").textValue());
        assertEquals(9, n.size());
    }

    @Test
    void fieldOrderIsStable() {
        String json = DeadLetterJson.toJson(sample());
        String[] order = {"reason", "detail", "topic", "partition", "offset", "stream", "key_base64",
            "value_base64", "value"};
        int last = -1;
        for (String field : order) {
            int at = json.indexOf("\"" + field + "\":");
            assertTrue(at > last, field + " out of order in " + json);
            last = at;
        }
    }

    @Test
    void roundTrips() {
        assertEquals(sample(), DeadLetterJson.parse(DeadLetterJson.toBytes(sample())));
    }

    @ParameterizedTest
    @EnumSource(DeadLetterReason.class)
    void everyReasonRoundTripsByItsCode(DeadLetterReason reason) {
        DeadLetter d = new DeadLetter(reason, "d", "t", 0, 0L, null, null, null);
        assertTrue(DeadLetterJson.toJson(d).contains("\"reason\":\"" + reason.code() + "\""));
        assertEquals(d, DeadLetterJson.parse(DeadLetterJson.toBytes(d)));
    }

    @Test
    void aNonUtf8ValueHasANullTextButKeepsItsBytes() throws Exception {
        byte[] value = {'{', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '}'};
        byte[] key = {(byte) 0x80, 1, 2};
        DeadLetter d = new DeadLetter(DeadLetterReason.MALFORMED_JSON, "bad bytes", "t", 1, 2L, null, key, value);
        JsonNode n = JSON.readTree(DeadLetterJson.toBytes(d));
        assertTrue(n.get("value").isNull(), n.toString());
        assertTrue(n.get("stream").isNull(), n.toString());
        DeadLetter back = DeadLetterJson.parse(DeadLetterJson.toBytes(d));
        assertArrayEquals(value, back.value);
        assertArrayEquals(key, back.key);
        assertEquals(d, back);
    }

    @Test
    void anOverlongOrSurrogateEncodingIsNotValidUtf8() {
        assertEquals(null, DeadLetterJson.utf8OrNull(new byte[] {(byte) 0xC0, (byte) 0x80}));
        assertEquals(null, DeadLetterJson.utf8OrNull(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
        assertEquals("", DeadLetterJson.utf8OrNull(new byte[0]));
        assertEquals("\uD83D\uDE00", DeadLetterJson.utf8OrNull(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98,
            (byte) 0x80}));
    }

    @Test
    void aDeadLetterFromTheParserRoundTripsWithItsOriginalRecord() {
        byte[] key = utf8("k");
        byte[] value = utf8("{\"ts\":\"never\",\"value\":1}");
        DeadLetter d = new EventParser(1).parse(key, value, "in", 3, 99L).deadLetter;
        DeadLetter back = DeadLetterJson.parse(DeadLetterJson.toJson(d));
        assertEquals(DeadLetterReason.BAD_TIMESTAMP, back.reason);
        assertEquals(d, back);
    }

    @Test
    void emptyKeyAndValueAreEmptyBase64() throws Exception {
        DeadLetter d = new DeadLetter(DeadLetterReason.MALFORMED_JSON, "x", "t", 0, 0L, null, null, null);
        JsonNode n = JSON.readTree(DeadLetterJson.toBytes(d));
        assertEquals("", n.get("key_base64").textValue());
        assertEquals("", n.get("value").textValue());
    }

    @Test
    void anUnknownReasonOrBadBase64IsRejectedNamingIt() {
        String json = DeadLetterJson.toJson(sample());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeadLetterJson.parse(json.replace("wrong_value_count", "cosmic_rays")));
        assertTrue(e.getMessage().contains("\"cosmic_rays\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DeadLetterJson.parse(json.replace("\"key_base64\":\"", "\"key_base64\":\"!!")));
        assertTrue(e.getMessage().contains("\"key_base64\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DeadLetterJson.parse(json.replace("\"reason\"", "\"why\"")));
        assertTrue(e.getMessage().contains("\"reason\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DeadLetterJson.parse(json.replace("\"partition\":4", "\"partition\":4294967296")));
        assertTrue(e.getMessage().contains("\"partition\""), e.getMessage());
    }
}
