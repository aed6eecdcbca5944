package io.ssmstream.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink standalone session cluster of separate operating-system processes: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}), each a JVM of its own
 * started as Flink's {@code jobmanager.sh}/{@code taskmanager.sh} start them: the class path of a distribution's
 * {@code lib/} (see {@code cluster-tests/pom.xml}), the JVM options of Flink's default {@code config.yaml}, the
 * memory settings that {@code BashJavaUtils} derives from the configuration, and a generated {@code config.yaml}.
 * Jobs are submitted, stopped and cancelled with Flink's command-line client ({@code CliFrontend}, what
 * {@code flink run} runs) in a process of its own too, so no job code runs in the caller's JVM.
 *
 * <p>Why no Docker: the build machine has none. Why not {@code flink-dist}: Maven Central does not serve it here;
 * its contents are the modules on this class path.
 *
 * <p>{@link #killJobManager()} and {@link #killTaskManager(int)} end a process with SIGKILL ({@code kill -9}):
 * no shutdown hook, no clean disconnect. {@link #close()} kills every process this cluster started, also on a JVM
 * shutdown of the caller.
 */
final class FlinkProcessCluster implements AutoCloseable {
    /** The JVM options of Flink's default {@code config.yaml} ({@code env.java.default-opts.all}), for JDK 17+. */
    private static final List<String> FLINK_JVM_OPTS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
            // ssm-stream's kernels use the Vector API (an incubator module)
            "--add-modules=jdk.incubator.vector");
    private static final String JOB_MANAGER_MAIN =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String CLIENT_MAIN = "org.apache.flink.client.cli.CliFrontend";
    private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String BASH_RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CLIENT_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern SUBMITTED_JOB = Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT_PATH = Pattern.compile("Savepoint completed\\. Path: (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path workDir;
    private final Path confDir;
    private final String libClasspath;
    private final List<String> extraJvmOpts;
    private final int restPort;
    private final int jobManagerPrometheusPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> jobManagerMemory;
    private final List<String> taskManagerMemory;
    private final List<TaskManager> taskManagers = new ArrayList<>();
    private final List<Process> started = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::killAll, "kill flink processes");
    private Process jobManager;
    private int jobManagerStarts;

    private record TaskManager(Process process, int prometheusPort) {
    }

    private FlinkProcessCluster(Path workDir, String libClasspath, List<String> extraJvmOpts, int restPort,
                                Map<String, String> config) throws IOException {
        this.workDir = workDir;
        this.confDir = Files.createDirectories(workDir.resolve("conf"));
        this.libClasspath = libClasspath;
        this.extraJvmOpts = List.copyOf(extraJvmOpts);
        this.restPort = restPort;
        this.jobManagerPrometheusPort = freePort();
        Files.createDirectories(workDir.resolve("log"));
        writeConfig(config);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        this.jobManagerMemory = bashJavaUtils("GET_JM_RESOURCE_PARAMS");
        this.taskManagerMemory = bashJavaUtils("GET_TM_RESOURCE_PARAMS");
    }

    /**
     * Writes the configuration, starts the JobManager and {@code taskManagers} TaskManagers of
     * {@code slotsPerTaskManager} slots and returns once the REST endpoint answers and all have registered.
     *
     * @param settings Flink configuration added to (and overriding) the cluster's own: ports, memory, heartbeats
     * @param jvmOpts JVM options for every process besides Flink's, e.g. system properties of the job's code
     */
    static FlinkProcessCluster start(Path workDir, int taskManagers, int slotsPerTaskManager,
                                     Map<String, String> settings, List<String> jvmOpts) throws IOException {
        if (taskManagers < 1 || slotsPerTaskManager < 1) {
            throw new IllegalArgumentException("need at least one TaskManager with one slot, got " + taskManagers
                    + " TaskManagers of " + slotsPerTaskManager + " slots");
        }
        String libClasspath = Files.readString(Path.of(requiredProperty("ssmstream.cluster.libClasspathFile"))).trim();
        int restPort = freePort();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("jobmanager.rpc.address", "localhost");
        config.put("jobmanager.rpc.port", Integer.toString(freePort()));
        config.put("jobmanager.bind-host", "localhost");
        config.put("taskmanager.bind-host", "localhost");
        config.put("taskmanager.host", "localhost");
        config.put("rest.address", "localhost");
        config.put("rest.bind-address", "localhost");
        config.put("rest.port", Integer.toString(restPort));
        config.put("blob.server.port", Integer.toString(freePort()));
        config.put("jobmanager.memory.process.size", "1024m");
        config.put("taskmanager.memory.process.size", "1280m");
        config.put("taskmanager.numberOfTaskSlots", Integer.toString(slotsPerTaskManager));
        // Spread a job over the TaskManagers, so that killing one of them hits a running job.
        config.put("taskmanager.load-balance.mode", "SLOTS");
        // ssm-stream.jar carries Flink's Kafka connector and the broker: over the 100 MB default upload limit.
        config.put("rest.server.max-content-length", Integer.toString(512 << 20));
        config.put("rest.client.max-content-length", Integer.toString(512 << 20));
        // A killed process is noticed within seconds instead of the default 50 s.
        config.put("heartbeat.interval", "1000");
        config.put("heartbeat.timeout", "5000");
        config.putAll(settings);
        FlinkProcessCluster cluster = new FlinkProcessCluster(workDir, libClasspath, jvmOpts, restPort, config);
        try {
            cluster.startJobManager();
            for (int i = 0; i < taskManagers; i++) {
                cluster.startTaskManager();
            }
            cluster.awaitTaskManagers(taskManagers);
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts the JobManager process (again, after {@link #killJobManager()}) and waits for its REST endpoint. */
    void startJobManager() throws IOException {
        if (jobManager != null && jobManager.isAlive()) {
            throw new IllegalStateException("the JobManager is already running (pid " + jobManager.pid() + ")");
        }
        List<String> command = java("jobmanager-" + jobManagerStarts, splitArgs(jobManagerMemory.get(0)));
        command.add(JOB_MANAGER_MAIN);
        command.addAll(List.of("--configDir", confDir.toString()));
        command.addAll(splitArgs(jobManagerMemory.get(1)));
        command.addAll(List.of("-D", "metrics.reporter.prom.port=" + jobManagerPrometheusPort));
        jobManager = launch("jobmanager-" + jobManagerStarts++, command);
        await("the JobManager's REST endpoint on port " + restPort, () -> tryRest("/overview") != null);
    }

    /** Starts one more TaskManager process, with its own Prometheus reporter port. */
    private void startTaskManager() throws IOException {
        int index = taskManagers.size();
        int prometheusPort = freePort();
        List<String> command = java("taskmanager-" + index, splitArgs(taskManagerMemory.get(0)));
        command.add(TASK_MANAGER_MAIN);
        command.addAll(List.of("--configDir", confDir.toString()));
        command.addAll(splitArgs(taskManagerMemory.get(1)));
        command.addAll(List.of("-D", "metrics.reporter.prom.port=" + prometheusPort));
        taskManagers.add(new TaskManager(launch("taskmanager-" + index, command), prometheusPort));
    }

    /** SIGKILL to TaskManager {@code index}; returns once the process is gone. */
    void killTaskManager(int index) throws InterruptedException {
        kill(taskManagers.get(index).process());
    }

    /** SIGKILL to the JobManager; returns once the process is gone. {@link #startJobManager()} starts a new one. */
    void killJobManager() throws InterruptedException {
        kill(jobManager);
    }

    /** Waits until {@code n} TaskManagers are registered with the JobManager. */
    void awaitTaskManagers(int n) {
        await(n + " registered TaskManagers", () -> {
            JsonNode overview = tryRest("/overview");
            return overview != null && overview.path("taskmanagers").asInt() == n;
        });
    }

    /**
     * {@code flink run -d [-s restorePath] -c mainClass jar args}: submits the job detached and returns its id.
     *
     * @param restorePath a savepoint or retained checkpoint to start from, or null
     */
    String submit(Path jar, String mainClass, String restorePath, List<String> args) throws IOException {
        List<String> cli = new ArrayList<>(List.of("run", "-d"));
        if (restorePath != null) {
            cli.addAll(List.of("-s", restorePath));
        }
        cli.addAll(List.of("-c", mainClass, jar.toString()));
        cli.addAll(args);
        return find(SUBMITTED_JOB, flink("submit", cli), "job id");
    }

    /** {@code flink stop --savepointPath dir jobId}: stops the job with a savepoint and returns its path. */
    String stopWithSavepoint(String jobId, Path savepointDir) throws IOException {
        return find(SAVEPOINT_PATH, flink("stop", List.of("stop", "--savepointPath", savepointDir.toUri().toString(),
                jobId)), "savepoint path");
    }

    /** {@code flink cancel jobId}. */
    void cancel(String jobId) throws IOException {
        flink("cancel", List.of("cancel", jobId));
    }

    /** Completed checkpoints of the job so far, from the REST API. */
    int completedCheckpoints(String jobId) {
        return checkpointCount(jobId, "completed");
    }

    /** How often the job was started from a checkpoint or savepoint (its restarts and a {@code -s} restore). */
    int restoredCheckpoints(String jobId) {
        return checkpointCount(jobId, "restored");
    }

    private int checkpointCount(String jobId, String kind) {
        return rest("/jobs/" + jobId + "/checkpoints").path("counts").path(kind).asInt();
    }

    /** GET on the JobManager's REST API. */
    JsonNode rest(String path) {
        JsonNode node = tryRest(path);
        if (node == null) {
            throw new IllegalStateException("no answer from the JobManager's REST API for " + path);
        }
        return node;
    }

    /** GET of TaskManager {@code index}'s Prometheus endpoint: the metrics in Prometheus' text format. */
    String scrapePrometheus(int index) throws IOException, InterruptedException {
        return scrape(taskManagers.get(index).prometheusPort());
    }

    /** GET of the JobManager's Prometheus endpoint (job-level metrics: checkpoints, restarts). */
    String scrapeJobManagerPrometheus() throws IOException, InterruptedException {
        return scrape(jobManagerPrometheusPort);
    }

    private String scrape(int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Polls {@code condition} every 200 ms until it holds; fails after 90 s naming {@code what}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + START_TIMEOUT.toSeconds() + " s waiting for "
                        + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
    }

    private synchronized void killAll() {
        for (Process p : started) {
            p.destroyForcibly();
        }
        for (Process p : started) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private JsonNode tryRest(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Runs Flink's command-line client in a process of its own; returns its output, fails on a non-zero exit. */
    private String flink(String name, List<String> cliArgs) throws IOException {
        List<String> command = java("client-" + name, List.of());
        command.add(CLIENT_MAIN);
        command.addAll(cliArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("FLINK_CONF_DIR", confDir.toString());
        Path log = workDir.resolve("log").resolve("client-" + name + ".out");
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long offset = Files.exists(log) ? Files.size(log) : 0;
        Process process = builder.start();
        try {
            if (!process.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("flink " + String.join(" ", cliArgs) + " did not finish in "
                        + CLIENT_TIMEOUT.toSeconds() + " s; its output is in " + log);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running flink " + cliArgs.get(0), e);
        }
        byte[] all = Files.readAllBytes(log);
        String output = new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("flink " + String.join(" ", cliArgs) + " exited with "
                    + process.exitValue() + ":\n" + output);
        }
        return output;
    }

    /** The two result lines of {@code BashJavaUtils command}: JVM options, then {@code -D key=value} settings. */
    private List<String> bashJavaUtils(String command) throws IOException {
        List<String> cmd = java("bash-java-utils", List.of());
        cmd.addAll(List.of(BASH_JAVA_UTILS, command, "--configDir", confDir.toString()));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> results = output.lines().filter(l -> l.startsWith(BASH_RESULT_PREFIX))
                .map(l -> l.substring(BASH_RESULT_PREFIX.length())).toList();
        if (results.size() != 2) {
            throw new IllegalStateException("BashJavaUtils " + command + " printed " + results.size()
                    + " result lines, expected 2 (JVM options, settings):\n" + output);
        }
        return results;
    }

    private List<String> java(String logName, List<String> memoryOpts) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(memoryOpts);
        command.addAll(FLINK_JVM_OPTS);
        command.addAll(extraJvmOpts);
        command.add("-Dlog.file=" + workDir.resolve("log").resolve(logName + ".log"));
        command.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j2.properties").toUri());
        command.addAll(List.of("-cp", libClasspath));
        return command;
    }

    private Process launch(String name, List<String> command) throws IOException {
        Path out = workDir.resolve("log").resolve(name + ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        synchronized (this) {
            started.add(process);
        }
        return process;
    }

    private static void kill(Process process) throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux and macOS
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " still alive 30 s after SIGKILL");
        }
    }

    private void writeConfig(Map<String, String> config) throws IOException {
        StringBuilder yaml = new StringBuilder("# written by FlinkProcessCluster\n");
        config.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(confDir.resolve("config.yaml"), yaml);
        Files.writeString(confDir.resolve("log4j2.properties"), String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = file",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = WARN",
                // each Kafka client's configuration at its start (secrets as [hidden]): what a deployment logs
                "logger.kafkaconfig.name = org.apache.kafka.common.config.AbstractConfig",
                "logger.kafkaconfig.level = INFO", ""));
    }

    private static List<String> splitArgs(String line) {
        return Arrays.stream(line.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    private static String find(Pattern pattern, String output, String what) {
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no " + what + " in the client's output:\n" + output);
        }
        return m.group(1);
    }

    /** The job jar under test, {@code ssm-app/target/ssm-stream.jar}, which the build packages before these tests. */
    static Path jobJar() {
        Path jar = Path.of(requiredProperty("ssmstream.cluster.jobJar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (mvn -B -ntp verify builds it"
                    + " before these tests; alone: mvn -B -ntp -DskipTests package -pl ssm-app -am)");
        }
        return jar;
    }

    static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run this test through Maven"
                    + " (cluster-tests/pom.xml sets it)");
        }
        return value;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return "Flink cluster in " + workDir + " (REST port " + restPort + ")";
    }
}
