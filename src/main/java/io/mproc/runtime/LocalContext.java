package io.mproc.runtime;

import io.mproc.ClusterOptions;
import io.mproc.Connection;
import io.mproc.Job;
import io.mproc.JoinableQueue;
import io.mproc.Queue;
import io.mproc.ProcessOptions;
import io.mproc.RemoteProcess;
import io.mproc.Multiprocessing;
import io.mproc.Pool;
import io.mproc.Pipe;
import io.mproc.PoolOptions;
import io.mproc.cluster.Blocking;
import io.mproc.cluster.Logs;
import io.mproc.cluster.Node;
import io.mproc.cluster.Nodes;
import io.mproc.ipc.PipeEnd;
import io.mproc.ipc.QueueHandle;
import io.mproc.ipc.QueueHost;
import io.mproc.cluster.Settings;
import io.mproc.cluster.Supervisor;
import io.mproc.cluster.WorkerLauncher;
import io.mproc.pool.PoolImpl;
import io.mproc.process.ProcessTable;

import io.vertx.core.Context;
import io.vertx.core.eventbus.MessageConsumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded cluster: this JVM founds a Hazelcast cluster of its own (a unique name,
 * bound to the configured host) and hosts the supervisor, which starts worker JVMs for
 * the pools this context makes.
 */
public final class LocalContext implements Multiprocessing {
    private static final System.Logger LOG = System.getLogger(LocalContext.class.getName());

    private final Node node;
    private final String clusterName;
    private final ProcessTable processes;
    private final Set<PoolImpl> pools = ConcurrentHashMap.newKeySet();
    private final AtomicInteger poolCount = new AtomicInteger();
    private boolean closed;

    private final AtomicInteger queueCount = new AtomicInteger();
    private final AtomicInteger pipeCount = new AtomicInteger();
    private final List<MessageConsumer<?>> hosts = new java.util.concurrent.CopyOnWriteArrayList<>();

    private LocalContext(Node node, String clusterName) {
        this.node = node;
        this.clusterName = clusterName;
        this.processes = new ProcessTable(node.vertx());
        Nodes.register(clusterName, node.vertx());
    }

    public static LocalContext start(ClusterOptions options) {
        Settings settings = Settings.load();
        Logs.quiet(settings);
        String host = options.host() != null ? options.host() : settings.get("mproc.host", "127.0.0.1");
        String clusterName = "mproc-" + UUID.randomUUID().toString().substring(0, 8);
        Node node = Node.start(settings, clusterName, host, null, false);
        try {
            WorkerLauncher launcher = new WorkerLauncher(settings, clusterName, node.joinAddress(), host, options.workerJvmOptions());
            int spares = settings.getInt("mproc.spares", 1);
            if (spares < 0) {
                throw new IllegalArgumentException("mproc.spares must be >= 0: " + spares);
            }
            Blocking.await(node.vertx().deployVerticle(new Supervisor(launcher, node, host, spares)), Duration.ofSeconds(30),
                    "deploying the supervisor");
        } catch (RuntimeException e) {
            node.close(Duration.ofSeconds(5));
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "embedded cluster {0} at {1}", clusterName, node.joinAddress());
        return new LocalContext(node, clusterName);
    }

    @Override
    public Pool pool(PoolOptions options) {
        checkOpen();
        PoolImpl pool = PoolImpl.start(node.vertx(), "pool-" + poolCount.incrementAndGet(), options, pools::remove);
        pools.add(pool);
        return pool;
    }

    @Override
    public RemoteProcess process(Job job, ProcessOptions options) {
        checkOpen();
        return processes.create(job, options);
    }

    @Override
    public <T> Queue<T> queue(int maxsize) {
        return hostQueue("Queue-" + queueCount.incrementAndGet(), maxsize, false);
    }

    @Override
    public <T> JoinableQueue<T> joinableQueue(int maxsize) {
        return hostQueue("JoinableQueue-" + queueCount.incrementAndGet(), maxsize, true);
    }

    @Override
    public Pipe pipe(boolean duplex) {
        String name = "Pipe-" + pipeCount.incrementAndGet();
        QueueHandle<Object> toLeft = hostQueue(name + "-to-left", 0, false);
        if (!duplex) {
            Connection receiver = new PipeEnd(name + "-left", null, toLeft);
            Connection sender = new PipeEnd(name + "-right", toLeft, null);
            return new Ends(receiver, sender);
        }
        QueueHandle<Object> toRight = hostQueue(name + "-to-right", 0, false);
        return new Ends(new PipeEnd(name + "-left", toRight, toLeft), new PipeEnd(name + "-right", toLeft, toRight));
    }

    private record Ends(Connection left, Connection right) implements Pipe {
    }

    /** Hosts a queue's state in this JVM, on an event loop of its own choosing, and returns a handle on it. */
    private <T> QueueHandle<T> hostQueue(String name, int maxsize, boolean joinable) {
        checkOpen();
        String address = "mproc.queue." + UUID.randomUUID();
        Context context = node.vertx().getOrCreateContext();
        CompletableFuture<QueueHost> host = new CompletableFuture<>();
        context.runOnContext(v -> host.complete(new QueueHost(node.vertx(), address, name, maxsize)));
        MessageConsumer<?> consumer = host.join().consumer();
        Blocking.await(consumer.completion(), Duration.ofSeconds(30), "hosting " + name);
        hosts.add(consumer);
        return new QueueHandle<>(clusterName, address, name, maxsize, joinable);
    }

    @Override
    public List<RemoteProcess> activeChildren() {
        return processes.active();
    }

    private synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException("context " + clusterName + " is closed");
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        processes.shutdown();
        hosts.forEach(MessageConsumer::unregister);
        List<PoolImpl> open = new ArrayList<>(pools);
        for (PoolImpl pool : open) {
            try {
                pool.terminate();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "terminating " + pool.id() + ": " + e);
            }
        }
        Nodes.unregister(clusterName);
        node.close(Duration.ofSeconds(30));
    }

    @Override
    public String toString() {
        return "Multiprocessing.local(" + clusterName + " at " + node.joinAddress() + ")";
    }
}
