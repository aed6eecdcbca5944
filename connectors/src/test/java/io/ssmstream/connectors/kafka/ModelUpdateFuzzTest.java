package io.ssmstream.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.kernels.testing.Fuzz;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The model-update topic's deserializer over update records with fields valid, broken or missing, and over
 * random bytes: it never throws (a bad record is skipped and counted, the job keeps its model), and what it
 * returns is an update with every field the swap needs.
 */
class ModelUpdateFuzzTest {
    private static final String[] FIELDS = {"\"model\":\"default\"", "\"model\":\"\"", "\"model\":7",
        "\"version\":\"v2\"", "\"version\":null", "\"uri\":\"file:///models/default/v2.safetensors\"",
        "\"uri\":\"::bad uri\"", "\"uri\":\"\"", "\"sha256\":\"" + "ab".repeat(32) + "\"", "\"sha256\":\"xyz\"",
        "\"config\":{\"arch\":\"mamba\"}", "\"config\":\"x\"", "\"published_at\":\"2026-12-07T10:00:00Z\"",
        "\"published_at\":1765101600000", "\"published_at\":-1", "\"extra\":[1,2]"};

    private final ModelUpdateDeserializationSchema schema = new ModelUpdateDeserializationSchema();

    @Test
    void aBrokenUpdateRecordIsSkippedNeverThrownAndAnAcceptedOneIsComplete() {
        int[] accepted = {0};
        Fuzz.check(20261207, Fuzz.DEFAULT_TRIES, ModelUpdateFuzzTest::record, value -> {
            ModelUpdate u = schema.parse(new ConsumerRecord<>("model-updates", 0, 5,
                    "default".getBytes(StandardCharsets.UTF_8), value));
            if (u != null) {
                accepted[0]++;
                assertNotNull(u.modelName, "model");
                assertNotNull(u.version, "version");
                assertNotNull(u.uri, "uri");
                assertNotNull(u.sha256, "sha256");
            }
        });
        assertTrue(accepted[0] > 0, "some records were whole updates, and were accepted");
    }

    private static byte[] record(Random r) {
        if (r.nextInt(4) == 0) {
            byte[] b = new byte[r.nextInt(120)];
            r.nextBytes(b);
            return b;
        }
        List<String> fields = new ArrayList<>();
        if (r.nextBoolean()) {
            // a complete update, one field then replaced, dropped or doubled
            fields.addAll(List.of(FIELDS[0], FIELDS[3], FIELDS[5], FIELDS[8], FIELDS[10], FIELDS[13]));
            int at = r.nextInt(fields.size());
            switch (r.nextInt(4)) {
                case 0 -> fields.set(at, FIELDS[r.nextInt(FIELDS.length)]);
                case 1 -> fields.remove(at);
                case 2 -> fields.add(FIELDS[r.nextInt(FIELDS.length)]);
                default -> { } // left whole
            }
        } else {
            for (int i = r.nextInt(9); i > 0; i--) {
                fields.add(FIELDS[r.nextInt(FIELDS.length)]);
            }
        }
        return ("{" + String.join(",", fields) + "}").getBytes(StandardCharsets.UTF_8);
    }
}
