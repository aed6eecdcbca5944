package io.ssmstream.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.event.DeadLetterReason;
import io.ssmstream.connectors.event.EventParser;
import io.ssmstream.connectors.event.ParsedRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class EventDeserializationSchemaTest {
    private static final class ListCollector implements Collector<ParsedRecord> {
        final List<ParsedRecord> out = new ArrayList<>();

        @Override
        public void collect(ParsedRecord record) {
            out.add(record);
        }

        @Override
        public void close() {
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static ParsedRecord deserializeOne(EventDeserializationSchema schema, String key, String value)
            throws Exception {
        ListCollector collector = new ListCollector();
        schema.deserialize(new ConsumerRecord<>("sensors", 3, 77L, utf8(key), utf8(value)), collector);
        assertEquals(1, collector.out.size(), "exactly one result per record");
        return collector.out.get(0);
    }

    @Test
    void aGoodRecordBecomesAnEventWithItsKafkaCoordinates() throws Exception {
        ParsedRecord r = deserializeOne(new EventDeserializationSchema(2), "pump-7",
                "{\"ts\":1000,\"values\":[1,2]}");
        assertNull(r.deadLetter);
        assertEquals("pump-7", r.event.stream);
        assertEquals(1000L, r.event.ts);
        assertArrayEquals(new float[] {1f, 2f}, r.event.values);
        assertEquals("sensors", r.event.topic);
        assertEquals(3, r.event.partition);
        assertEquals(77L, r.event.offset);
    }

    @Test
    void aBadRecordBecomesADeadLetterWithItsOriginalBytes() throws Exception {
        ParsedRecord r = deserializeOne(new EventDeserializationSchema(2), "pump-7", "{\"ts\":1000,\"values\":[1]}");
        assertNull(r.event);
        assertEquals(DeadLetterReason.WRONG_VALUE_COUNT, r.deadLetter.reason);
        assertEquals("sensors", r.deadLetter.topic);
        assertEquals(3, r.deadLetter.partition);
        assertEquals(77L, r.deadLetter.offset);
        assertArrayEquals(utf8("pump-7"), r.deadLetter.key);
        assertArrayEquals(utf8("{\"ts\":1000,\"values\":[1]}"), r.deadLetter.value);
    }

    @Test
    void aTombstoneWithoutKeyIsADeadLetterNotAnException() throws Exception {
        ParsedRecord r = deserializeOne(new EventDeserializationSchema(1), null, null);
        assertEquals(DeadLetterReason.MALFORMED_JSON, r.deadLetter.reason);
        assertEquals(0, r.deadLetter.key.length);
        assertEquals(0, r.deadLetter.value.length);
    }

    @Test
    void anUnexpectedParserErrorIsDeadLetteredNotThrown() throws Exception {
        EventDeserializationSchema schema = new EventDeserializationSchema(new EventParser(1),
                (key, value, topic, partition, offset) -> {
                    throw new IllegalStateException("boom");
                });
        ParsedRecord r = deserializeOne(schema, "k", "{\"ts\":1,\"value\":1}");
        assertEquals(DeadLetterReason.MALFORMED_JSON, r.deadLetter.reason);
        assertTrue(r.deadLetter.detail.contains("boom"), r.deadLetter.detail);
        assertEquals("k", r.deadLetter.stream);
        assertEquals(77L, r.deadLetter.offset);
        assertArrayEquals(utf8("{\"ts\":1,\"value\":1}"), r.deadLetter.value);
    }

    @Test
    void producesAFlinkPojoTypeSoNoKryoIsNeeded() {
        TypeInformation<ParsedRecord> type = new EventDeserializationSchema(1).getProducedType();
        assertTrue(type instanceof PojoTypeInfo, type.toString());
        assertEquals(ParsedRecord.class, type.getTypeClass());
    }

    @Test
    void survivesJavaSerializationAsFlinkShipsIt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new EventDeserializationSchema(3));
        }
        EventDeserializationSchema copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (EventDeserializationSchema) in.readObject();
        }
        assertEquals(3, copy.parser().expectedValues());
        assertEquals(3, deserializeOne(copy, "s", "{\"ts\":1,\"values\":[1,2,3]}").event.values.length);
    }
}
