package io.ssmstream.connectors.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.admin.OffsetSpec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.common.TransactionVersion;

/**
 * A real Kafka broker in this JVM: one KRaft node that is both broker and controller, with its data in a temporary
 * directory that is deleted on {@link #close()}.
 *
 * <p>Why: the integration tests, the demo and the {@code ssm-stream kafka} command need a Kafka that supports
 * transactions and {@code read_committed} exactly like a production cluster, without Docker or a separate
 * install. It is started with Kafka's own {@link KafkaClusterTestKit}, so it is the real broker code, not a mock.
 *
 * <p>Single-node settings: every internal topic (consumer offsets, transaction state, share-group state) has
 * replication factor 1 and min ISR 1 (the defaults of 3 would make transactions and consumer groups hang on one
 * node) and few partitions (fast first use); {@code transaction.max.timeout.ms} is 1 hour, so producers may use
 * the 15 minute transaction timeout of {@link KafkaSinks}; consumer groups start without the initial rebalance
 * delay. Topics are auto-created on first use, as on a default broker.
 *
 * <p>Port: by default the client listener binds a free port on {@code localhost}, see {@link #bootstrapServers()}.
 * {@link Builder#port(int)} adds a listener on a fixed port of {@code localhost} (e.g. 9092, for clients
 * configured outside this JVM) and makes it the one {@link #bootstrapServers()} returns. The test kit pre-binds
 * its own broker listener to a random port and ignores any port configured for it, so the fixed port is a second
 * listener named {@value #FIXED_LISTENER}; the broker advertises, on each listener, that listener's address.
 *
 * <p>Kafka's storage formatter prints two lines ("Bootstrap metadata: ...", "Formatting metadata directory ...")
 * to standard output on start; the test kit gives no way to silence them. The kit also enables Kafka's
 * not-yet-released metadata version and features, as Kafka's own integration tests do; clients of Kafka 4.x
 * negotiate the versions they support.
 */
public final class EmbeddedKafka implements AutoCloseable {
    /** Name of the extra listener bound to {@link Builder#port(int)}. */
    public static final String FIXED_LISTENER = "FIXED";

    /**
     * The latest production metadata version, with transactions at version 1. Transaction version 2 (KIP-890, an
     * epoch bump at every commit) breaks Flink's KafkaSink recovery: after a failure it re-commits the transactions
     * of the restored checkpoint with the epoch it snapshotted, the broker fences that, and those records are
     * lost to read_committed readers (seen here in the failure test; flink-connector-kafka 5.0.0-2.2).
     */
    private static final BootstrapMetadata BOOTSTRAP_METADATA = BootstrapMetadata.fromVersions(
            MetadataVersion.LATEST_PRODUCTION,
            Map.of(TransactionVersion.FEATURE_NAME, TransactionVersion.TV_1.featureLevel()),
            "ssm-stream embedded broker");
    /** Broker-side limit on producers' {@code transaction.timeout.ms}; above the sinks' 15 min default. */
    public static final Duration TRANSACTION_MAX_TIMEOUT = Duration.ofHours(1);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private boolean closed;

