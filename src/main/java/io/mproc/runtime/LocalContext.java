package io.mproc.runtime;

import io.mproc.Barrier;
import io.mproc.BrokenPoolException;
import io.mproc.ClusterOptions;
import io.mproc.Condition;
import io.mproc.DoubleArray;
import io.mproc.Event;
import io.mproc.Lock;
import io.mproc.LongArray;
import io.mproc.Manager;
import io.mproc.Semaphore;
import io.mproc.Value;
import io.mproc.Job;
import io.mproc.JoinableQueue;
import io.mproc.Multiprocessing;
import io.mproc.Pipe;
import io.mproc.Pool;
import io.mproc.PoolOptions;
import io.mproc.ProcessException;
import io.mproc.ProcessOptions;
import io.mproc.Queue;
import io.mproc.RemoteProcess;
import io.mproc.cluster.Addresses;
import io.mproc.cluster.Blocking;
import io.mproc.cluster.ClassServer;
import io.mproc.cluster.ClusterAddress;
import io.mproc.cluster.Logs;
import io.mproc.cluster.Node;
import io.mproc.cluster.Nodes;
import io.mproc.cluster.Settings;
import io.mproc.cluster.Supervisor;
import io.mproc.cluster.protocol.Request;
import io.mproc.ipc.Channels;
import io.mproc.ipc.NamedQueues;
import io.mproc.ipc.QueueHandle;
import io.mproc.shared.SharedObjects;
import io.mproc.pool.PoolImpl;
import io.mproc.process.ProcessTable;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded cluster: this JVM founds a Hazelcast cluster of its own (a unique name,
 * bound to the configured host) and hosts the supervisor, which starts worker JVMs for
 * the pools and processes this context makes, and the queues and pipes it makes.
 */
public final class LocalContext implements Multiprocessing {
    private static final System.Logger LOG = System.getLogger(LocalContext.class.getName());

    private final Node node;
    private final String clusterName;
    private final ProcessTable processes;
    private final Channels channels;
    private final SharedObjects shared;
    private final Set<PoolImpl> pools = ConcurrentHashMap.newKeySet();
    private final AtomicInteger poolCount = new AtomicInteger();
    private boolean closed;
    /** Why the standing cluster this program connected to is gone; null while it is there. */
    private volatile String gone;

    /** Prefix of the pool and process ids of this context: empty when it founded the cluster, unique when it joined one. */
    private final String scope;
    private final boolean founder;
    /** The status page's URL with its token, when this embedded cluster serves one. */
    private volatile String statusPage;

    private LocalContext(Node node, String clusterName, boolean founder) {
        this.node = node;
        this.clusterName = clusterName;
        this.founder = founder;
        this.scope = founder ? "" : UUID.randomUUID().toString().substring(0, 8) + "-";
        this.processes = new ProcessTable(node, scope);
        this.channels = new Channels(node.vertx(), node.hazelcast(), clusterName);
        this.shared = new SharedObjects(clusterName, node.memberId());
        // the workers running this program's code fetch from here the classes their class path lacks
        node.sentClasses().noteLoader(Thread.currentThread().getContextClassLoader());
        ClassServer.serve(node.memberId(), node.sentClasses());
        Nodes.register(clusterName, node);
    }

    public static LocalContext start(ClusterOptions options) {
        Settings settings = Settings.load();
        Logs.quiet(settings);
        String host = options.host() != null ? options.host() : settings.get("mproc.host", "127.0.0.1");
        String clusterName = "mproc-" + UUID.randomUUID().toString().substring(0, 8);
        int spares = settings.getInt("mproc.spares", 1);
        if (spares < 0) {
            throw new IllegalArgumentException("mproc.spares must be >= 0: " + spares);
        }
        io.mproc.web.WebMetrics metrics = options.statusPagePort() != null ? io.mproc.web.WebMetrics.create(settings) : null;
        Node node = Founding.found(settings, clusterName, host, 0, spares, options.workerJvmOptions(), Supervisor.Plan.embedded(),
                metrics == null ? null : metrics.vertxMetrics());
        LOG.log(System.Logger.Level.INFO, "embedded cluster {0} at {1}", clusterName, node.joinAddress());
        LocalContext context = new LocalContext(node, clusterName, true);
        if (options.statusPagePort() != null) {
            try {
                context.statusPage = io.mproc.web.ClusterWeb.serve(node, clusterName, host, options.statusPagePort(), metrics);
            } catch (RuntimeException e) {
                context.close();
                throw new IllegalArgumentException("the status page cannot listen on port " + options.statusPagePort() + " ("
                        + e.getCause() + "); give another port, or 0 for any", e);
            }
        }
        return context;
    }

