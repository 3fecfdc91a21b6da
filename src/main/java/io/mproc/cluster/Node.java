package io.mproc.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceFactory;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import io.mproc.codec.SentClasses;
import io.mproc.codec.SerialFilter;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.JksOptions;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One JVM's membership of a cluster: a clustered Vert.x over Hazelcast, tuned to join in about
 * a second instead of Hazelcast's default of several (measured). Join by TCP-IP to one known address only (no multicast, no
 * auto-detection), bind the given interface only, port 0 for Hazelcast and the event bus,
 * no wait before join, no phone-home, fast heartbeats. Workers are lite members: they own
 * no partitions, so their coming and going moves no data.
 */
public final class Node {
    private final Vertx vertx;
    private final LeavingClusterManager manager;
    /** The identity this member proved it holds; null when the cluster checks none ({@code mproc.security=off}). */
    private final ClusterIdentity identity;
    private static final Duration JOIN_PATIENCE = Duration.ofSeconds(60);
    private final Pending pending = new Pending();
    private final SentClasses sentClasses = SentClasses.forContext();
    private volatile ProgramClasses programClasses;

    static {
        // Netty 4.2 starts the JDK's flight recorder for its buffer events unless told not to:
        // about 0.15 CPU-s of every JVM's start (measured), for events nobody records
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
    }

    private Node(Vertx vertx, LeavingClusterManager manager, ClusterIdentity identity) {
        this.identity = identity;
        this.vertx = vertx;
        this.manager = manager;
    }

    /**
     * Starts a member of cluster {@code clusterName} bound to {@code host}.
     *
     * @param join the Hazelcast address {@code host:port} of a member to join, or null to found the cluster
     * @param lite whether this member owns no data (workers)
     */
    public static Node start(Settings settings, String clusterName, String host, String join, boolean lite) {
        return start(settings, clusterName, host, join, lite, 0, () -> { }, null);
    }

    /**
     * As {@link #start(Settings, String, String, String, boolean)}, Hazelcast listening on {@code port}
     * (0: one the OS gives), and {@code beforeJoin} run once this member is built and about to ask
     * to join: a worker waits there for its turn (see {@link JoinGate}), so that only the join
     * itself, not the building of the member, is taken one worker at a time. The member admits
     * others only with a proof of the cluster's identity ({@link MemberContext}): {@code identity},
     * or when null, the one {@code settings} name ({@link ClusterIdentity#load}), unless
     * {@code mproc.security=off}.
     */
    public static Node start(Settings settings, String clusterName, String host, String join, boolean lite, int port,
                             Runnable beforeJoin, ClusterIdentity identity) {
        return start(settings, clusterName, host, join, lite, port, beforeJoin, identity, null);
    }

    /** Vert.x's metrics for a node: the factory that makes them and the options that turn them on. */
    public record Metrics(io.vertx.core.spi.VertxMetricsFactory factory, io.vertx.core.metrics.MetricsOptions options) {
    }

