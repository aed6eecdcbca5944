package io.ssmstream.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KafkaClientBuilderTest {

    /** The smallest client: owns {@code acks=all} besides the servers. */
    private static final class AcksAllClient extends KafkaClientBuilder<AcksAllClient> {
        @Override
        AcksAllClient self() {
            return this;
        }

        Properties properties() {
            return clientProperties(Map.of("acks", "all"), Map.of("acks", "acksAll(..)"));
        }
    }

    @Test
    void missingBootstrapServersIsNamedBeforeTheTopic() {
        assertEquals("bootstrapServers is required", assertThrows(IllegalArgumentException.class,
                () -> new AcksAllClient().properties()).getMessage());
        assertEquals("bootstrapServers is required", assertThrows(IllegalArgumentException.class,
                () -> new AcksAllClient().topic("t").properties()).getMessage());
    }

    @Test
    void missingTopicIsNamed() {
        assertEquals("topic is required", assertThrows(IllegalArgumentException.class,
                () -> new AcksAllClient().bootstrapServers("b:1").properties()).getMessage());
    }

    @Test
    void blankOrNullArgumentsAreRejectedAtOnceNamingTheArgumentAndTheValue() {
        assertEquals("bootstrapServers must not be blank, got \" \"", assertThrows(IllegalArgumentException.class,
                () -> new AcksAllClient().bootstrapServers(" ")).getMessage());
        assertEquals("topic must not be blank, got null", assertThrows(IllegalArgumentException.class,
                () -> new AcksAllClient().topic(null)).getMessage());
        assertEquals("key must not be blank, got \"\"", assertThrows(IllegalArgumentException.class,
                () -> new AcksAllClient().property("", "v")).getMessage());
        assertEquals("value of Kafka property linger.ms", assertThrows(NullPointerException.class,
                () -> new AcksAllClient().property("linger.ms", null)).getMessage());
    }

    @Test
    void serversAndOwnedSettingsAreAddedToTheExtraProperties() {
        Properties extra = new Properties();
        extra.setProperty("security.protocol", "SSL");
        Properties p = new AcksAllClient().bootstrapServers("b:1").topic("t").properties(extra)
                .property("linger.ms", "5").property("acks", "all").properties();
        assertEquals(Map.of("bootstrap.servers", "b:1", "acks", "all", "security.protocol", "SSL",
                "linger.ms", "5"), p);
    }

    @Test
    void aContradictingPropertyNamesTheKeyTheValueAndTheSetter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AcksAllClient()
                .bootstrapServers("b:1").topic("t").property("bootstrap.servers", "other:2").properties());
        assertEquals("Kafka property bootstrap.servers=other:2 conflicts with bootstrapServers(..) (b:1); set it"
                + " there, not as a property", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AcksAllClient()
                .bootstrapServers("b:1").topic("t").property("acks", "1").properties());
        assertTrue(e.getMessage().startsWith("Kafka property acks=1 conflicts with acksAll(..)"), e.getMessage());
    }

    @Test
    void nonStringPropertiesAreRejected() {
        Properties extra = new Properties();
        extra.put("retries", 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AcksAllClient().properties(extra));
        assertTrue(e.getMessage().contains("must be strings, got retries=3"), e.getMessage());
    }

    /** Each builder of the package, built with everything it needs but what the test leaves out. */
    static Stream<Arguments> builders() {
        return Stream.of(
                Arguments.of("KafkaEventSource", (Function<Settings, Object>) s ->
                        s.apply(KafkaEventSource.builder().expectedValues(1)).build()),
                Arguments.of("KafkaModelUpdateSource", (Function<Settings, Object>) s ->
                        s.apply(KafkaModelUpdateSource.builder()).build()),
                Arguments.of("ModelUpdatePublisher", (Function<Settings, Object>) s ->
                        s.apply(ModelUpdatePublisher.builder()).build()),
                Arguments.of("KafkaSinks.forecasts", (Function<Settings, Object>) s ->
                        s.apply(KafkaSinks.forecasts().deliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)).build()),
                Arguments.of("KafkaSinks.deadLetters", (Function<Settings, Object>) s ->
                        s.apply(KafkaSinks.deadLetters().transactionalIdPrefix("p")).build()));
    }

    /** Sets some of the shared settings on any builder. */
    interface Settings {
        <B extends KafkaClientBuilder<B>> B apply(B builder);
    }

    private static final Settings TOPIC_ONLY = new Settings() {
        @Override
        public <B extends KafkaClientBuilder<B>> B apply(B b) {
            return b.topic("t");
        }
    };

    private static final Settings SERVERS_ONLY = new Settings() {
        @Override
        public <B extends KafkaClientBuilder<B>> B apply(B b) {
            return b.bootstrapServers("b:1");
        }
    };

    @ParameterizedTest(name = "{0}")
    @MethodSource("builders")
    void everyBuilderNamesAMissingBootstrapServersOrTopic(String name, Function<Settings, Object> build) {
        assertEquals("bootstrapServers is required", assertThrows(IllegalArgumentException.class,
                () -> build.apply(TOPIC_ONLY)).getMessage());
        assertEquals("topic is required", assertThrows(IllegalArgumentException.class,
                () -> build.apply(SERVERS_ONLY)).getMessage());
    }
}