    /**
     * Joins the standing cluster at {@code address} ({@code [name@]host:port}; the name defaults
     * to {@code mproc}) as a lite member: this program holds none of the cluster's data, so its
     * end loses nothing of the others'. Its pools and processes run on the cluster's workers.
     */
    public static LocalContext connect(String address, ClusterOptions options) {
        ClusterAddress cluster = ClusterAddress.parse(address);
        Settings settings = Settings.load();
        Logs.quiet(settings);
        Node node = cluster.join(settings, options.host());
        LOG.log(System.Logger.Level.INFO, "connected to cluster {0}", cluster);
        LocalContext context = new LocalContext(node, cluster.name(), false);
        node.onClusterGone(() -> context.clusterGone(cluster.toString()));
        return context;
    }

    /**
     * The standing cluster's data member (its {@code run.sh cluster} JVM) left or died: nothing of
     * the cluster survives (its maps, queues and workers went with it). Outstanding pool work fails
     * with {@link BrokenPoolException}, processes count as ended (-15), and every later call
     * fails at once; {@link #close()} then returns without asking the cluster anything.
     */
    private void clusterGone(String address) {
        String why = "the cluster at " + address + " is gone: the JVM that held its data (run.sh cluster) left or died, and its"
                + " workers, queues and shared objects with it; this program's work on it was dropped. Start the cluster again"
                + " and connect anew";
        gone = why;
        LOG.log(System.Logger.Level.WARNING, why);
        for (PoolImpl pool : pools) {
            pool.clusterGone(new BrokenPoolException(why));
        }
        processes.clusterGone();
    }

    @Override
    public Pool pool(PoolOptions options) {
        checkOpen("pool");
        // On a standing cluster a pool runs on the cluster's workers, shared with other programs; one that
        // recycles its workers (maxTasksPerChild) gets workers of its own, as it would from Python.
        String member = founder || options.maxTasksPerChild() > 0 ? null : node.memberId();
        PoolImpl pool = PoolImpl.start(node, scope + "pool-" + poolCount.incrementAndGet(), options, pools::remove, member);
        pools.add(pool);
        return pool;
    }

    @Override
    public RemoteProcess process(Job job, ProcessOptions options) {
        checkOpen("process");
        return processes.create(job, options);
    }

    @Override
    public <T> Queue<T> queue(int maxsize) {
        checkOpen("queue");
        return channels.queue(maxsize, false);
    }

    @Override
    public <T> JoinableQueue<T> joinableQueue(int maxsize) {
        checkOpen("joinableQueue");
        return channels.queue(maxsize, true);
    }

    @Override
    public <T> Queue<T> queue(String name, int maxsize) {
        return named(name, maxsize, false);
    }

    @Override
    public <T> JoinableQueue<T> joinableQueue(String name, int maxsize) {
        return named(name, maxsize, true);
    }

    private <T> QueueHandle<T> named(String name, int maxsize, boolean joinable) {
        checkOpen("queue");
        return NamedQueues.find(node.vertx(), clusterName, name, maxsize, joinable);
    }

    @Override
    public Pipe pipe(boolean duplex) {
        checkOpen("pipe");
        return channels.pipe(duplex);
    }

    @Override
    public <T> Value<T> value(T initial) {
        return value(null, initial);
    }

    @Override
    public <T> Value<T> value(String name, T initial) {
        checkOpen("value");
        return shared.value(name, initial);
    }

    @Override
    public LongArray array(long[] initial) {
        checkOpen("array");
        return shared.array(null, initial);
    }

    @Override
    public DoubleArray array(double[] initial) {
        checkOpen("array");
        return shared.array(null, initial);
    }

    @Override
    public Manager manager() {
        checkOpen("manager");
        return shared;
    }

    @Override
    public Lock lock(String name) {
        checkOpen("lock");
        return shared.lock(name, false);
    }

    @Override
    public Lock rlock(String name) {
        checkOpen("rlock");
        return shared.lock(name, true);
    }

