package io.ssmstream.app;

import io.ssmstream.connectors.kafka.KafkaConnectionCheck;
import io.ssmstream.connectors.kafka.KafkaProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Kafka connection options shared by the commands that talk to a broker (a picocli mixin). Security settings
 * (SASL/SSL) pass through as {@code --kafka-property key=value} or a properties file, as Kafka names them.
 */
final class KafkaOptions {
    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Extra Kafka client property, e.g. security.protocol=SASL_SSL (repeatable).")
    List<String> properties = new ArrayList<>();

    @Option(names = "--kafka-properties", paramLabel = "FILE",
            description = "Kafka client properties file; --kafka-property entries override it.")
    Path propertiesFile;

    Properties clientProperties() {
        return KafkaProperties.merge(propertiesFile, properties);
    }

    /**
     * Logs in once with these settings, so that wrong credentials or certificates are a user error now rather
     * than clients that retry forever.
     *
     * @throws io.ssmstream.connectors.kafka.KafkaConnectionException saying what to check
     */
    void verifyConnection() {
        KafkaConnectionCheck.verify(bootstrapServers, clientProperties());
    }
}
