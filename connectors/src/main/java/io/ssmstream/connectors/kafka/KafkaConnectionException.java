package io.ssmstream.connectors.kafka;

/**
 * Kafka cannot be reached or refuses the client with the user's settings; the message says what to check and
 * holds no secret. Thrown by {@link KafkaConnectionCheck}; commands show it as a user error.
 */
public final class KafkaConnectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KafkaConnectionException(String message) {
        super(message);
    }
}