    @Override
    public Semaphore semaphore(String name, int permits) {
        checkOpen("semaphore");
        return shared.semaphore(name, permits, false);
    }

    @Override
    public Semaphore boundedSemaphore(String name, int permits) {
        checkOpen("boundedSemaphore");
        return shared.semaphore(name, permits, true);
    }

    @Override
    public Event event(String name) {
        checkOpen("event");
        return shared.event(name);
    }

    @Override
    public Condition condition(Lock lock) {
        checkOpen("condition");
        return shared.condition(null, lock);
    }

    @Override
    public Barrier barrier(String name, int parties) {
        checkOpen("barrier");
        return shared.barrier(name, parties);
    }

    @Override
    public java.util.Optional<String> statusPage() {
        return java.util.Optional.ofNullable(statusPage);
    }

    @Override
    public int clusterCpuCount() {
        checkOpen("clusterCpuCount");
        if (founder) {
            return Multiprocessing.cpuCount();
        }
        return askSupervisor(new Request.Cpus(), Duration.ofSeconds(10), "asking the cluster for its cores")
                .getInteger("cpus");
    }

    @Override
    public List<String> deployOnWorkers(String verticleClass) {
        checkOpen("deployOnWorkers");
        if (founder) {
            throw new UnsupportedOperationException("verticles are deployed on a standing cluster's workers (run.sh cluster;"
                    + " Multiprocessing.connect); an embedded cluster's workers belong to one pool or process each");
        }
        return askSupervisor(new Request.Deploy(verticleClass, node.memberId()), Duration.ofSeconds(60),
                "deploying " + verticleClass + " on the cluster's workers").getJsonArray("workers").stream().map(String::valueOf).toList();
    }

    private JsonObject askSupervisor(Request request, Duration timeout, String what) {
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
        return Blocking.await(node.vertx().eventBus().<JsonObject>request(Addresses.SUPERVISOR, request.toJson(), options),
                timeout.plusSeconds(5), what).body();
    }

    @Override
    public boolean delete(String name) {
        checkOpen("delete");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("delete needs the name of a named object: '" + name + "'");
        }
        boolean queue = NamedQueues.delete(node.vertx(), name);
        return shared.delete(name) | queue;
    }

    @Override
    public List<RemoteProcess> activeChildren() {
        return processes.active();
    }

    /**
     * Every factory blocks (it asks the cluster): on an event loop it would wait for a reply
     * that loop has to deliver, so it fails at once there instead.
     */
    private synchronized void checkOpen(String call) {
        if (closed) {
            throw new IllegalStateException("context " + clusterName + " is closed");
        }
        if (gone != null) {
            throw new ProcessException(gone);
        }
        Blocking.checkNotOnEventLoop("Multiprocessing." + call + "()");
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        boolean lost = gone != null;
        if (!lost) {
            // what this program put is delivered, and the items it got are confirmed (else they
            // would come back to their queues when its member leaves), while the hosts still run
            try {
                QueueHandle.flushAll(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing: not everything put was delivered: " + e.getMessage());
            }
        }
        processes.shutdown();
        channels.close();
        List<PoolImpl> open = new ArrayList<>(pools);
        for (PoolImpl pool : open) {
            try {
                pool.terminate();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "terminating " + pool.id() + ": " + e);
            }
        }
        if (!lost) {
            shared.close(!founder); // a program leaving a standing cluster takes its unnamed objects along
        }
        Nodes.unregister(clusterName, node);
        ClassServer.stop(node.memberId());
        node.close(Duration.ofSeconds(lost ? 2 : 30)); // leaving a cluster with no data member waits on it in vain
    }

    /**
     * Waits (at most {@code timeout}) until no worker JVM of this context's supervisor is
     * starting, e.g. a spare being refilled: for a measurement that wants the machine to itself.
     */
    public void awaitSettled(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var rows = askSupervisor(new Request.Status(), Duration.ofSeconds(10), "asking for the workers' states")
                    .getJsonArray("workers");
            if (rows.stream().map(JsonObject.class::cast).noneMatch(r -> "starting".equals(r.getString("state")))) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The name of the cluster this context is a member of. */
    public String clusterName() {
        return clusterName;
    }

    @Override
    public String toString() {
        return (founder ? "Multiprocessing.local(" : "Multiprocessing.connect(") + clusterName + " at " + node.joinAddress() + ")";
    }
}