    private EmbeddedKafka(KafkaClusterTestKit cluster, String bootstrapServers) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker on a free port with the {@link Builder} defaults; blocks until it accepts clients. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code host:port} for clients' {@code bootstrap.servers}: the fixed port when one was asked for. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates topics with {@code partitions} partitions each (replication factor 1) and waits until they exist.
     *
     * @throws IllegalArgumentException if {@code partitions < 1}, no name is given, or a name is blank
     * @throws IllegalStateException if the broker refuses (e.g. a topic already exists) or does not answer in time
     */
    /**
     * Creates the topics and returns once every partition's leader serves requests: a topic just created may
     * still refuse writes with NOT_LEADER_OR_FOLLOWER, and an idempotent producer that meets that on its first
     * batch can retry it with OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout (seen here: the batch was
     * lost).
     */
    public void createTopics(int partitions, String... names) {
        createTopics(partitions, Map.of(), names);
    }

    /**
     * Creates single-partition topics with {@code cleanup.policy=compact}, as the model-update topic should be:
     * the broker keeps the latest record per key (model name), so a restarted job still finds the current model.
     */
    public void createCompactedTopics(String... names) {
        createTopics(1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT), names);
    }

    private void createTopics(int partitions, Map<String, String> configs, String... names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        Objects.requireNonNull(names, "names");
        if (names.length == 0) {
            throw new IllegalArgumentException("names: give at least one topic name");
        }
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("names: topic name must not be blank, got \"" + name + "\"");
            }
            topics.add(new NewTopic(name, partitions, (short) 1).configs(configs));
        }
        ensureOpen();
        Properties props = new Properties();
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(topics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitLeaders(admin, names, partitions);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create topics " + List.of(names) + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topics " + List.of(names) + " took over " + ADMIN_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + List.of(names), e);
        }
    }

    /** Stops the broker and deletes its data. Idempotent. */
    /** Polls list-offsets (served by each partition's leader) until every partition answers. */
    private static void awaitLeaders(Admin admin, String[] names, int partitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (String name : names) {
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(name, p), OffsetSpec.latest());
            }
        }
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                admin.listOffsets(request).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("error while stopping the embedded Kafka broker", e);
        }
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the embedded Kafka broker is closed");
        }
    }

    /** Settings of an {@link EmbeddedKafka}; {@link #start()} starts it. */
    public static final class Builder {
        private int port;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * A fixed client port on {@code localhost}; default 0: a free port chosen at start.
         *
         * @throws IllegalArgumentException if not in 0..65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535 (0: any free port), got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * A broker setting (e.g. {@code log.retention.ms}), applied after, and so overriding, the single-node
         * defaults listed in the class comment. Default: none.
         *
         * @throws IllegalArgumentException if the key is blank or the value null
         */
        public Builder brokerProperty(String key, String value) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("key must not be blank");
            }
            if (value == null) {
                throw new IllegalArgumentException("value of broker property " + key + " must not be null");
            }
            brokerProperties.put(key, value);
            return this;
        }

        /**
         * Formats a fresh data directory, starts the node and waits until the broker is ready for clients.
         *
         * @throws IllegalStateException if the fixed port is taken or the broker does not start
         */
        public EmbeddedKafka start() {
            if (port != 0) {
                checkPortFree(port);
            }
            Map<String, String> props = new LinkedHashMap<>();
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "5");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", "5");
            props.put("transaction.max.timeout.ms", Long.toString(TRANSACTION_MAX_TIMEOUT.toMillis()));
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("auto.create.topics.enable", "true");
            props.put("num.partitions", "1");
            if (port != 0) {
                // The test kit's broker (EXTERNAL) and controller listeners keep their pre-bound random ports.
                props.put("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0," + FIXED_LISTENER
                        + "://localhost:" + port);
                props.put("listener.security.protocol.map",
                        "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT," + FIXED_LISTENER + ":PLAINTEXT");
            }
            props.putAll(brokerProperties);

            KafkaClusterTestKit cluster = null;
            try {
                KafkaClusterTestKit.Builder kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setBootstrapMetadata(BOOTSTRAP_METADATA)
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build());
                props.forEach(kit::setConfigProp);
                cluster = kit.build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                String bootstrap = port != 0 ? "localhost:" + port : cluster.bootstrapServers();
                return new EmbeddedKafka(cluster, bootstrap);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (cluster != null) {
                    try {
                        cluster.close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw new IllegalStateException("the embedded Kafka broker did not start"
                        + (port != 0 ? " on localhost:" + port : "") + ": " + e, e);
            }
        }

        /** Fails with a clear message now rather than with a bind error deep in the broker's startup. */
        private static void checkPortFree(int port) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName("localhost"), port));
            } catch (IOException e) {
                throw new IllegalStateException("port " + port + " on localhost is already in use (" + e.getMessage()
                        + "); stop what listens there or choose another port", e);
            }
        }
    }
}
