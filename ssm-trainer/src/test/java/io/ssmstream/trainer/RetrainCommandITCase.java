package io.ssmstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.json.ModelUpdateJson;
import io.ssmstream.connectors.kafka.EmbeddedKafka;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.trainer.store.ModelStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssm-stream retrain} once, end to end on a real in-process broker: topic -> model store -> update topic. */
class RetrainCommandITCase {
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TrainerCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "check-" + System.nanoTime());
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            c.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    @Test
    void oneShotTrainsOnTheTopicStoresTheModelAndPublishesAParseableUpdateWithTheFilesChecksum() throws Exception {
        kafka.createTopics(2, "sensor-events");
        kafka.createCompactedTopics("model-updates");
        EventSeries s = Ar2.series(400, 0.5, 3);
        long shift = Instant.now().minus(Duration.ofHours(1)).toEpochMilli() - s.micros()[0] / 1000;
        Properties pp = new Properties();
        pp.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, String> p = new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
            for (String stream : List.of("pump-1", "pump-2")) {
                for (int k = 0; k < s.size(); k++) {
                    long ts = s.micros()[k] / 1000 + shift;
                    float v = s.values()[k] + (stream.equals("pump-2") ? 1 : 0);
                    p.send(new ProducerRecord<>("sensor-events", null, ts, stream,
                            "{\"stream\":\"" + stream + "\",\"ts\":" + ts + ",\"value\":" + v + "}"));
                }
            }
            p.send(new ProducerRecord<>("sensor-events", "pump-1", "not json"));
            p.flush();
        }
        Path store = dir.resolve("models");

        Run r = run("retrain", "--input-topic", "sensor-events", "--bootstrap-servers", kafka.bootstrapServers(),
                "--last", "24h", "--store", store.toString(), "--model-updates-topic", "model-updates",
                "--d-model", "8", "--d-state", "4", "--epochs", "2", "--window", "64", "--batch-size", "8");

        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("read 801 records of sensor-events") && r.err().contains("800 events in 2 streams")
                && r.err().contains("skipped 1 bad records {malformed_json=1}"), r.err());
        assertTrue(r.err().contains("retrain round 1: model default version v") && r.err().contains("; published"),
                r.err());
        List<ConsumerRecord<String, String>> updates = readAll("model-updates", 1);
        assertEquals(1, updates.size());
        assertEquals("default", updates.get(0).key());
        ModelUpdate u = ModelUpdateJson.parse(updates.get(0).value());

        Path file = Path.of(URI.create(u.uri));
        assertTrue(file.startsWith(store.resolve("default")), u.uri);
        assertEquals(ModelStore.sha256(Files.readAllBytes(file)), u.sha256);
        SsmModel model = SsmModel.load(file);
        assertEquals(u.version, model.metadata().get(Trainer.VERSION));
        assertEquals(model.config().toJson(), ModelConfig.fromJson(u.configJson, "u").toJson());
        assertEquals("default " + u.version + " " + u.uri + " sha256=" + u.sha256, r.out().strip());
    }
}
