package io.ssmstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.kafka.EmbeddedKafka;
import io.ssmstream.connectors.kafka.KafkaConnectionCheck;
import io.ssmstream.connectors.kafka.KafkaConnectionException;
import io.ssmstream.connectors.kafka.KafkaProperties;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ssm-stream kafka --secure}: a SASL_SSL broker and the client settings file that logs in to it. */
class KafkaCommandITCase {
    @TempDir
    Path dir;

    @Test
    void secureWritesAClientPropertiesFileThatLogsInAndPrintsNoPassword() throws Exception {
        Path secure = dir.resolve("secure");
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new KafkaCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.parseArgs("--port", "0", "--secure", secure.toString(), "--create-topics", "events");
        KafkaCommand command = cmd.getCommand();
        try (EmbeddedKafka broker = command.startBroker()) {
            Path file = secure.resolve("client.properties");
            Properties settings = KafkaProperties.load(file);
            assertEquals("SASL_SSL", settings.getProperty("security.protocol"));
            assertEquals("SCRAM-SHA-512", settings.getProperty("sasl.mechanism"));
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
            KafkaConnectionCheck.verify(broker.bootstrapServers(), settings, Duration.ofSeconds(10));

            String line = out.toString().strip();
            assertEquals("Kafka broker running at " + broker.bootstrapServers() + " (SASL_SSL, SCRAM-SHA-512 user "
                    + KafkaCommand.SECURE_USER + "; clients: --kafka-properties " + file + ") with topics events;"
                    + " Ctrl-C stops it", line);
            String jaas = settings.getProperty("sasl.jaas.config");
            String password = jaas.substring(jaas.indexOf("password=\"") + 10, jaas.lastIndexOf('"'));
            assertTrue(password.length() >= 32, "a random password");
            assertFalse(line.contains(password));

            Properties plaintext = new Properties();
            plaintext.setProperty("default.api.timeout.ms", "3000");
            KafkaConnectionException refused = assertThrows(KafkaConnectionException.class,
                    () -> KafkaConnectionCheck.verify(broker.bootstrapServers(), plaintext));
            assertTrue(refused.getMessage().contains("security.protocol=PLAINTEXT"), refused.getMessage());
        }
    }

    @Test
    void aSecureDirectoryThatIsNotEmptyIsOneLineWithExitTwo() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        CliRun run = CliRun.main("kafka", "--port", "0", "--secure", dir.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of("ssm-stream: error: --secure " + dir + " is not empty; give a new or empty directory"),
                run.errLines());
    }
}
