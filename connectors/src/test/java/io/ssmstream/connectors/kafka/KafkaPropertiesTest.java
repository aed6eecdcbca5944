package io.ssmstream.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaPropertiesTest {
    @TempDir
    Path dir;

    @Test
    void pairsSplitAtTheFirstEqualsSignKeepingTheRestOfTheValue() {
        Properties p = KafkaProperties.parse("security.protocol=SASL_SSL",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"u\" password=\"p=q\";",
                " linger.ms =5", "client.rack=");
        assertEquals("SASL_SSL", p.getProperty("security.protocol"));
        assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
                + " password=\"p=q\";", p.getProperty("sasl.jaas.config"));
        assertEquals("5", p.getProperty("linger.ms"));
        assertEquals("", p.getProperty("client.rack"));
        assertEquals(4, p.size());
    }

    @Test
    void aLaterPairOverridesAnEarlierOne() {
        assertEquals("2", KafkaProperties.parse("acks=1", "acks=2").getProperty("acks"));
    }

    @Test
    void aPairWithoutEqualsSignIsRejectedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaProperties.parse("acks=all", "linger.ms"));
        assertTrue(e.getMessage().contains("\"linger.ms\""), e.getMessage());
        assertTrue(e.getMessage().contains("key=value"), e.getMessage());
    }

    @Test
    void aPairWithAnEmptyKeyIsRejectedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaProperties.parse(" =x"));
        assertTrue(e.getMessage().contains("\" =x\""), e.getMessage());
        assertTrue(e.getMessage().contains("empty key"), e.getMessage());
    }

    @Test
    void aFileIsReadAsPropertiesInUtf8() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "# SASL\nsecurity.protocol = SASL_PLAINTEXT\nsasl.mechanism: PLAIN\n"
                + "client.id=pompe-\u00e9\nlong.value=a\\\n  b\n", StandardCharsets.UTF_8);
        Properties p = KafkaProperties.load(file);
        assertEquals("SASL_PLAINTEXT", p.getProperty("security.protocol"));
        assertEquals("PLAIN", p.getProperty("sasl.mechanism"));
        assertEquals("pompe-\u00e9", p.getProperty("client.id"));
        assertEquals("ab", p.getProperty("long.value"));
        assertEquals(4, p.size());
    }

    @Test
    void aMissingFileOrADirectoryIsRejectedNamingIt() {
        Path missing = dir.resolve("nope.properties");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaProperties.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KafkaProperties.load(dir));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void anUnparsableFileIsRejectedNamingIt() throws Exception {
        Path badEscape = dir.resolve("bad-escape.properties");
        Files.writeString(badEscape, "key=\\u12G4\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaProperties.load(badEscape));
        assertTrue(e.getMessage().startsWith("cannot read Kafka properties file " + badEscape), e.getMessage());

        Path notUtf8 = dir.resolve("latin1.properties");
        Files.write(notUtf8, new byte[] {'k', '=', (byte) 0xE9, '\n'});
        e = assertThrows(IllegalArgumentException.class, () -> KafkaProperties.load(notUtf8));
        assertTrue(e.getMessage().startsWith("cannot read Kafka properties file " + notUtf8), e.getMessage());
    }

    @Test
    void pairsOverrideTheFileWhenMerged() throws Exception {
        Path file = dir.resolve("c.properties");
        Files.writeString(file, "acks=1\nlinger.ms=5\n");
        Properties p = KafkaProperties.merge(file, List.of("acks=all"));
        assertEquals("all", p.getProperty("acks"));
        assertEquals("5", p.getProperty("linger.ms"));
        assertEquals(List.of("x"), List.copyOf(KafkaProperties.merge(null, List.of("x=1")).stringPropertyNames()));
    }

    @Test
    void passwordsJaasConfigsAndKeysAreSecretsOtherSettingsAreNot() {
        for (String key : List.of("sasl.jaas.config", "ssl.truststore.password", "ssl.keystore.password",
                "ssl.key.password", "ssl.keystore.key", "sasl.oauthbearer.client.credentials.client.secret",
                "listener.name.fixed.plain.sasl.jaas.config")) {
            assertTrue(KafkaProperties.isSecret(key), key);
        }
        for (String key : List.of("security.protocol", "sasl.mechanism", "ssl.truststore.location",
                "bootstrap.servers", "ssl.keystore.type")) {
            assertFalse(KafkaProperties.isSecret(key), key);
        }
    }

    @Test
    void redactedShowsEverySettingButNoSecretValue() {
        Properties p = KafkaProperties.parse("security.protocol=SASL_SSL", "ssl.truststore.password=s3cret",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"u\" password=\"pw1\";");
        assertEquals(Map.of("security.protocol", "SASL_SSL", "ssl.truststore.password", KafkaProperties.HIDDEN,
                "sasl.jaas.config", KafkaProperties.HIDDEN), KafkaProperties.redacted(p));
    }

    @Test
    void scrubHidesSecretValuesAndPasswordOptionsQuotedInAMessage() {
        Properties p = KafkaProperties.parse("ssl.truststore.password=s3cret");
        String scrubbed = KafkaProperties.scrub("cannot open store with s3cret; JAAS: ScramLoginModule required"
                + " username=\"u\" password=\"other pw\"; and password=plain;", p);
        assertFalse(scrubbed.contains("s3cret"), scrubbed);
        assertFalse(scrubbed.contains("other pw"), scrubbed);
        assertFalse(scrubbed.contains("plain;"), scrubbed);
        assertTrue(scrubbed.contains("username=\"u\""), scrubbed);
        assertEquals("no secret here", KafkaProperties.scrub("no secret here", p));
    }
}
