package io.ssmstream.app.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class KafkaJobSpecTest {
    private static KafkaJobSpec spec(Duration interval) {
        return new KafkaJobSpec("localhost:1", "in", "out", "dlq", Path.of("m.safetensors"), null, null, false, true,
                null, null, null, null, null, interval, null);
    }

    @Test
    void checkpointsPauseHalfTheirIntervalByDefault() {
        Configuration conf = KafkaForecastJob.configuration(spec(Duration.ofSeconds(10)));
        assertEquals(Duration.ofSeconds(10), conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL));
        assertEquals(Duration.ofSeconds(5), conf.get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS));
    }

    @Test
    void aGivenPauseIsKeptAndZeroMeansNone() {
        KafkaJobSpec spec = spec(Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(30), KafkaForecastJob.configuration(
                spec.withCheckpointMinPause(Duration.ofSeconds(30))).get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS));
        assertEquals(Duration.ZERO, KafkaForecastJob.configuration(
                spec.withCheckpointMinPause(Duration.ZERO)).get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS));
    }

    @Test
    void aNegativePauseIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spec(null).withCheckpointMinPause(Duration.ofSeconds(-1)));
        assertEquals("the pause between checkpoints must be zero or positive, got PT-1S", e.getMessage());
    }

    @Test
    void theModelUpdateTopicKeepsThePause() {
        KafkaJobSpec spec = spec(null).withCheckpointMinPause(Duration.ofSeconds(3)).withModelUpdatesTopic("updates");
        assertEquals(Duration.ofSeconds(3), spec.checkpointMinPause());
    }

    @Test
    void theSpecsTextShowsTheKafkaSettingsButNotTheirSecrets() {
        Properties kafka = new Properties();
        kafka.setProperty("security.protocol", "SASL_SSL");
        kafka.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"u\" password=\"topsecret\";");
        kafka.setProperty("ssl.truststore.password", "storesecret");
        String text = new KafkaJobSpec("localhost:1", "in", "out", "dlq", Path.of("m.safetensors"), null, null, false,
                true, null, kafka, null, null, null, null, null).toString();
        assertTrue(text.contains("security.protocol=SASL_SSL"), text);
        assertTrue(text.contains("sasl.jaas.config=[hidden]"), text);
        assertFalse(text.contains("topsecret"), text);
        assertFalse(text.contains("storesecret"), text);
    }
}
