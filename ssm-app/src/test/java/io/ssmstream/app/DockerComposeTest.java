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
        assertTrue(service("trainer").path("image").asText().startsWith("eclipse-temurin:17"));
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

    /**
     * Prometheus scrapes the reporter port of every Flink process and Grafana gets that Prometheus and the
     * dashboard; the cluster tests check that the dashboard's metrics are served by a real cluster.
     */
    @Test
    void prometheusScrapesEveryFlinkProcessAndGrafanaProvisionsTheDashboard() throws Exception {
        for (String flink : List.of("jobmanager", "taskmanager")) {
            String properties = service(flink).path("environment").path("FLINK_PROPERTIES").asText();
            assertTrue(properties.contains("metrics.reporter.prom.factory.class: "
                    + "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"), flink);
            assertTrue(properties.contains("metrics.reporter.prom.port: 9249"), flink);
        }
        List<String> prometheusMounts = new ArrayList<>();
        service("prometheus").path("volumes").forEach(v -> prometheusMounts.add(v.asText()));
        assertTrue(prometheusMounts.contains("./tools/monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro"),
                prometheusMounts.toString());
        JsonNode scrape = new ObjectMapper().valueToTree(new Yaml().load(
                Files.readString(ROOT.resolve("tools/monitoring/prometheus.yml"))));
        List<String> targets = new ArrayList<>();
        scrape.path("scrape_configs").get(0).path("static_configs").get(0).path("targets")
                .forEach(t -> targets.add(t.asText()));
        assertEquals(List.of("jobmanager:9249", "taskmanager:9249"), targets);

        List<String> grafanaMounts = new ArrayList<>();
        service("grafana").path("volumes").forEach(v -> grafanaMounts.add(v.asText()));
        assertTrue(grafanaMounts.contains("./tools/monitoring/grafana/dashboards:/var/lib/grafana/dashboards:ro"));
        JsonNode datasource = new ObjectMapper().valueToTree(new Yaml().load(Files.readString(
                ROOT.resolve("tools/monitoring/grafana/provisioning/datasources/prometheus.yml"))));
        assertEquals("http://prometheus:9090", datasource.path("datasources").get(0).path("url").asText());
        JsonNode dashboard = new ObjectMapper().readTree(
                ROOT.resolve("tools/monitoring/grafana/dashboards/ssm-stream.json").toFile());
        assertTrue(dashboard.path("panels").size() >= 8, "dashboard panels");
        dashboard.path("panels").forEach(p -> assertEquals("prometheus",
                p.path("datasource").path("uid").asText(), p.path("title").asText()));
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
    void trainerRetrainsFromTheTrainersJarOnTheInputTopicAndPublishesToTheCompactedUpdateTopic() throws Exception {
        JsonNode trainer = service("trainer");
        List<String> mounts = new ArrayList<>();
        trainer.path("volumes").forEach(v -> mounts.add(v.asText()));
        assertTrue(mounts.contains("./ssm-trainer/target/ssm-trainer.jar:/opt/ssm-stream/ssm-trainer.jar:ro"),
                mounts.toString());
        String pom = Files.readString(ROOT.resolve("ssm-trainer/pom.xml"));
        assertTrue(pom.contains("<finalName>ssm-trainer</finalName>"), "the shade plugin writes target/ssm-trainer.jar");
        assertTrue(pom.contains("<mainClass>io.ssmstream.trainer.TrainerCli</mainClass>"));

        String command = trainer.path("command").asText();
        assertTrue(command.contains("--add-modules jdk.incubator.vector -Dai.djl.offline=true -jar"
                + " /opt/ssm-stream/ssm-trainer.jar retrain --every 1h"), command);
        assertTrue(command.contains("--bootstrap-servers kafka:19092"), command);
        assertEquals("PASSIVE", trainer.path("environment").path("OMP_WAIT_POLICY").asText(),
                "PyTorch's OpenMP threads must not spin on shared cores");
        String topics = service("topics").path("command").get(0).asText();
        String inputTopic = command.replaceAll("(?s).*--input-topic (\\S+).*", "$1");
        assertEquals("sensor-events", inputTopic);
        assertTrue(service("producer").path("command").asText().contains("--topic " + inputTopic));
        String updates = command.replaceAll("(?s).*--model-updates-topic (\\S+).*", "$1");
        assertTrue(topics.replaceAll("\\s*\\\\\\s*", " ").contains("--topic " + updates
                + " --partitions 1 --config cleanup.policy=compact"), topics);
    }

    @Test
    void theJobSwapsInWhatTheTrainerPublishes() {
        String trainer = service("trainer").path("command").asText();
        String job = service("job").path("command").asText();
        for (String option : List.of("--model-updates-topic", "--model-name")) {
            String published = trainer.replaceAll("(?s).*" + option + " (\\S+).*", "$1");
            assertTrue(job.contains(option + " " + published), option + " " + published + " in " + job);
        }
    }

    @Test
    void theModelStoreIsAVolumeThatTheTaskManagerMountsAtTheTrainersPath() {
        String command = service("trainer").path("command").asText();
        String store = command.replaceAll("(?s).*--store (\\S+).*", "$1");
        List<String> trainerMounts = new ArrayList<>();
        service("trainer").path("volumes").forEach(v -> trainerMounts.add(v.asText()));
        List<String> taskManagerMounts = new ArrayList<>();
        service("taskmanager").path("volumes").forEach(v -> taskManagerMounts.add(v.asText()));
        assertTrue(trainerMounts.contains("models:" + store), trainerMounts.toString());
        assertTrue(taskManagerMounts.contains("models:" + store + ":ro"), taskManagerMounts.toString());
        assertTrue(compose.path("volumes").has("models"), "the models volume is declared");
    }

    @Test
    void theTrainersGpuReservationIsThereCommentedOut() throws Exception {
        assertTrue(service("trainer").path("deploy").isMissingNode(), "no GPU is required to start the stack");
        String text = Files.readString(ROOT.resolve("docker-compose.yml"));
        String trainer = text.substring(text.indexOf("  trainer:"));
        for (String line : List.of("# deploy:", "#     reservations:", "#         - driver: nvidia",
                "#           capabilities: [gpu]")) {
            assertTrue(trainer.contains(line), line);
        }
    }

    @Test
    void theJobTakesModelUpdatesFromTheTopicTheTrainerPublishesTo() {
        String trainer = service("trainer").path("command").asText();
        String updates = trainer.replaceAll("(?s).*--model-updates-topic (\\S+).*", "$1");
        assertTrue(service("job").path("command").asText().contains("--model-updates-topic " + updates), updates);
    }
}