    /** As {@link #start(Settings, String, String, String, boolean, int, Runnable, ClusterIdentity)}, with Vert.x's {@code metrics} (null: none). */
    public static Node start(Settings settings, String clusterName, String host, String join, boolean lite, int port,
                             Runnable beforeJoin, ClusterIdentity identity, Metrics metrics) {
        Config config = hazelcastConfig(settings, clusterName, host, join, lite, port);
        // Vert.x finds its node id here when it is given a Hazelcast member it did not build
        config.getMemberAttributeConfig().setAttribute(LeavingClusterManager.NODE_ID_ATTRIBUTE, UUID.randomUUID().toString());
        if (identity == null && ClusterIdentity.required(settings)) {
            identity = ClusterIdentity.load(settings);
        }
        JoinProof proof = identity == null ? null : new JoinProof(identity.key(), clusterName);
        if (proof != null) {
            config.getMemberAttributeConfig().setAttribute(JoinProof.ATTRIBUTE, proof.make(System.currentTimeMillis()));
        }
        String what = "joining cluster " + clusterName + (join == null ? "" : " at " + join);
        Blocking.checkNotOnEventLoop(what);
        EventBusOptions bus = eventBusOptions(host, identity); // before the member: a bad key pair fails with nothing started
        HazelcastInstance hazelcast;
        try {
            // on this thread: Hazelcast itself gives up after JOIN_PATIENCE (hazelcast.max.join.seconds)
            hazelcast = HazelcastInstanceFactory.newHazelcastInstance(config, "mproc-" + UUID.randomUUID(), new MemberContext(beforeJoin, proof));
        } catch (RuntimeException e) {
            throw new io.mproc.ProcessException(what + " failed: " + e, e);
        }
        LeavingClusterManager manager = new LeavingClusterManager(hazelcast);
        VertxOptions options = new VertxOptions()
                .setEventBusOptions(bus)
                .setEventLoopPoolSize(lite ? 2 : Math.max(2, Runtime.getRuntime().availableProcessors()))
                .setWorkerPoolSize(lite ? 4 : 20)
                .setInternalBlockingPoolSize(lite ? 4 : 20)
                // mproc serves no files: without this every JVM makes a /tmp/vertx-cache-* directory,
                // and a worker that halts leaves it behind
                .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false));
        io.vertx.core.VertxBuilder builder = Vertx.builder();
        if (metrics != null) {
            options.setMetricsOptions(metrics.options());
            builder.withMetrics(metrics.factory());
        }
        io.vertx.core.Future<Vertx> built = builder.with(options).withClusterManager(manager).buildClustered();
        Duration patience = startPatience(settings);
        try {
            return new Node(Blocking.await(built, patience, what), manager, identity);
        } catch (RuntimeException e) {
            built.onSuccess(Vertx::close); // a start that completes after all is not left running
            hazelcast.getLifecycleService().terminate();
            if (e.getCause() instanceof java.util.concurrent.TimeoutException) {
                throw new io.mproc.ProcessException(what + ": joined, but the member's start did not complete within "
                        + patience.toSeconds() + " s; it waited here:" + StallReport.now(), e.getCause());
            }
            throw e;
        }
    }

    /**
     * How long Vert.x's start on a member that has joined may take: it registers listeners on
     * every member, which a frozen member holds up until it is taken for dead
     * ({@code mproc.max.no.heartbeat.seconds}); otherwise it takes well under a second. A start
     * that takes longer fails, saying where it waited, and a worker tries its join again
     * (seen once in CI: a worker whose start had not completed after 60 s).
     */
    static Duration startPatience(Settings settings) {
        return Duration.ofSeconds(15 + settings.getInt("mproc.max.no.heartbeat.seconds", 5));
    }

    /**
     * As {@link #start(Settings, String, String, String, boolean, int, Runnable)}, without the
     * stack trace Vert.x logs when the join fails (a member that is not let in stands alone and
     * finds no data member): the caller says what went wrong in one line.
     */
    public static Node startQuietly(Settings settings, String clusterName, String host, String join, boolean lite,
                                    Runnable beforeJoin, ClusterIdentity identity) {
        return MemberContext.quietly(() -> start(settings, clusterName, host, join, lite, 0, beforeJoin, identity));
    }

    /**
     * The JDK's rounds of password hash for a key put in a PKCS#12 store. Vert.x puts the event
     * bus's TLS key into such a store, in memory, for each SSL context it makes; mproc's own JVMs
     * make it one round there ({@link io.mproc.runtime.WorkerMain}, the shell's {@code Main}).
     */
    public static final String KEY_ROUNDS = "keystore.pkcs12.keyPbeIterationCount";

    /**
     * The event bus on {@code host}, port 0; with an identity, mutual TLS 1.3: every peer must
     * present the cluster's certificate and is shown it, so that a JVM without the identity can
     * neither send to nor receive from any address. The certificate names no host: the
     * cluster's key pair, not an address, is what is checked (Vert.x's cluster connections
     * verify no host name). BoringSSL (netty-tcnative) does the TLS where its native library
     * loads, else the JDK: measured, a worker's TLS set-up and handshakes cost it ~0.2 s of CPU
     * at its start with BoringSSL, ~0.5 s with the JDK's code in a fresh JVM.
     */
    static EventBusOptions eventBusOptions(String host, ClusterIdentity identity) {
        EventBusOptions bus = new EventBusOptions().setHost(host).setPort(0).setClusterPublicHost(host);
        if (identity == null) {
            return bus; // mproc.security=off
        }
        // Vert.x passes the event bus's options on as JSON: key and trust as values, not as managers
        bus.setSsl(true).setClientAuth(ClientAuth.REQUIRED)
                .setKeyCertOptions(new JksOptions().setValue(Buffer.buffer(identity.tlsStore())).setPassword(ClusterIdentity.TLS_PASSWORD))
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(identity.tlsCertificatePem())))
                .setEnabledSecureTransportProtocols(java.util.Set.of("TLSv1.3"));
        if (OpenSSLEngineOptions.isAvailable()) {
            bus.setSslEngineOptions(new OpenSSLEngineOptions());
        }
        return bus;
    }

    /** The cluster's member that admits others refused this one, for the reason given. */
    public static final class JoinRefused extends io.mproc.ProcessException {
        JoinRefused(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    static Config hazelcastConfig(Settings settings, String clusterName, String host, String join, boolean lite, int port) {
        Config config = new Config();
        // what Vert.x's default-cluster.xml holds, built in code: parsing and schema-checking that
        // file cost every JVM about 0.3 s of its start (measured: class-load timeline of a worker)
        config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
        config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
        // Hazelcast's own metrics are collected every few seconds in every JVM and read by nobody
        config.getMetricsConfig().setEnabled(false);
        config.setClusterName(clusterName);
        config.setLiteMember(lite);
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        // after its join a member waits until it is connected to every other member, checking once a
        // second: a connection still being opened (or one to a member that just ended) cost each worker
        // a whole second (measured: join done in 0.13 s, then 1.0 s idle). Connections open when used.
        config.setProperty("hazelcast.connect.all.wait.seconds", "0");
        config.setProperty("hazelcast.max.join.seconds", String.valueOf(JOIN_PATIENCE.toSeconds()));
        // A member that just joined does not know the partition owners yet: its first map operations
        // (Vert.x's own, at its start) are retried with a growing pause, up to 500 ms, until the
        // master's partition table arrives some 250 ms later. Retrying every 20 ms instead made a
        // connect 0.85 -> 0.36 s (measured). The retry count keeps Hazelcast's patience of ~2 min.
        config.setProperty("hazelcast.invocation.retry.pause.millis", "20");
        config.setProperty("hazelcast.invocation.max.retry.count", "6000");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.heartbeat.interval.seconds", settings.get("mproc.heartbeat.seconds", "1"));
        config.setProperty("hazelcast.max.no.heartbeat.seconds", settings.get("mproc.max.no.heartbeat.seconds", "5"));
        if (lite) {
            config.setProperty("hazelcast.operation.thread.count", "1");
            config.setProperty("hazelcast.operation.generic.thread.count", "1");
            config.setProperty("hazelcast.io.thread.count", "1");
            config.setProperty("hazelcast.event.thread.count", "1");
            config.setProperty("hazelcast.clientengine.thread.count", "1");
        }
        config.getJetConfig().setEnabled(false);
        // a member can make another deserialize what it sends: the classes mproc refuses are refused here too
        config.getSerializationConfig().setJavaSerializationFilterConfig(SerialFilter.hazelcastFilter());
        // lock and value states are small objects changed in place by entry processors: keep them as objects
        config.addMapConfig(new MapConfig("mproc.sync").setInMemoryFormat(InMemoryFormat.OBJECT));
        // the cluster port speaks Hazelcast's member protocol only: no client protocol (a Hazelcast
        // client would read and write every map), no REST, no memcache
        ServerSocketEndpointConfig members = new ServerSocketEndpointConfig();
        members.setPort(port).setPortAutoIncrement(false);
        members.getInterfaces().setEnabled(true).clear().addInterface(host);
        members.setPublicAddress(null);
        AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true).setMemberEndpointConfig(members);
        JoinConfig joinConfig = network.getJoin();
        joinConfig.getMulticastConfig().setEnabled(false);
        joinConfig.getAutoDetectionConfig().setEnabled(false);
        joinConfig.getTcpIpConfig().setEnabled(true).clear();
        if (join != null) {
            joinConfig.getTcpIpConfig().addMember(join);
        }
        return config;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** The writes this member sent without waiting, and their fence. */
    public Pending pending() {
        return pending;
    }

    /** The loaders of the classes this member's program sent: what its {@link ClassServer} serves, where what comes back finds its classes. */
    public SentClasses sentClasses() {
        return sentClasses;
    }

    /** The loaders of the programs whose code runs in this JVM, one per program, made on first use. */
    public ProgramClasses programClasses() {
        ProgramClasses p = programClasses;
        if (p == null) {
            synchronized (this) {
                p = programClasses;
                if (p == null) {
                    p = new ProgramClasses(this);
                    programClasses = p;
                }
            }
        }
        return p;
    }

    /** The identity this member holds, which the worker JVMs it starts are given; null when the cluster checks none. */
    public ClusterIdentity identity() {
        return identity;
    }

    /** The Hazelcast member under this node's Vert.x: its maps hold shared values, dicts and lock states. */
    public HazelcastInstance hazelcast() {
        return manager.getHazelcastInstance();
    }

    /**
     * The JVM of member {@code uuid} left the cluster and has ended (a worker that wrote its exit
     * note): on the master, the member is dropped now. Hazelcast drops a member that closed its connections
     * only after five failed reconnections (about 0.3 s here); until then every join and every
     * new listener also waits on the gone member (measured: a spare joining as a process ended
     * was ready 0.7 s later, 0.1 s otherwise). Elsewhere nothing is done. Blocks briefly: call
     * it off the event loop.
     */
    public void memberGone(String uuid) {
        HazelcastInstance hazelcast = manager.getHazelcastInstance();
        if (!(hazelcast instanceof HazelcastInstanceProxy proxy) || !hazelcast.getLifecycleService().isRunning()) {
            return;
        }
        var members = hazelcast.getCluster().getMembers();
        if (members.isEmpty() || !members.iterator().next().localMember()) {
            return; // only the master (the oldest member) removes members
        }
        for (Member member : members) {
            if (member.getUuid().toString().equals(uuid) && !member.localMember()) {
                proxy.getOriginal().node.getClusterService().suspectMember(member, "its JVM has left", true);
            }
        }
    }

    /** The Hazelcast address other members join through, {@code host:port}. */
    public String joinAddress() {
        var address = manager.getHazelcastInstance().getCluster().getLocalMember().getAddress();
        return address.getHost() + ":" + address.getPort();
    }

    /**
     * Runs {@code joined} whenever a member joins the cluster, and {@code left} with the uuid
     * of each member that leaves it or is taken for dead (on a Hazelcast thread). The returned
     * action stops that.
     */
    public Runnable onMembership(Runnable joined, Consumer<String> left) {
        Cluster cluster = manager.getHazelcastInstance().getCluster();
        UUID id = cluster.addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                joined.run();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                left.accept(event.getMember().getUuid().toString());
            }
        });
        return () -> cluster.removeMembershipListener(id);
    }

    /**
     * Runs {@code gone} once, on a thread of its own, when no data member is left in the cluster:
     * the JVMs that hold its maps (a standing cluster's founder) left or died, and for the lite
     * members that remain (connected programs, other hosts' agents, workers) the cluster is gone.
     */
    public void onClusterGone(Runnable gone) {
        AtomicBoolean once = new AtomicBoolean();
        manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                if (event.getMembers().stream().allMatch(Member::isLiteMember) && once.compareAndSet(false, true)) {
                    daemon(gone, "mproc-cluster-gone").start();
                }
            }
        });
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The member of the cluster whose uuid is {@code uuid}; null if none is (any more). */
    public Member member(String uuid) {
        for (Member m : manager.getHazelcastInstance().getCluster().getMembers()) {
            if (m.getUuid().toString().equals(uuid)) {
                return m;
            }
        }
        return null;
    }

    /** This member's Hazelcast uuid, as membership events name it. */
    public String memberId() {
        return manager.getHazelcastInstance().getCluster().getLocalMember().getUuid().toString();
    }

    /** How many members the cluster has, this one included. */
    public int members() {
        return manager.getHazelcastInstance().getCluster().getMembers().size();
    }

    /** Leaves the cluster, waiting at most {@code cap}. */
    /**
     * Leaves the cluster for a JVM about to end (a worker): its Hazelcast member leaves first,
     * then Vert.x closes without undoing, one by one, what the cluster forgets of a member that
     * left anyway (its subscriptions, its listeners). In Vert.x's order each leaving worker asked
     * every member to drop its listeners and waited for those that were leaving too (measured:
     * five processes ending together, 1.2 s from the last task to the JVM's end, 0.1 s now).
     * Waits at most {@code cap}.
     */
    public void leaveAndEnd(Duration cap) {
        manager.leaving();
        try {
            CompletableFuture.runAsync(() -> manager.getHazelcastInstance().getLifecycleService().shutdown(),
                            task -> daemon(task, "mproc-leave").start())
                    .thenCompose(v -> vertx.close().toCompletionStage().toCompletableFuture().exceptionally(e -> null))
                    .get(cap.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.getLogger(Node.class.getName()).log(System.Logger.Level.INFO, "leaving the cluster: " + e);
        }
    }

    public void close(Duration cap) {
        HazelcastInstance hazelcast = manager.getHazelcastInstance();
        manager.leaving();
        try {
            // Vert.x leaves a Hazelcast member it did not build running: this node shuts it down after
            vertx.close().toCompletionStage().toCompletableFuture().exceptionally(e -> null)
                    .thenRunAsync(() -> hazelcast.getLifecycleService().shutdown(), task -> daemon(task, "mproc-leave").start())
                    .get(cap.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.getLogger(Node.class.getName()).log(System.Logger.Level.INFO, "leaving the cluster: " + e);
        }
    }

}
