package io.mproc.pool;

import io.mproc.BiTask;
import io.mproc.Job;
import io.mproc.ProcessException;
import io.mproc.SerializationException;
import io.mproc.Task;
import io.mproc.cluster.Patient;
import io.mproc.cluster.ExitNote;
import io.mproc.cluster.Node;
import io.mproc.cluster.Pending;
import io.mproc.cluster.ProgramClasses;
import io.mproc.codec.ProgramLoader;
import io.mproc.codec.Codec;
import io.mproc.codec.Wire;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker side of a pool, in a worker JVM: says hello to the pool's driver, runs the
 * initializer, then keeps {@code prefetch} pulls outstanding, each carrying the results
 * of the batch before. Tasks run one at a time on one thread, as in a Python worker.
 *
 * <p>A worker of a standing cluster serves every open pool ({@link SharedWorker}): then this
 * object is one pool's part of it, the task thread is shared with the other pools, the end
 * of the pool ends only this part, and {@link #retire()} drains it: the batches it holds
 * run and their results go back before it finishes.
 *
 * <p>A unit that runs past the pool's task time limit, or that its driver cancels while it runs,
 * is stopped the only safe way: this JVM leaves. The worker reports the results of the units of
 * the batch before it and that the unit was stopped, in a pull with room for nothing, then exits
 * with {@link #TASK_STOPPED_EXIT}; the units after it were never run and go back to the queue.
 * A unit cancelled before it starts is skipped. The running unit is known JVM-wide (one task
 * thread per JVM), so a cancel addressed to the JVM finds it whichever pool it belongs to.
 */
public final class PoolWorker {
    private static final DeliveryOptions HELD = new DeliveryOptions().setSendTimeout(TimeUnit.DAYS.toMillis(1));
    private static final long HELLO_PATIENCE_MS = 30_000;
    private static final int MAX_CAPACITY = 4096;

    private final Vertx vertx;
    private final Pending pending;
    private final String member;
    private final String address;
    private final String name;
    private final ProgramClasses programs;
    /** The classes of the pool's program: its tasks, arguments and what they use load from it; set at INIT. */
    private volatile ProgramLoader program;
    private static final AtomicLong TASKS_DONE = new AtomicLong();
    private static final AtomicInteger RUNNING = new AtomicInteger();

    private final ExecutorService tasks;
    private final boolean shared;
    private final CompletableFuture<Integer> finished = new CompletableFuture<>();
    /** Requests sent to the pool and not answered yet; touched on {@link #context} only. */
    private int outstanding;
    private boolean stopped;
    /** The OutOfMemoryError a task of this worker hit: the JVM's state is no longer reliable, so the worker leaves. */
    private volatile Throwable outOfMemory;

    /**
     * The exit code of a worker that left because a task ran out of memory: it reported the
     * task's error first, then took no more work; its pool (or the standing cluster) starts another.
     */
    public static final int OUT_OF_MEMORY_EXIT = 12;
    /**
     * The exit code of a worker that stopped a running task (past the pool's task time limit, or
     * cancelled): it reported that first; its pool (or the standing cluster) starts another.
     */
    public static final int TASK_STOPPED_EXIT = 13;
    private static final int CANCELLED_REMEMBERED = 4096;

    /** Guards {@link #running} and {@link #CANCELLED}: the task thread takes it around each unit, a stop to decide. */
    private static final Object RUN_LOCK = new Object();
    /** The unit running in this JVM now; null between units. */
    private static Running running;
    /** Units cancelled before they started, as "poolAddress/unitId": skipped when their turn comes; the oldest forgotten. */
    private static final Set<String> CANCELLED = new LinkedHashSet<>();
    /** Set once a running unit was stopped: this JVM runs nothing more and leaves. */
    private static volatile boolean stopping;

    /** A unit while it runs, and what a stop needs to report the units of its batch before it. */
    private static final class Running {
        final PoolWorker part;
        final int batchId;
        final int unitId;
        final long batchStarted;
        final long started = System.nanoTime();
        /** The batch's results so far: one for each unit before this one. */
        final Wire.Out results;
        final int before;
        boolean stopped;

        Running(PoolWorker part, int batchId, int unitId, long batchStarted, Wire.Out results, int before) {
            this.part = part;
            this.batchId = batchId;
            this.unitId = unitId;
            this.batchStarted = batchStarted;
            this.results = results;
            this.before = before;
        }
    }

    /** What running a unit gave, written to the batch's results once the unit is known not to be stopped. */
    private record Outcome(byte status, Object[] values, int offset, Throwable error, String text, int ran) {
    }

    private long taskTimeoutNanos;
    private long watchdog = -1;
    /** Why this part stopped a running unit ({@link Protocol#STOPPED_BY_TIMEOUT}, ...); 0 while it has not. */
    private volatile byte stoppedFor;
    private volatile boolean retiring;
    /** All event-bus traffic of this worker goes through one event loop: no hop between loops. */
    private Context context;
    private int maxTasks;
    private int taken;

    /** The worker of one pool, alone in its JVM. */
    public PoolWorker(Node node, String address, String name) {
        this(node, address, name, newTaskThread(), false);
    }

    /** One pool's part of a worker that serves several, running its tasks on {@code tasks}. */
    PoolWorker(Node node, String address, String name, ExecutorService tasks, boolean shared) {
        this.vertx = node.vertx();
        this.pending = node.pending();
        this.member = node.memberId();
        this.programs = node.programClasses();
        this.address = address;
        this.name = name;
        this.tasks = tasks;
        this.shared = shared;
    }

    static ExecutorService newTaskThread() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mproc-task");
            t.setDaemon(true);
            t.setContextClassLoader(PoolWorker.class.getClassLoader());
            return t;
        });
    }

    /** Tasks (items) this JVM has run, over all its pools. */
    public static long tasksDone() {
        return TASKS_DONE.get();
    }

    /** What this JVM runs now, e.g. {@code "task 17 of ab12-pool-1, for 2.3 s"} (a task: a chunk of a map, or an apply); null between tasks. */
    public static String runningNow() {
        Running r;
        synchronized (RUN_LOCK) {
            r = running;
        }
        if (r == null) {
            return null;
        }
        String pool = r.part.address.startsWith(io.mproc.cluster.Addresses.POOL_PREFIX)
                ? r.part.address.substring(io.mproc.cluster.Addresses.POOL_PREFIX.length()) : r.part.address;
        return String.format(java.util.Locale.ROOT, "task %d of %s, for %.1f s", r.unitId, pool, (System.nanoTime() - r.started) / 1e9);
    }

    /** Whether a batch runs in this JVM now. */
    public static boolean busy() {
        return RUNNING.get() > 0;
    }

    /** Takes no more work: the batches held run, their results go back, then this part finishes. */
    void retire() {
        context.runOnContext(v -> {
            if (retiring || finished.isDone()) {
                return;
            }
            retiring = true;
            send(leavePull());
        });
    }

    /** The pool is gone (its driver left): finish now; replies still on their way are dropped. */
    void abandon() {
        context.runOnContext(v -> finish(0, null));
    }

    /** Runs until the pool says stop; completes with the exit code for this JVM. */
    public CompletableFuture<Integer> run() {
        context = vertx.getOrCreateContext();
        context.runOnContext(v -> hello());
        return finished;
    }

    private void hello() {
        Buffer hello = Protocol.buffer(new Wire.Out(64).writeByte(Protocol.HELLO).writeString(name)
                .writeLong(ProcessHandle.current().pid()).writeString(member));
        outstanding++;
        Patient.<Buffer>request(vertx, address, hello, HELD, HELLO_PATIENCE_MS).onComplete(reply -> {
            outstanding--;
            if (finished.isDone()) {
                return;
            }
            if (reply.succeeded()) {
                init(Protocol.read(reply.result().body()));
            } else {
                finish(1, "cannot reach the pool at " + address + ": " + reply.cause());
            }
        });
    }

    private void init(Wire.In in) {
        in.readByte();
        maxTasks = in.readInt();
        int prefetch = in.readInt();
        long timeoutMillis = in.readLong();
        byte[] initializer = in.readBytes();
        program = programs.loaderOf(in.readString());
        if (timeoutMillis > 0) {
            taskTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            watchdog = vertx.setPeriodic(Math.max(10, Math.min(1_000, timeoutMillis / 10)), id -> watch());
        }
        tasks.execute(() -> {
            if (initializer.length > 0) {
                ClassLoader own = enter(program);
                try {
                    ((Job) Functions.load(initializer, program)).run();
                } catch (Throwable t) {
                    System.err.println("the pool's initializer failed in " + name + ":");
                    t.printStackTrace();
                    if (shared) {
                        // the worker serves other pools: it refuses this one, which then breaks with the reason
                        refuse("its initializer failed in worker " + name + ": " + t);
                    } else {
                        finish(ExitNote.START_FAILED_EXIT, null);
                    }
                    return;
                } finally {
                    Thread.currentThread().setContextClassLoader(own);
                }
            }
            for (int i = 0; i < prefetch; i++) {
                pull(-1, 0, 0, new byte[0]);
            }
        });
    }

    /**
     * Makes {@code program} the task thread's context class loader, so that what the tasks
     * deserialize themselves (queue items, values, dict entries) finds the program's classes too;
     * returns the loader to put back.
     */
    private static ClassLoader enter(ProgramLoader program) {
        ClassLoader own = Thread.currentThread().getContextClassLoader();
        if (program != null) {
            Thread.currentThread().setContextClassLoader(program.contextLoader());
        }
        return own;
    }

    /** Called on the task thread. */
    private void pull(int batchId, long nanos, int results, byte[] encoded) {
        int capacity = retiring ? 0 : maxTasks == 0 ? MAX_CAPACITY : Math.min(MAX_CAPACITY, maxTasks - taken);
        Wire.Out out = new Wire.Out(encoded.length + 64).writeByte(Protocol.PULL).writeString(name)
                .writeInt(capacity).writeInt(batchId).writeLong(nanos).writeInt(results).writeRaw(encoded);
        context.runOnContext(v -> send(out));
    }

    /** A pull with room for nothing: the pool answers it, and every pull it holds of this worker, with STOP. */
    private Wire.Out leavePull() {
        return new Wire.Out(64).writeByte(Protocol.PULL).writeString(name).writeInt(0).writeInt(-1).writeLong(0).writeInt(0);
    }

    private void refuse(String why) {
        Wire.Out out = new Wire.Out(256).writeByte(Protocol.REFUSE).writeString(name).writeString(why);
        context.runOnContext(v -> {
            vertx.eventBus().request(address, Protocol.buffer(out));
            finish(0, null);
        });
    }

    /** Sends a pull, on {@link #context}, and handles its answer: a batch to run, or stop. */
    private void send(Wire.Out pull) {
        if (finished.isDone()) {
            return;
        }
        outstanding++;
        vertx.eventBus().<Buffer>request(address, Protocol.buffer(pull), HELD).onComplete(reply -> {
            outstanding--;
            if (finished.isDone()) {
                return;
            }
            if (reply.failed()) {
                finish(Patient.noHandlers(reply.cause()) ? 0 : 1, Patient.noHandlers(reply.cause()) ? null
                        : "lost the pool at " + address + ": " + reply.cause());
                return;
            }
            Buffer body = reply.result().body();
            Wire.In in = Protocol.read(body);
            byte kind = (byte) in.readByte();
            if (kind == Protocol.WORK) {
                tasks.execute(() -> {
                    RUNNING.incrementAndGet();
                    ClassLoader own = enter(program);
                    try {
                        runBatch(in, body.length());
                    } catch (RuntimeException e) {
                        // a batch this worker cannot read: leave, and the pool runs it elsewhere
                        finish(1, "cannot read a batch from " + address + ": " + e);
                    } finally {
                        Thread.currentThread().setContextClassLoader(own);
                        RUNNING.decrementAndGet();
                    }
                });
            } else if (!shared) {
                finish(exitCode(), null);
            } else {
                // a worker of several pools waits for the batches it still holds of this one
                stopped = true;
                if (outstanding == 0) {
                    finish(exitCode(), null);
                }
            }
        });
    }

    private void runBatch(Wire.In in, int size) {
        if (stopping) {
            return; // a unit was stopped: this JVM is leaving, and the pools run what it held elsewhere
        }
        long start = System.nanoTime();
        int batchId = in.readInt();
        int functions = in.readInt();
        List<Object> table = new ArrayList<>(functions);
        RuntimeException loadError = null;
        for (int i = 0; i < functions; i++) {
            byte[] bytes = in.readBytes();
            try {
                table.add(Functions.load(bytes, program));
            } catch (RuntimeException e) {
                table.add(null);
                loadError = e;
            }
        }
        int units = in.readInt();
        taken += units;
        Wire.Out out = new Wire.Out(size + 1024);
        for (int i = 0; i < units; i++) {
            int unitId = in.readInt();
            byte kind = (byte) in.readByte();
            Object function = table.get(in.readInt());
            byte[] arguments = in.readBytes();
            synchronized (RUN_LOCK) {
                if (stopping) {
                    return;
                }
                if (!CANCELLED.isEmpty() && CANCELLED.remove(address + "/" + unitId)) {
                    out.writeInt(unitId).writeByte(Protocol.CANCELLED);
                    continue;
                }
                running = new Running(this, batchId, unitId, start, out, i);
            }
            Outcome outcome = function == null
                    ? new Outcome(Protocol.SERIAL_ERROR, null, 0, null, String.valueOf(loadError.getMessage()), 0)
                    : runUnit(kind, function, arguments);
            synchronized (RUN_LOCK) {
                if (running == null || running.stopped) {
                    return; // stopped while it ran: the report is sent, the results of this batch with it
                }
                running = null;
                out.writeInt(unitId);
                TASKS_DONE.addAndGet(write(outcome, out));
            }
        }
        pending.drain(); // what the tasks set in dicts is stored before their results are seen
        if (outOfMemory != null && !retiring) {
            // the error goes back with this batch's results; the pull has no room, so the pool stops this worker
            retiring = true;
            System.err.println(name + ": a task ran out of memory (" + outOfMemory + "); this worker reports it and leaves,"
                    + " and its pool starts another (raise -Xmx in conf/jvm.options for bigger tasks)");
        }
        pull(batchId, System.nanoTime() - start, units, out.toByteArray());
    }

    /** Runs a unit's items. */
    @SuppressWarnings("unchecked")
    private Outcome runUnit(byte kind, Object function, byte[] arguments) {
        Object[] items;
        try {
            items = Codec.readArray(new Wire.In(arguments), "the arguments", program);
        } catch (SerializationException e) {
            return new Outcome(Protocol.SERIAL_ERROR, null, 0, null, e.getMessage(), 0);
        }
        Object[] results = new Object[items.length];
        for (int i = 0; i < results.length; i++) {
            try {
                Object item = items[i];
                results[i] = kind == Unit.STAR
                        ? ((BiTask<Object, Object, Object>) function).apply(((Map.Entry<?, ?>) item).getKey(), ((Map.Entry<?, ?>) item).getValue())
                        : ((Task<Object, Object>) function).apply(item);
            } catch (Throwable t) {
                if (t instanceof OutOfMemoryError) {
                    outOfMemory = t;
                }
                return new Outcome(Protocol.TASK_ERROR, null, i, t, null, i + 1);
            }
        }
        return new Outcome(Protocol.OK, results, 0, null, null, items.length);
    }

    /** Writes a unit's outcome after its id; returns how many items ran. */
    private static int write(Outcome outcome, Wire.Out out) {
        switch (outcome.status()) {
            case Protocol.OK -> {
                int mark = out.size();
                try {
                    out.writeByte(Protocol.OK);
                    Codec.writeValues(out, java.util.Arrays.asList(outcome.values()), "the result");
                } catch (SerializationException e) {
                    out.truncate(mark);
                    out.writeByte(Protocol.SERIAL_ERROR).writeString(e.getMessage());
                }
            }
            case Protocol.TASK_ERROR -> out.writeByte(Protocol.TASK_ERROR).writeInt(outcome.offset()).writeBytes(serializeError(outcome.error()));
            default -> out.writeByte(outcome.status()).writeString(outcome.text());
        }
        return outcome.ran();
    }

    /** Checks the running unit against the pool's time limit; on {@link #context}. */
    private void watch() {
        Wire.Out report;
        synchronized (RUN_LOCK) {
            Running r = running;
            if (r == null || r.part != this || r.stopped || System.nanoTime() - r.started < taskTimeoutNanos) {
                return;
            }
            report = stop(r, Protocol.STOPPED_BY_TIMEOUT);
        }
        leave(report, Protocol.STOPPED_BY_TIMEOUT);
    }

    /**
     * The driver of pool {@code address} cancelled {@code unitIds}: the one running now is stopped
     * (and this JVM leaves); the others are skipped when their turn comes. Returns whether one ran.
     */
    public static boolean cancel(String address, List<Integer> unitIds) {
        PoolWorker part = null;
        Wire.Out report = null;
        synchronized (RUN_LOCK) {
            for (int id : unitIds) {
                Running r = running;
                if (r != null && !r.stopped && r.unitId == id && r.part.address.equals(address)) {
                    part = r.part;
                    report = stop(r, Protocol.STOPPED_BY_CANCEL);
                } else {
                    CANCELLED.add(address + "/" + id);
                    if (CANCELLED.size() > CANCELLED_REMEMBERED) {
                        CANCELLED.remove(CANCELLED.iterator().next());
                    }
                }
            }
        }
        if (part != null) {
            PoolWorker stopped = part;
            Wire.Out pull = report;
            stopped.context.runOnContext(v -> stopped.leave(pull, Protocol.STOPPED_BY_CANCEL));
        }
        return part != null;
    }

    /** Marks {@code r} stopped and returns the report: the results before it, and STOPPED for it. Call with RUN_LOCK held. */
    private static Wire.Out stop(Running r, byte reason) {
        r.stopped = true;
        stopping = true;
        byte[] before = r.results.toByteArray();
        long now = System.nanoTime();
        return new Wire.Out(before.length + 64).writeByte(Protocol.PULL).writeString(r.part.name).writeInt(0)
                .writeInt(r.batchId).writeLong(now - r.batchStarted).writeInt(r.before + 1).writeRaw(before)
                .writeInt(r.unitId).writeByte(Protocol.STOPPED).writeByte(reason).writeLong(TimeUnit.NANOSECONDS.toMillis(now - r.started));
    }

    /** Sends the report of a stopped unit (its pool answers STOP) and leaves with {@link #TASK_STOPPED_EXIT}; on {@link #context}. */
    private void leave(Wire.Out report, byte reason) {
        stoppedFor = reason;
        retiring = true;
        if (watchdog >= 0) {
            vertx.cancelTimer(watchdog);
        }
        System.err.println(name + ": stopped a task " + (reason == Protocol.STOPPED_BY_TIMEOUT ? "that ran past its pool's taskTimeout"
                : "that its caller cancelled") + "; a running thread cannot be stopped safely, so this worker leaves and its pool starts another");
        send(report);
    }

    /** The task's exception as it is, or, if it cannot be serialized, a stand-in with its class, message and stack trace. */
    private static byte[] serializeError(Throwable t) {
        try {
            return Codec.serialize(t, "the exception");
        } catch (SerializationException e) {
            ProcessException standIn = new ProcessException(t.getClass().getName() + ": " + t.getMessage()
                    + " (the original exception could not be serialized: " + e.getMessage() + ")");
            standIn.setStackTrace(t.getStackTrace());
            return Codec.serialize(standIn, "the exception");
        }
    }

    /** The exit code of a worker told to stop: 0, {@link #TASK_STOPPED_EXIT} or {@link #OUT_OF_MEMORY_EXIT}. */
    private int exitCode() {
        return stoppedFor != 0 ? TASK_STOPPED_EXIT : outOfMemory != null ? OUT_OF_MEMORY_EXIT : 0;
    }

    private void finish(int code, String why) {
        if (finished.isDone()) {
            return;
        }
        if (why != null) {
            System.err.println(name + ": " + why);
        }
        if (watchdog >= 0) {
            vertx.cancelTimer(watchdog);
        }
        if (!shared) {
            tasks.shutdown();
        }
        finished.complete(stoppedFor != 0 ? TASK_STOPPED_EXIT : code);
    }

}
