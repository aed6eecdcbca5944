package io.ssmstream.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process broker with a SASL_PLAINTEXT listener and one with SASL_SSL (a certificate made by keytool):
 * SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN logins with the right password work for transactional writes and
 * read_committed reads; the connection check turns a wrong password, an untrusted certificate and a client of the
 * wrong protocol into messages that say what to fix and hold no secret.
 */
class SecureEmbeddedKafkaITCase {
    private static final String USER = "ssm-user";
    private static final String PASSWORD = "right-Pa55word";
    private static final String WRONG_PASSWORD = "wrong-Pa55word";
    private static final Duration SHORT = Duration.ofSeconds(5);

    @TempDir
    static Path certificates;

    private static EmbeddedKafka sasl;
    private static EmbeddedKafka saslSsl;

    @BeforeAll
    static void startBrokers() {
        sasl = EmbeddedKafka.builder().saslUser(USER, PASSWORD).start();
        saslSsl = EmbeddedKafka.builder().saslUser(USER, PASSWORD).tls(SelfSignedTls.create(certificates)).start();
    }

    @AfterAll
    static void stopBrokers() {
        for (EmbeddedKafka kafka : new EmbeddedKafka[] {sasl, saslSsl}) {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    private static Properties client(EmbeddedKafka kafka, String mechanism, String password) {
        Properties p = kafka.clientProperties(mechanism, USER, password);
        p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return p;
    }

    /** Two records in a transaction, read back read_committed, with the same credentials. */
    private static void roundTrip(EmbeddedKafka kafka, String mechanism) {
        String topic = "secure-" + UUID.randomUUID();
        kafka.createTopics(1, topic);
        Properties producer = client(kafka, mechanism, PASSWORD);
        producer.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(producer, new StringSerializer(),
                new StringSerializer())) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>(topic, "k", "one"));
            p.send(new ProducerRecord<>(topic, "k", "two"));
            p.commitTransaction();
        }
        Properties consumer = client(kafka, mechanism, PASSWORD);
        consumer.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumer, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            c.assign(List.of(partition));
            c.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        assertEquals(List.of("one", "two"), values, mechanism + " on " + kafka.securityProtocol());
    }

    @Test
    void theClientListenersAreSaslAndSaslSsl() {
        assertEquals(SecurityProtocol.SASL_PLAINTEXT, sasl.securityProtocol());
        assertEquals(SecurityProtocol.SASL_SSL, saslSsl.securityProtocol());
    }

    @Test
    void scramSha512LoginWritesTransactionsAndReadsThemCommitted() {
        KafkaConnectionCheck.verify(sasl.bootstrapServers(), client(sasl, "SCRAM-SHA-512", PASSWORD), SHORT);
        roundTrip(sasl, "SCRAM-SHA-512");
    }

    @Test
    void everyMechanismWorksOverTls() {
        for (String mechanism : List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN")) {
            KafkaConnectionCheck.verify(saslSsl.bootstrapServers(), client(saslSsl, mechanism, PASSWORD), SHORT);
            roundTrip(saslSsl, mechanism);
        }
    }

    @Test
    void aWrongPasswordIsARefusedLoginThatNamesTheMechanismAndNotThePassword() {
        for (EmbeddedKafka kafka : List.of(sasl, saslSsl)) {
            for (String mechanism : List.of("SCRAM-SHA-512", "PLAIN")) {
                KafkaConnectionException e = assertThrows(KafkaConnectionException.class,
                        () -> KafkaConnectionCheck.verify(kafka.bootstrapServers(),
                                client(kafka, mechanism, WRONG_PASSWORD), SHORT));
                assertTrue(e.getMessage().contains("refused the login (sasl.mechanism=" + mechanism + ")"),
                        e.getMessage());
                assertTrue(e.getMessage().contains(kafka.bootstrapServers()), e.getMessage());
                assertFalse(e.getMessage().contains(WRONG_PASSWORD), e.getMessage());
            }
        }
    }

    @Test
    void aCertificateTheClientDoesNotTrustIsAFailedHandshake() {
        Properties untrusting = client(saslSsl, "SCRAM-SHA-512", PASSWORD);
        untrusting.remove(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
        untrusting.remove(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG);
        untrusting.remove(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG);
        KafkaConnectionException e = assertThrows(KafkaConnectionException.class,
                () -> KafkaConnectionCheck.verify(saslSsl.bootstrapServers(), untrusting, SHORT));
        assertTrue(e.getMessage().contains("TLS handshake"), e.getMessage());
        assertTrue(e.getMessage().contains("ssl.truststore.location"), e.getMessage());
    }

    @Test
    void aMissingTrustStoreFileIsAnInvalidSettingWithoutItsPassword() {
        Properties p = client(saslSsl, "SCRAM-SHA-512", PASSWORD);
        p.setProperty(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certificates.resolve("missing.p12").toString());
        KafkaConnectionException e = assertThrows(KafkaConnectionException.class,
                () -> KafkaConnectionCheck.verify(saslSsl.bootstrapServers(), p, SHORT));
        assertTrue(e.getMessage().startsWith("invalid Kafka client settings"), e.getMessage());
        assertFalse(e.getMessage().contains(saslSsl.clientProperties("PLAIN", USER, PASSWORD)
                .getProperty(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG)), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }

    @Test
    void aPlaintextClientOnTheSaslListenerGetsNoAnswerAndIsToldWhichProtocolItSpoke() {
        Properties plaintext = new Properties();
        KafkaConnectionException e = assertThrows(KafkaConnectionException.class,
                () -> KafkaConnectionCheck.verify(sasl.bootstrapServers(), plaintext, SHORT));
        assertTrue(e.getMessage().contains("security.protocol=PLAINTEXT"), e.getMessage());
    }

    @Test
    void jaasUnsafeUserNamesAreRejectedNamingThemButPasswordsAreNotEchoed() {
        IllegalArgumentException user = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafka.builder().saslUser("a\"b", "pw"));
        assertTrue(user.getMessage().contains("a\"b"), user.getMessage());
        IllegalArgumentException password = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafka.builder().saslUser("ab", "p\"w;"));
        assertFalse(password.getMessage().contains("p\"w;"), password.getMessage());
    }
}
