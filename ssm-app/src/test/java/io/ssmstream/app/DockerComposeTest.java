package io.ssmstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Docker engine runs here, so the compose file is checked for what would break it on a machine that has
 * one: images and versions, ports, the Vector API flag on every Flink JVM, and that the mounted jar, model,
 * series and main class are the ones this build produces.
 */
class DockerComposeTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static JsonNode compose;

    @BeforeAll
    static void parse() throws Exception {
        // SnakeYAML resolves anchors and merge keys (<<) the way docker compose does.
        Object yaml = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        compose = new ObjectMapper().valueToTree(yaml);
    }

    private static JsonNode service(String name) {
        JsonNode s = compose.path("services").path(name);
        assertTrue(s.isObject(), "service " + name + " is defined");
        return s;
    }

    @Test
    void servicesUseTheVersionsTheBuildIsMadeFor() {
        assertEquals("apache/kafka:4.2.0", service("kafka").path("image").asText());
        for (String flink : List.of("jobmanager", "taskmanager", "job")) {
            assertEquals("flink:2.2.1-java17", service(flink).path("image").asText(), flink);
        }
        assertTrue(service("producer").path("image").asText().startsWith("eclipse-temurin:17"));
    }

    @Test
    void everyFlinkJvmGetsTheVectorModuleAndTheJobManagerAddress() {
        for (String flink : List.of("jobmanager", "taskmanager", "job")) {
            String properties = service(flink).path("environment").path("FLINK_PROPERTIES").asText();
            assertTrue(properties.contains("env.java.opts.all: --add-modules=jdk.incubator.vector"), flink);
            assertTrue(properties.contains("jobmanager.rpc.address: jobmanager"), flink);
        }
        assertTrue(service("producer").path("command").asText().contains("--add-modules jdk.incubator.vector"));
    }

    @Test
    void portsForKafkaClientsAndTheFlinkUiArePublished() {
        assertEquals("9092:9092", service("kafka").path("ports").get(0).asText());
        assertEquals("8081:8081", service("jobmanager").path("ports").get(0).asText());
    }

    @Test
    void mountedFilesAreWhatTheBuildAndTheRepositoryProvide() throws Exception {
        List<String> mounts = new ArrayList<>();
        service("job").path("volumes").forEach(v -> mounts.add(v.asText()));
        service("producer").path("volumes").forEach(v -> mounts.add(v.asText()));
        assertTrue(mounts.contains("./ssm-app/target/ssm-stream.jar:/opt/ssm-stream/ssm-stream.jar:ro"), mounts.toString());
        String pom = Files.readString(ROOT.resolve("ssm-app/pom.xml"));
        assertTrue(pom.contains("<finalName>ssm-stream</finalName>"), "the shade plugin writes target/ssm-stream.jar");
        assertTrue(pom.contains("<mainClass>" + SsmStreamCli.class.getName() + "</mainClass>"));

        String job = service("job").path("command").asText();
        assertTrue(job.contains("--class " + SsmStreamCli.class.getName()), job);
        assertTrue(job.contains("/opt/ssm-stream/ssm-stream.jar run"), job);
        String model = job.replaceAll("(?s).*--model /opt/ssm-stream/(\\S+).*", "$1");
        assertTrue(Files.isRegularFile(ROOT.resolve(model)), "the job's model is in the repository: " + model);
        String producer = service("producer").path("command").asText();
        String input = producer.replaceAll("(?s).*--input /opt/ssm-stream/(\\S+).*", "$1");
        assertTrue(Files.isRegularFile(ROOT.resolve(input)), "the producer's series is in the repository: " + input);
    }

    @Test
    void jobAndProducerUseTheTopicsTheInitServiceCreates() {
        String topics = service("topics").path("command").get(0).asText();
        String job = service("job").path("command").asText();
        String producer = service("producer").path("command").asText();
        for (String t : List.of("sensor-events", "sensor-forecasts", "sensor-dead-letters")) {
            assertTrue(topics.contains(t), t);
            assertTrue(job.contains(t), t);
        }
        assertTrue(producer.contains("--topic sensor-events"));
    }

    @Test
    void theModelUpdateTopicIsCreatedCompactedAndTheJobTakesUpdatesFromIt() {
        String topics = service("topics").path("command").get(0).asText();
        assertTrue(topics.contains("--topic model-updates") && topics.contains("--partitions 1")
                && topics.contains("--config cleanup.policy=compact"), topics);
        assertTrue(service("job").path("command").asText().contains("--model-updates-topic model-updates"));
    }
}
