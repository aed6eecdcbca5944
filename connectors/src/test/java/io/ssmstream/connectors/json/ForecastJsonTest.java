package io.ssmstream.connectors.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmstream.connectors.event.ForecastRecord;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ForecastJsonTest {
    private static ForecastRecord sample() {
        return new ForecastRecord("pump-7", 1_700_000_000_123L, new float[] {0.1f, -2.5f, 3f},
                new float[] {1e-5f, 123456.79f, Float.MIN_VALUE}, new float[] {0.3f, 1f, 16777217f}, 0.125,
                "mamba-v3", 42L);
    }

    @Test
    void writesTheDocumentedFieldsInOrderWithFloatsAsJacksonWritesAFloat() {
        assertEquals("{\"stream\":\"pump-7\",\"ts\":1700000000123,\"values\":[0.1,-2.5,3.0],"
                        + "\"forecast\":[1.0E-5,123456.79,1.4E-45],\"std\":[0.3,1.0,1.6777216E7],"
                        + "\"anomaly_score\":0.125,\"model_version\":\"mamba-v3\",\"events\":42}",
                ForecastJson.toJson(sample()));
    }

    @Test
    void directForecastsOfTheNextEventsComeLastAndRoundTrip() {
        ForecastRecord r = sample();
        r.horizon = new float[] {1.5f, 2f, -0.25f, 7f, 8f, 9f};
        String json = ForecastJson.toJson(r);
        assertTrue(json.endsWith(",\"events\":42,\"horizon\":[1.5,2.0,-0.25,7.0,8.0,9.0]}"), json);
        assertEquals(r, ForecastJson.parse(json));
        assertNull(ForecastJson.parse(ForecastJson.toJson(sample())).horizon, "absent without a direct head");
    }

    @Test
    void floatsAreNotWidenedToTheirDoubleDigits() {
        String json = ForecastJson.toJson(sample());
        assertTrue(json.contains("[0.1,"), json);
        assertTrue(!json.contains("0.10000000149011612"), json);
    }

    @Test
    void roundTripsBitForBit() {
        ForecastRecord r = sample();
        assertEquals(r, ForecastJson.parse(ForecastJson.toBytes(r)));
    }

    @Test
    void roundTripsRandomFloatsBitForBit() {
        Random random = new Random(7);
        for (int n = 0; n < 2000; n++) {
            float[] values = new float[4];
            for (int i = 0; i < values.length; i++) {
                values[i] = Float.intBitsToFloat(random.nextInt());
                if (!Float.isFinite(values[i])) {
                    values[i] = random.nextFloat();
                }
            }
            ForecastRecord r = new ForecastRecord("s", n, values, values.clone(), values.clone(),
                    random.nextDouble(), "v", n);
            ForecastRecord back = ForecastJson.parse(ForecastJson.toBytes(r));
            for (int i = 0; i < values.length; i++) {
                assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back.values[i]),
                        "value " + values[i]);
            }
            assertEquals(r, back);
        }
    }

    @Test
    void aReusedWriterWritesEachRecordAsToBytesDoes() {
        ForecastJson.Writer writer = new ForecastJson.Writer();
        ForecastRecord[] records = {sample(),
                new ForecastRecord("s", -5L, new float[] {Float.NaN}, null, new float[] {1f}, Double.NaN, null, 0L),
                new ForecastRecord("a-much-longer-stream-id-" + "x".repeat(300), 1L, new float[600],
                        new float[600], new float[600], 1.0, "v9", 7L),
                sample()};
        for (ForecastRecord r : records) {
            assertArrayEquals(ForecastJson.toBytes(r), writer.toBytes(r), r.stream);
        }
    }

    @Test
    void nonFiniteNumbersAndNullsRoundTrip() {
        ForecastRecord r = new ForecastRecord("s", -5L, new float[] {Float.NaN, Float.POSITIVE_INFINITY},
                null, new float[] {Float.NEGATIVE_INFINITY}, Double.NaN, null, 0L);
        String json = ForecastJson.toJson(r);
        assertTrue(json.contains("\"values\":[\"NaN\",\"Infinity\"]"), json);
        assertTrue(json.contains("\"forecast\":null"), json);
        ForecastRecord back = ForecastJson.parse(json);
        assertEquals(r, back);
        assertNull(back.forecast);
        assertNull(back.modelVersion);
    }

    @Test
    void isValidJsonForAnyReader() throws Exception {
        var node = new ObjectMapper().readTree(ForecastJson.toBytes(sample()));
        assertEquals("pump-7", node.get("stream").asText());
        assertEquals(42L, node.get("events").asLong());
        assertEquals(3, node.get("std").size());
    }

    @Test
    void unknownFieldsAreIgnoredWhenReading() {
        ForecastRecord r = ForecastJson.parse("{\"stream\":\"s\",\"ts\":1,\"values\":[1],\"forecast\":[2],"
                + "\"std\":[3],\"anomaly_score\":0,\"model_version\":\"m\",\"events\":1,\"extra\":true}");
        assertArrayEquals(new float[] {2f}, r.forecast);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "ts", "anomaly_score", "events"})
    void aMissingRequiredFieldIsNamed(String field) {
        String json = ForecastJson.toJson(sample()).replace("\"" + field + "\"", "\"x_" + field + "\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ForecastJson.parse(json));
        assertTrue(e.getMessage().contains("\"" + field + "\""), e.getMessage());
    }

    @Test
    void malformedJsonAndWrongTypesAreRejectedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ForecastJson.parse("{"));
        assertTrue(e.getMessage().startsWith("malformed forecast JSON"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ForecastJson.parse("[]"));
        assertTrue(e.getMessage().contains("must be an object"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ForecastJson.parse(
                ForecastJson.toJson(sample()).replace("[0.1,-2.5,3.0]", "[0.1,\"x\",3.0]")));
        assertTrue(e.getMessage().contains("\"values[1]\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ForecastJson.parse(
                ForecastJson.toJson(sample()).replace("\"ts\":1700000000123", "\"ts\":1.5")));
        assertTrue(e.getMessage().contains("\"ts\" must be an integer"), e.getMessage());
    }
}
