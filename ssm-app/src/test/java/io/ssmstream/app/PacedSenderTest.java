package io.ssmstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacedSenderTest {

    @ParameterizedTest
    @ValueSource(doubles = {-1, Double.NaN, Double.POSITIVE_INFINITY})
    void aNegativeOrNonFiniteSpeedupIsRejectedNamingTheOption(double speedup) {
        assertEquals("--speedup must be 0 (as fast as possible) or positive, got " + speedup,
                assertThrows(UserException.class, () -> PacedSender.requireSpeedup(speedup)).getMessage());
    }

    @Test
    void zeroMeansAsFastAsPossibleAndIsAccepted() {
        assertEquals(0.0, PacedSender.requireSpeedup(0));
    }

    @Test
    void aSendTheClientGivesUpOnIsCountedNotThrown() throws Exception {
        KafkaOptions kafka = new KafkaOptions();
        kafka.bootstrapServers = "localhost:1";
        kafka.properties = List.of("max.block.ms=50");
        try (PacedSender sender = new PacedSender(kafka, 0)) {
            assertEquals(0, sender.failures());
            assertNull(sender.firstFailure());
            byte[] key = "s".getBytes(StandardCharsets.UTF_8);
            sender.send(0, new ProducerRecord<>("t", key, key));
            sender.send(0, new ProducerRecord<>("t", key, key));
            sender.flush();
            assertEquals(2, sender.failures());
            assertInstanceOf(TimeoutException.class, sender.firstFailure());
        }
    }
}
