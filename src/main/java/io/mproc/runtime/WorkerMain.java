package io.mproc.runtime;

import io.mproc.cluster.Addresses;
import io.mproc.cluster.Blocking;
import io.mproc.cluster.ClusterIdentity;
import io.mproc.cluster.Logs;
import io.mproc.cluster.Node;
import io.mproc.cluster.NodeIdentity;
import io.mproc.cluster.Nodes;
import io.mproc.cluster.Settings;
import io.mproc.cluster.ExitNote;
import io.mproc.cluster.protocol.Request;
import io.mproc.codec.SerialFilter;
import io.mproc.ipc.QueueHandle;
import io.mproc.pool.PoolWorker;
import io.mproc.pool.SharedWorker;
import io.mproc.process.ProcessWorker;
import io.mproc.shared.Lease;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * The entry point of a worker JVM, started by the supervisor with arguments
 * {@code cluster=NAME join=HOST:PORT host=IP id=ID [supervisor=ADDRESS]}.
 *
 * <p>It joins the cluster as a lite member and asks the supervisor for its role: at once
 * when it was started for a pool, later when it is a warm spare. Then it serves that role
 * until told to stop. It reads its standard input, which the supervisor holds
 * open: a line {@code join} is the supervisor's permit to send its join request, once its
 * member is built (workers join one at a time, since Hazelcast makes a second concurrent
 * joiner wait a whole second), and
 * end of file means the supervisor closed it or died (even by {@code kill -9}): the worker
 * leaves at once.
 */
public final class WorkerMain {
    private static final DeliveryOptions AS_LONG_AS_IT_TAKES = new DeliveryOptions().setSendTimeout(TimeUnit.DAYS.toMillis(1));
    private static final Duration JOIN_PERMIT_PATIENCE = Duration.ofSeconds(20);
    private static final Duration JOIN_PATIENCE = Duration.ofSeconds(30);
    private static final CountDownLatch JOIN_PERMIT = new CountDownLatch(1);
    /** The cluster's identity, given by the parent on standard input (never read from a file or the command line). */
    private static final CompletableFuture<ClusterIdentity> IDENTITY = new CompletableFuture<>();
    private static volatile Node node;
    /** The thread that reads the parent's lines: blocked in a read until it is interrupted. */
    private static volatile Thread parentWatch;
    /** Set once mproc's own exit has begun: the shutdown hook then has nothing to add. */
    private static volatile boolean exiting;
    private static final int SIGTERM = 15;
    /** The catchable signal that ends this JVM, if one does (0: none). */
    private static volatile int signal;

    private WorkerMain() {
    }

