package io.ssmstream.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.json.ModelUpdateJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class KafkaModelUpdateSourceTest {
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void buildsAnUnboundedSourceOfModelUpdatesWithItsOwnGroup() {
        KafkaSource<ModelUpdate> source = KafkaModelUpdateSource.builder().bootstrapServers("b:9092")
                .topic("model-updates").build();
        assertEquals(Boundedness.CONTINUOUS_UNBOUNDED, source.getBoundedness());
        assertEquals(ModelUpdate.class, source.getProducedType().getTypeClass());
        assertEquals(KafkaModelUpdateSource.DEFAULT_GROUP_ID, KafkaModelUpdateSource.builder()
                .bootstrapServers("b:9092").topic("t").consumerProperties().getProperty("group.id"));
    }

    @Test
    void missingTopicIsNamed() {
        assertEquals("topic is required", assertThrows(IllegalArgumentException.class,
                () -> KafkaModelUpdateSource.builder().bootstrapServers("b:9092").build()).getMessage());
    }

    @Test
    void validRecordsAreEmittedAndMalformedOnesSkippedWithoutThrowing() {
        ModelUpdate good = new ModelUpdate("default", "v2", "/m.safetensors", SHA, "{\"arch\":\"lru\"}", 7L);
        List<ModelUpdate> out = new ArrayList<>();
        Collector<ModelUpdate> collector = new Collector<>() {
            @Override
            public void collect(ModelUpdate record) {
                out.add(record);
            }

            @Override
            public void close() {
            }
        };
        ModelUpdateDeserializationSchema schema = new ModelUpdateDeserializationSchema();
        schema.deserialize(record(ModelUpdateJson.toBytes(good)), collector);
        schema.deserialize(record("{not json".getBytes(StandardCharsets.UTF_8)), collector);
        schema.deserialize(record("{\"model\":\"default\"}".getBytes(StandardCharsets.UTF_8)), collector);
        schema.deserialize(record(null), collector);
        assertEquals(List.of(good), out);
        assertNull(schema.parse(record(new byte[] {(byte) 0xff, 0})));
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>("model-updates", 0, 3L, "default".getBytes(StandardCharsets.UTF_8), value);
    }
}
