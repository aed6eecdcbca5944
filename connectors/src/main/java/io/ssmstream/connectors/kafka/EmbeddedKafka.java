package io.ssmstream.connectors.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;
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
 * <p>Security: {@link Builder#saslUser} and {@link Builder#tls} make the client listener (named
 * {@value #FIXED_LISTENER}, on the fixed port or a free one) authenticate its clients: {@code SASL_PLAINTEXT} with
 * users, {@code SSL} with a certificate, {@code SASL_SSL} with both. Users log in with {@code SCRAM-SHA-512},
 * {@code SCRAM-SHA-256} or {@code PLAIN}; their SCRAM credentials are stored in the cluster's metadata at start, as
 * {@code kafka-configs --alter --add-config SCRAM-SHA-512=...} would. The broker's own listener stays plaintext on
 * a random port of {@code localhost}, for inter-broker traffic and for {@link #createTopics}; only the client
 * listener is what {@link #bootstrapServers()} returns. No ACLs: an authenticated user may do anything.
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
    /** SCRAM's iteration count for stored credentials: the broker's minimum allowed is 4096. */
    private static final int SCRAM_ITERATIONS = 4096;
    /** Names and passwords go into JAAS configuration text unescaped: keep to characters that need no quoting. */
    private static final Pattern JAAS_SAFE = Pattern.compile("[A-Za-z0-9._@+=-]+");

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private final SecurityProtocol securityProtocol;
    private final SelfSignedTls tls;
    private boolean closed;

    private EmbeddedKafka(KafkaClusterTestKit cluster, String bootstrapServers, SecurityProtocol securityProtocol,
                          SelfSignedTls tls) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
        this.securityProtocol = securityProtocol;
        this.tls = tls;
    }

    /** Starts a broker on a free port with the {@link Builder} defaults; blocks until it accepts clients. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code host:port} for clients' {@code bootstrap.servers}: the client listener, on the fixed port when one was
     * asked for.
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The client listener's protocol: PLAINTEXT unless {@link Builder#saslUser} or {@link Builder#tls} was given. */
    public SecurityProtocol securityProtocol() {
        return securityProtocol;
    }

    /**
     * The settings a client needs, beside {@code bootstrap.servers}, to connect to the client listener:
     * {@code security.protocol}, the trust store when it is TLS, and for SASL {@code sasl.mechanism} and a
     * {@code sasl.jaas.config} with this user and password (which need not be right: a test of refused logins
     * passes a wrong one).
     *
     * @param mechanism SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN; ignored (may be null) without SASL
     * @throws IllegalArgumentException on an unknown mechanism, or a user or password that is blank or holds
     *                                  characters other than letters, digits and {@code ._@+=-}
     */
    public Properties clientProperties(String mechanism, String user, String password) {
        Properties props = new Properties();
        props.setProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol.name);
        if (tls != null) {
            props.setProperty(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.trustStore().toString());
            props.setProperty(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.password());
            props.setProperty(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        }
        if (isSasl(securityProtocol)) {
            props.setProperty(SaslConfigs.SASL_MECHANISM, mechanism);
            props.setProperty(SaslConfigs.SASL_JAAS_CONFIG, clientJaasConfig(mechanism, user, password));
        }
        return props;
    }

    private static boolean isSasl(SecurityProtocol protocol) {
        return protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
    }

    private static String clientJaasConfig(String mechanism, String user, String password) {
        String module = switch (mechanism == null ? "" : mechanism) {
            case "SCRAM-SHA-512", "SCRAM-SHA-256" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
            case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
            default -> throw new IllegalArgumentException("mechanism must be SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN,"
                    + " got " + mechanism);
        };
        return module + " required username=\"" + jaasSafe(user, "user") + "\" password=\""
                + jaasSafe(password, "password") + "\";";
    }

    private static String jaasSafe(String value, String what) {
        if (value == null || !JAAS_SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be non-empty letters, digits and ._@+=- only"
                    + (what.equals("password") ? "" : ", got \"" + value + "\""));
        }
        return value;
    }

    /**
     * Creates topics with {@code partitions} partitions each (replication factor 1) and returns once every
     * partition's leader serves requests: a topic just created may still refuse writes with NOT_LEADER_OR_FOLLOWER,
     * and an idempotent producer that meets that on its first batch can retry it with OUT_OF_ORDER_SEQUENCE_NUMBER
     * until its delivery timeout (seen here: the batch was lost).
     *
     * @throws IllegalArgumentException if {@code partitions < 1}, no name is given, or a name is blank
     * @throws IllegalStateException if the broker refuses (e.g. a topic already exists) or does not answer in time
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
        try (Admin admin = internalAdmin(cluster)) {
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

    /**
     * Waits until the broker knows the user's SCRAM credentials: they reach it through the metadata log a moment
     * after the controller stored them.
     */
    private void awaitLogin(Map.Entry<String, String> user) throws InterruptedException, TimeoutException {
        Properties props = clientProperties("SCRAM-SHA-512", user.getKey(), user.getValue());
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    admin.describeCluster().clusterId().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("user " + user.getKey() + " cannot log in on the client"
                                + " listener: " + e.getCause().getMessage(), e.getCause());
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    /** An admin client on the broker's own plaintext listener, which needs no credentials. */
    private static Admin internalAdmin(KafkaClusterTestKit cluster) {
        Properties props = new Properties();
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        return Admin.create(props);
    }

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

    /** Stops the broker and deletes its data. Idempotent. */
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
        private final Map<String, String> saslUsers = new LinkedHashMap<>();
        private SelfSignedTls tls;

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
         * A user who may log in on the client listener (SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN); repeatable, a
         * later password for the same name replaces the earlier. Any user makes the client listener SASL. Default:
         * none.
         *
         * @throws IllegalArgumentException if the name or password is blank or holds characters other than
         *                                  letters, digits and {@code ._@+=-}
         */
        public Builder saslUser(String name, String password) {
            saslUsers.put(jaasSafe(name, "user"), jaasSafe(password, "password"));
            return this;
        }

        /** TLS on the client listener with this certificate (SSL, or SASL_SSL with users). Default: none. */
        public Builder tls(SelfSignedTls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        private SecurityProtocol clientProtocol() {
            if (saslUsers.isEmpty()) {
                return tls == null ? SecurityProtocol.PLAINTEXT : SecurityProtocol.SSL;
            }
            return tls == null ? SecurityProtocol.SASL_PLAINTEXT : SecurityProtocol.SASL_SSL;
        }

        /** The client listener's settings, as {@code listener.name.fixed.*} broker properties. */
        private Map<String, String> clientListenerSecurity(SecurityProtocol protocol) {
            String prefix = "listener.name." + FIXED_LISTENER.toLowerCase(Locale.ROOT) + ".";
            Map<String, String> props = new LinkedHashMap<>();
            if (tls != null) {
                props.put(prefix + SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, tls.keyStore().toString());
                props.put(prefix + SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, tls.password());
                props.put(prefix + SslConfigs.SSL_KEY_PASSWORD_CONFIG, tls.password());
                props.put(prefix + SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
            }
            if (isSasl(protocol)) {
                props.put(prefix + "sasl.enabled.mechanisms", "SCRAM-SHA-512,SCRAM-SHA-256,PLAIN");
                StringBuilder plain = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required");
                saslUsers.forEach((name, password) -> plain.append(" user_").append(name).append("=\"")
                        .append(password).append('"'));
                props.put(prefix + "plain." + SaslConfigs.SASL_JAAS_CONFIG, plain.append(';').toString());
                String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
                props.put(prefix + "scram-sha-512." + SaslConfigs.SASL_JAAS_CONFIG, scram);
                props.put(prefix + "scram-sha-256." + SaslConfigs.SASL_JAAS_CONFIG, scram);
            }
            return props;
        }

        /**
         * Formats a fresh data directory, starts the node and waits until the broker is ready for clients (with
         * users: until the first of them can log in with SCRAM).
         *
         * @throws IllegalStateException if the fixed port is taken or the broker does not start
         */
        public EmbeddedKafka start() {
            if (port != 0) {
                checkPortFree(port);
            }
            SecurityProtocol protocol = clientProtocol();
            boolean clientListener = port != 0 || protocol != SecurityProtocol.PLAINTEXT;
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
            if (clientListener) {
                // The test kit's broker (EXTERNAL) and controller listeners keep their pre-bound random ports.
                props.put("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0," + FIXED_LISTENER
                        + "://localhost:" + port);
                props.put("listener.security.protocol.map",
                        "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT," + FIXED_LISTENER + ":" + protocol.name);
                props.putAll(clientListenerSecurity(protocol));
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
                String bootstrap = !clientListener ? cluster.bootstrapServers() : "localhost:"
                        + cluster.brokers().values().iterator().next().boundPort(new ListenerName(FIXED_LISTENER));
                EmbeddedKafka kafka = new EmbeddedKafka(cluster, bootstrap, protocol, tls);
                if (!saslUsers.isEmpty()) {
                    storeScramCredentials(cluster);
                    kafka.awaitLogin(saslUsers.entrySet().iterator().next());
                }
                return kafka;
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

        /** One request per mechanism: the controller refuses two alterations of one user in a request. */
        private void storeScramCredentials(KafkaClusterTestKit cluster) throws Exception {
            try (Admin admin = internalAdmin(cluster)) {
                for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_512, ScramMechanism.SCRAM_SHA_256)) {
                    List<UserScramCredentialAlteration> upserts = new ArrayList<>();
                    saslUsers.forEach((name, password) -> upserts.add(new UserScramCredentialUpsertion(name,
                            new ScramCredentialInfo(mechanism, SCRAM_ITERATIONS), password)));
                    admin.alterUserScramCredentials(upserts).all()
                            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
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