    public static void main(String[] args) {
        SerialFilter.installJvmWide(); // before anything is read from the cluster
        watchParent();
        noteSignals();
        // System.exit(N) in a job, or SIGTERM: what it put in queues, pipes and dicts still goes out
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (exiting) {
                return;
            }
            flush(Duration.ofSeconds(5));
            note(signal != 0 ? ExitNote.Kind.SIGNAL : ExitNote.Kind.CODE, signal);
        }, "mproc-flush"));
        Map<String, String> arguments = parse(args);
        // Vert.x puts the event bus's TLS key into an in-memory PKCS#12 store for each SSL context
        // it makes (at the join, at the first connection): one round of the JDK's password hash
        // there instead of 10,000 each way, ~0.3 CPU-s of this JVM's start (measured). That store
        // never leaves memory, where the key already is; set back before any task of a user runs.
        String keyRounds = System.getProperty(Node.KEY_ROUNDS);
        System.setProperty(Node.KEY_ROUNDS, "1");
        try {
            Settings settings = Settings.load();
            Logs.quiet(settings);
            node = joinPatiently(settings, arguments);
            Nodes.register(arguments.get("cluster"), node);
            String supervisor = arguments.getOrDefault("supervisor", Addresses.SUPERVISOR);
            JsonObject role = Blocking.await(node.vertx().eventBus().<JsonObject>request(supervisor,
                            new Request.Ready(arguments.get("id"), node.memberId()).toJson(), AS_LONG_AS_IT_TAKES)
                    .map(Message::body), Duration.ofDays(1), "waiting for a role");
            if (keyRounds == null) {
                System.clearProperty(Node.KEY_ROUNDS);
            } else {
                System.setProperty(Node.KEY_ROUNDS, keyRounds);
            }
            String name = role.getString("name");
            NodeIdentity.rename(name);
            String kind = role.getString("kind", "");
            SharedWorker shared = kind.equals("serve") ? new SharedWorker(node, name) : null;
            Blocking.await(WorkerControl.listen(node.vertx(), node.programClasses(), name, arguments.get("host"), shared), Duration.ofSeconds(30),
                    "listening on " + Addresses.worker(name));
            int code = switch (kind) {
                case "serve" -> {
                    WorkerControl.deployAll(node.vertx(), node.programClasses(), name, role.getJsonArray("verticles", new io.vertx.core.json.JsonArray()));
                    yield shared.run().join();
                }
                case "pool" -> new PoolWorker(node, role.getString("address"), name).run().join();
                case "process" -> ProcessWorker.run(node.vertx(), role.getString("address"), role.getString("process"), name,
                        node.programClasses().loaderOf(role.getString("program")));
                default -> {
                    System.err.println("worker " + name + ": unknown role " + role);
                    yield ExitNote.START_FAILED_EXIT;
                }
            };
            boolean failed = code == ExitNote.START_FAILED_EXIT && !kind.equals("process");
            exit(code, Duration.ofSeconds(5), failed ? ExitNote.Kind.START_FAILED : ExitNote.Kind.CODE);
        } catch (InterruptedException e) {
            exit(ExitNote.START_FAILED_EXIT, Duration.ofSeconds(5), ExitNote.Kind.START_FAILED);
        } catch (RuntimeException | Error e) {
            System.err.println("worker " + NodeIdentity.current().name() + " could not start: " + e);
            e.printStackTrace();
            exit(ExitNote.START_FAILED_EXIT, Duration.ofSeconds(5), ExitNote.Kind.START_FAILED);
        }
    }

    /** Waits for the supervisor's word that it is this worker's turn to join (once: a second join goes at once). */
    private static void awaitJoinPermit(String id) {
        try {
            if (!JOIN_PERMIT.await(JOIN_PERMIT_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println("worker " + id + ": no permit to join after " + JOIN_PERMIT_PATIENCE.toSeconds() + " s; joining anyway");
                JOIN_PERMIT.countDown();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The identity the parent gives on standard input, its first line. */
    private static ClusterIdentity inheritedIdentity() throws InterruptedException {
        try {
            return IDENTITY.get(JOIN_PERMIT_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the parent gave no cluster identity on standard input within "
                    + JOIN_PERMIT_PATIENCE.toSeconds() + " s (a worker JVM is started by mproc's supervisor, which gives it)");
        }
    }

    /**
     * Joins the cluster as a lite member. A join can fail while another member is frozen and not
     * yet taken for dead (e.g. SIGSTOPped): the joiner then finds no data member, measured in the
     * chaos test. It is tried again, a second apart, for up to {@link #JOIN_PATIENCE}: by then the
     * frozen member is gone.
     */
    private static Node joinPatiently(Settings settings, Map<String, String> arguments) throws InterruptedException {
        ClusterIdentity identity = ClusterIdentity.required(settings) ? inheritedIdentity() : null;
        long deadline = System.nanoTime() + JOIN_PATIENCE.toNanos();
        while (true) {
            try {
                return Node.startQuietly(settings, arguments.get("cluster"), arguments.get("host"), arguments.get("join"), true,
                        () -> awaitJoinPermit(arguments.get("id")), identity);
            } catch (Node.JoinRefused e) {
                throw e; // another identity than the cluster's: asking again changes nothing
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                System.err.println("worker " + arguments.get("id") + ": joining the cluster failed (" + e.getMessage()
                        + "); trying again in 1 s");
                Thread.sleep(1_000);
            }
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> map = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("worker arguments are key=value: '" + arg + "'");
            }
            map.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        for (String key : new String[]{"cluster", "join", "host", "id"}) { // supervisor= is optional
            if (!map.containsKey(key)) {
                throw new IllegalArgumentException("worker argument " + key + "= is missing in " + map);
            }
        }
        return map;
    }

    /**
     * Reads the supervisor's lines: first the cluster's identity ({@link ClusterIdentity#line()}),
     * when it checks one; {@code join} permits joining; {@code stop} then end of file is
     * a normal stop (what this JVM buffered is sent first, as at any normal exit); end of file
     * alone means the supervisor died (even by {@code kill -9}), and with it, as a rule, the
     * queues' host, or it is ending this JVM: the worker ends at once, as if by SIGTERM (-15).
     */
    private static void watchParent() {
        Thread watcher = new Thread(() -> {
            boolean stop = false;
            // read through a channel: interrupting this thread ends its read (see exit)
            try (FileChannel stdin = new FileInputStream(FileDescriptor.in).getChannel()) {
                LineReader lines = new LineReader(stdin);
                for (String line = lines.next(); line != null; line = lines.next()) {
                    if (line.equals("join")) {
                        JOIN_PERMIT.countDown();
                    } else if (!IDENTITY.isDone() && line.startsWith("identity ")) {
                        try {
                            IDENTITY.complete(ClusterIdentity.fromLine(line));
                        } catch (IllegalArgumentException e) {
                            IDENTITY.completeExceptionally(e);
                        }
                    } else if (line.equals("stop")) {
                        stop = true;
                    }
                }
            } catch (IOException e) {
                // a broken pipe means the same as end of file
            }
            if (stop) {
                exit(0, Duration.ofSeconds(5), ExitNote.Kind.CODE);
            }
            // Its parent died, or ended this JVM (Process.destroy sends SIGTERM and closes the pipes):
            // ended as by SIGTERM, whichever of the two this JVM noticed first
            exit(128 + SIGTERM, Duration.ZERO, ExitNote.Kind.SIGNAL);
        }, "mproc-parent-watch");
        watcher.setDaemon(true);
        parentWatch = watcher;
        watcher.start();
    }

    /** SIGTERM, SIGINT and SIGHUP end the JVM as before (shutdown hooks run), and are noted so that the exit code says which. */
    private static void noteSignals() {
        for (String name : new String[]{"TERM", "INT", "HUP"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                    signal = s.getNumber();
                    System.exit(128 + s.getNumber());
                });
            } catch (IllegalArgumentException e) {
                // the JVM does not let this signal be handled here (e.g. -Xrs): it keeps its default
            }
        }
    }

    /** Sends what this JVM put in queues and pipes, its unconfirmed dict writes and the values of locks cached here. */
    private static void flush(Duration patience) {
        QueueHandle.flushAll(patience);
        drainQuietly();
        Lease.giveBackAll(patience);
    }

    /** The last line of this JVM's output: why it ends (see {@link ExitNote}). */
    private static void note(ExitNote.Kind kind, int value) {
        System.out.flush();
        System.err.flush();
        System.out.println(ExitNote.line(kind, value));
        System.out.flush();
    }

    /** Waits for this process's unconfirmed dict writes; one that failed is reported on stderr. */
    private static void drainQuietly() {
        Node current = node;
        if (current == null) {
            return;
        }
        try {
            current.pending().drain();
        } catch (RuntimeException e) {
            System.err.println("worker " + NodeIdentity.current().name() + ": " + e.getMessage());
        }
    }

    /**
     * Sends what this JVM buffered (for at most {@code flush}; nothing when zero, as when the
     * supervisor is gone), leaves the cluster (for at most 2 s), notes why, and ends this JVM,
     * whatever threads still run. The first caller ends it; later callers wait for that.
     */
    private static synchronized void exit(int code, Duration flush, ExitNote.Kind kind) {
        exiting = true;
        if (!flush.isZero()) {
            flush(flush);
        }
        Node current = node;
        if (current != null) {
            current.leaveAndEnd(Duration.ofSeconds(2));
        }
        note(kind, kind == ExitNote.Kind.SIGNAL ? code - 128 : code);
        // The JVM's exit waits up to 0.3 s for threads blocked in native code, as a read of
        // standard input is (measured: a worker's exit seen by its parent 0.35 s after its last
        // line): the read is ended first
        Thread watcher = parentWatch;
        if (watcher != null && watcher != Thread.currentThread()) {
            watcher.interrupt();
        }
        Runtime.getRuntime().halt(code);
    }
}
