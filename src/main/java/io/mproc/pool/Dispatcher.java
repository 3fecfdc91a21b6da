package io.mproc.pool;

import io.mproc.BrokenPoolException;
import io.mproc.ProcessException;
import io.mproc.codec.Wire;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The driver's book of a pool's work: units waiting, and for every worker the pulls it
 * has outstanding and the batches it holds. A worker's pull is answered with a batch as
 * soon as there is work, so work goes to whichever worker is free; a pull that finds no
 * work is held until some arrives. When a worker exits, the units it held go back to the
 * front of the queue. A death counts as an attempt against the unit that was running only: a
 * worker runs its batches in order, so that is a unit of its oldest batch; when that batch held
 * one unit, the unit is charged (and fails past the retry limit); when it held several, none is
 * charged and each is run alone from then on, so that a unit that kills its worker is found
 * and charged without charging the units beside it. A worker that said it takes no more work
 * (it retired, or it stopped a cancelled or timed-out unit and leaves) is charged nothing.
 *
 * <p>All state is guarded by this object's monitor; replies and sink callbacks run
 * after it is released.
 */
final class Dispatcher {
    private static final int MAX_UNITS_PER_BATCH = 4096;
    private static final int MAX_ITEMS_PER_BATCH = 65_536;
    private static final int MAX_BYTES_PER_BATCH = 8 << 20;
    /** A batch should keep a worker busy about this long: long enough to hide the round trip, short enough to balance. */
    private static final double TARGET_BATCH_NANOS = 2_000_000;
    /**
     * A worker busy with a batch gets a second one (prefetch, to hide the round trip) only when
     * units are known to run shorter than this; longer units wait for a free worker, so a long
     * task never holds back one queued behind it.
     */
    private static final double PREFETCH_BELOW_NANOS = 50_000_000;

    private final String pool;
    private final int processes;
    private final int maxRetries;
    private final long taskTimeoutMillis;
    private final Deque<Unit> pending = new ArrayDeque<>();
    /** What became of this pool's tasks. */
    private final TaskCounts counts = new TaskCounts();
    private final Map<String, Slot> workers = new LinkedHashMap<>();
    private final CompletableFuture<Void> idle = new CompletableFuture<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private int nextUnit;
    private int nextBatch;
    private int outstanding;
    private boolean stopping;
    private boolean draining;
    private ProcessException broken;
    /** Moving average of a unit's running time, as workers report it; negative until the first report. */
    private double nanosPerUnit = -1;
    private volatile Context context;

    /** A worker as the dispatcher sees it. */
    private static final class Slot {
        final String name;
        final long pid;
        /** Its cluster member's uuid: when that member leaves, the worker is gone even if no exit is reported. */
        final String member;
        final Deque<Message<Buffer>> held = new ArrayDeque<>();
        final Map<Integer, List<Unit>> batches = new HashMap<>();
        /** Units the worker can still take (its maxTasksPerChild budget), as its last pull said. */
        int capacity = MAX_UNITS_PER_BATCH;

        Slot(String name, long pid, String member) {
            this.name = name;
            this.pid = pid;
            this.member = member;
        }
    }

    /** A reply to send once the monitor is released. */
    private record Reply(Message<Buffer> to, Buffer body) {
    }

    /** Where results and exceptions find their classes: the program's ({@link io.mproc.codec.SentClasses}); null: as the JDK does. */
    private volatile ClassLoader classes;

    /** Results and exceptions find their classes in {@code loader} first. */
    void resolveIn(ClassLoader loader) {
        this.classes = loader;
    }

    Dispatcher(String pool, int processes, int maxRetries) {
        this(pool, processes, maxRetries, 0);
    }

    Dispatcher(String pool, int processes, int maxRetries, long taskTimeoutMillis) {
        this.pool = pool;
        this.processes = processes;
        this.maxRetries = maxRetries;
        this.taskTimeoutMillis = taskTimeoutMillis;
    }

    synchronized int newUnitId() {
        return nextUnit++;
    }

    /** Queues units and hands them to workers that are waiting for work. */
    void submit(List<Unit> units) {
        List<Reply> replies;
        ProcessException why;
        synchronized (this) {
            why = broken;
            units.forEach(u -> count(u, TaskCounts.Outcome.SUBMITTED));
            if (why == null) {
                pending.addAll(units);
                outstanding += units.size();
                replies = pump();
            } else {
                units.forEach(u -> count(u, TaskCounts.Outcome.FAILED));
                replies = List.of();
            }
        }
        send(replies);
        if (why != null) {
            units.forEach(u -> u.sink.failed(u, why));
        }
    }

    /** A worker says hello: register it and tell it how to work. */
    void hello(Message<Buffer> message, String name, long pid, String member, Buffer init) {
        synchronized (this) {
            workers.putIfAbsent(name, new Slot(name, pid, member));
            connected.complete(null);
            notifyAll();
        }
        message.reply(init);
    }

    /** A worker's pull: the results of its last batch, and room for the next one. */
    void pull(Message<Buffer> message, Wire.In in) {
        String name = in.readString();
        int capacity = in.readInt();
        int batchId = in.readInt();
        long nanos = in.readLong();
        int count = in.readInt();
        List<Result> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            results.add(Result.read(in, classes)); // decoded before taking the monitor
        }
        List<Runnable> outcomes = new ArrayList<>();
        List<Reply> replies;
        synchronized (this) {
            Slot slot = workers.get(name);
            if (slot == null) {
                message.reply(Protocol.stop());
                return;
            }
            List<Unit> batch = slot.batches.remove(batchId);
            if (count > 0) {
                double sample = (double) nanos / count;
                nanosPerUnit = nanosPerUnit < 0 ? sample : 0.7 * nanosPerUnit + 0.3 * sample;
            }
            String where = "worker " + slot.name + " (pid " + slot.pid + ")";
            for (int i = 0; i < count && batch != null && i < batch.size(); i++) {
                Unit unit = batch.get(i);
                Result result = results.get(i);
                if (unit.id == result.unitId() && !unit.done) {
                    unit.done = true;
                    finished(1);
                    count(unit, result.outcome());
                    outcomes.add(() -> result.deliver(unit, where, taskTimeoutMillis, classes));
                }
            }
            if (batch != null && count < batch.size()) {
                // the worker stopped a unit of this batch and leaves: the units after it never ran
                List<Unit> after = batch.subList(count, batch.size()).stream().filter(u -> !u.done).toList();
                for (int i = after.size() - 1; i >= 0; i--) {
                    pending.addFirst(after.get(i));
                }
            }
            slot.capacity = capacity;
            if (capacity == 0) {
                // the worker takes no more (its task budget is spent, or it drains to leave): release its pulls too
                List<Reply> stops = new ArrayList<>();
                stops.add(new Reply(message, Protocol.stop()));
                slot.held.forEach(m -> stops.add(new Reply(m, Protocol.stop())));
                slot.held.clear();
                replies = stops;
            } else if (stopping) {
                replies = List.of(new Reply(message, Protocol.stop()));
            } else {
                slot.held.addLast(message);
                replies = pump();
            }
        }
        send(replies);
        outcomes.forEach(Runnable::run);
    }

    /** A worker exited with {@code code}: its held units go back to the queue, or fail past the retry limit. */
    void workerExited(String name, int code) {
        workerGone(name, "exited (exit code " + code + ")");
    }

    /**
     * Cluster member {@code uuid} left or was taken for dead: if it was a worker's, that worker is
     * gone as if it had exited. Its exit may never be reported: a worker of another host whose
     * agent was killed has nobody left to report it. A later report of its exit changes nothing.
     */
    void memberLeft(String uuid) {
        String name;
        synchronized (this) {
            name = workers.values().stream().filter(s -> uuid.equals(s.member)).map(s -> s.name).findFirst().orElse(null);
        }
        if (name != null) {
            workerGone(name, "left the cluster");
        }
    }

    private void workerGone(String name, String how) {
        List<Unit> lost = new ArrayList<>();
        List<Reply> replies;
        synchronized (this) {
            Slot slot = workers.remove(name);
            if (slot == null) {
                return;
            }
            // The worker runs its batches in order: only the oldest can have been running when it died;
            // the others never started, and go back to the queue without counting an attempt. A worker
            // that said it takes no more work (capacity 0: it retired, or stopped a task and left) ran none.
            List<Unit> requeue = new ArrayList<>();
            int oldest = slot.capacity == 0 ? -1 : slot.batches.keySet().stream().min(Integer::compare).orElse(-1);
            for (Map.Entry<Integer, List<Unit>> batch : slot.batches.entrySet()) {
                List<Unit> left = batch.getValue().stream().filter(u -> !u.done).toList();
                if (batch.getKey() == oldest && left.size() == 1 && ++left.get(0).attempts > maxRetries) {
                    left.get(0).done = true;
                    lost.addAll(left);
                    count(left.get(0), TaskCounts.Outcome.FAILED);
                    continue;
                }
                if (batch.getKey() == oldest) {
                    left.forEach(u -> count(u, TaskCounts.Outcome.RETRIED)); // one of them was running: it runs again
                }
                if (batch.getKey() == oldest && left.size() > 1) {
                    left.forEach(u -> u.alone = true); // which one was running is unknown: find out one by one
                }
                requeue.addAll(left);
            }
            requeue.sort(java.util.Comparator.comparingInt(u -> u.id));
            for (int i = requeue.size() - 1; i >= 0; i--) {
                pending.addFirst(requeue.get(i));
            }
            finished(lost.size());
            replies = pump();
        }
        send(replies);
        for (Unit u : lost) {
            u.sink.failed(u, new BrokenPoolException(u.describe() + " was running on worker " + name + " when it " + how
                    + "; it has been lost with " + u.attempts + " worker(s) and the retry limit is " + maxRetries
                    + " (PoolOptions.maxRetries)"));
        }
    }

    /**
     * Cancels those of {@code units} not done: each fails with {@link CancellationException}. One
     * still queued is dropped (skipped when its turn comes); one a worker holds is reported in the
     * returned map, worker name to unit ids, so that the caller tells that worker to stop it (if it
     * runs) or skip it (if it has not started). Returns null when none was left to cancel.
     */
    Map<String, List<Integer>> cancel(List<Unit> units) {
        Map<String, List<Integer>> onWorkers = new HashMap<>();
        Set<Unit> cancelled = Collections.newSetFromMap(new IdentityHashMap<>());
        synchronized (this) {
            for (Unit unit : units) {
                if (!unit.done) {
                    unit.done = true;
                    cancelled.add(unit);
                }
            }
            if (cancelled.isEmpty()) {
                return null;
            }
            finished(cancelled.size());
            cancelled.forEach(u -> count(u, TaskCounts.Outcome.CANCELLED));
            for (Slot slot : workers.values()) {
                for (List<Unit> batch : slot.batches.values()) {
                    for (Unit unit : batch) {
                        if (cancelled.contains(unit)) {
                            onWorkers.computeIfAbsent(slot.name, k -> new ArrayList<>()).add(unit.id);
                        }
                    }
                }
            }
        }
        for (Unit unit : cancelled) {
            unit.sink.failed(unit, new CancellationException(unit.describe() + " was cancelled"));
        }
        return onWorkers;
    }

    /** Hands pending units to workers with a held pull. Call with the monitor held. */
    private List<Reply> pump() {
        List<Reply> replies = new ArrayList<>();
        while (!pending.isEmpty()) {
            Slot slot = leastBusy();
            if (slot == null) {
                break;
            }
            Message<Buffer> pull = slot.held.pollFirst();
            List<Unit> batch = takeBatch(slot.capacity);
            if (batch.isEmpty()) {
                slot.held.addFirst(pull);
                break;
            }
            int batchId = nextBatch++;
            slot.batches.put(batchId, batch);
            replies.add(new Reply(pull, Protocol.work(batchId, batch)));
        }
        return replies;
    }

    /** The worker with the most pulls waiting, that is the fewest batches queued; null if none may take work. */
    private Slot leastBusy() {
        boolean prefetch = nanosPerUnit >= 0 && nanosPerUnit < PREFETCH_BELOW_NANOS;
        Slot best = null;
        for (Slot slot : workers.values()) {
            if (slot.held.isEmpty() || (!prefetch && !slot.batches.isEmpty())) {
                continue;
            }
            if (best == null || slot.held.size() > best.held.size()) {
                best = slot;
            }
        }
        return best;
    }

    /**
     * The next batch: as many units as keep a worker busy for {@link #TARGET_BATCH_NANOS}
     * (one while their speed is unknown), at most a fair share of the queue and at most
     * what the worker has room for.
     */
    private List<Unit> takeBatch(int capacity) {
        int share = Math.max(1, pending.size() / (2 * Math.max(processes, workers.size())));
        int bySpeed = nanosPerUnit < 0 ? 1 : (int) Math.max(1, Math.min(MAX_UNITS_PER_BATCH, TARGET_BATCH_NANOS / Math.max(1, nanosPerUnit)));
        int limit = Math.min(Math.min(share, bySpeed), Math.min(capacity, MAX_UNITS_PER_BATCH));
        List<Unit> batch = new ArrayList<>(Math.min(limit, 64));
        int items = 0;
        long bytes = 0;
        while (!pending.isEmpty() && batch.size() < limit) {
            Unit next = pending.peekFirst();
            if (!batch.isEmpty() && (next.alone || items + next.items > MAX_ITEMS_PER_BATCH
                    || bytes + next.arguments.length > MAX_BYTES_PER_BATCH)) {
                break;
            }
            pending.pollFirst();
            if (next.done) {
                continue;
            }
            batch.add(next);
            if (next.alone) {
                break;
            }
            items += next.items;
            bytes += next.arguments.length;
        }
        return batch;
    }

    private void finished(int units) {
        outstanding -= units;
        if (outstanding == 0 && draining) {
            idle.complete(null);
        }
    }

    /** Completes once the first worker has said hello, or fails with the reason workers cannot start. */
    CompletableFuture<Void> connected() {
        return connected;
    }

    /** No new work will come: completes once every unit is done. */
    synchronized CompletableFuture<Void> drained() {
        draining = true;
        if (outstanding == 0) {
            idle.complete(null);
        }
        return idle;
    }

    /** Tells every waiting worker to stop, and every later pull too. */
    void stop() {
        List<Message<Buffer>> waiting = new ArrayList<>();
        synchronized (this) {
            stopping = true;
            for (Slot slot : workers.values()) {
                waiting.addAll(slot.held);
                slot.held.clear();
            }
        }
        waiting.forEach(m -> m.reply(Protocol.stop()));
    }

    /** Fails every unit not done with {@code why}, and every later submission too. */
    void failAll(ProcessException why) {
        List<Unit> failed = new ArrayList<>();
        synchronized (this) {
            broken = why;
            connected.completeExceptionally(why);
            failed.addAll(pending);
            pending.clear();
            for (Slot slot : workers.values()) {
                slot.batches.values().forEach(failed::addAll);
            }
            failed.removeIf(u -> u.done);
            failed.forEach(u -> {
                u.done = true;
                count(u, TaskCounts.Outcome.FAILED);
            });
            outstanding = 0;
            idle.complete(null);
        }
        failed.forEach(u -> u.sink.failed(u, why));
    }

    /** Counts {@code unit}'s items as {@code outcome}, for the pool and for its job. */
    private void count(Unit unit, TaskCounts.Outcome outcome) {
        counts.add(outcome, unit.items);
        TaskCounts job = unit.sink.counts();
        if (job != null) {
            job.add(outcome, unit.items);
        }
    }

    /** What became of this pool's tasks so far. */
    TaskCounts counts() {
        return counts;
    }

    /** Why the pool broke, or null. */
    synchronized ProcessException broken() {
        return broken;
    }

    synchronized int workers() {
        return workers.size();
    }

    /**
     * Waits at most {@code millis} until {@code count} workers are connected and take work;
     * false on timeout or when broken. A worker that retires (its task budget spent, or it ran
     * out of memory) is not counted though its process may not have been reported gone yet.
     */
    synchronized boolean awaitWorkers(int count, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (serving() < count && broken == null) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return serving() >= count;
    }

    /** Workers that will take more work. Call with the monitor held. */
    private long serving() {
        return workers.values().stream().filter(slot -> slot.capacity > 0).count();
    }

    /** The event loop the pool's messages arrive on; replies are written from it. */
    void bind(Context context) {
        this.context = context;
    }

    /**
     * Sends replies from the pool's event loop: replying from another thread would make
     * Vert.x pick some event loop for the message and hop again to the connection's.
     */
    private void send(List<Reply> replies) {
        if (replies.isEmpty()) {
            return;
        }
        Context target = context;
        if (target == null || Vertx.currentContext() == target) {
            replies.forEach(r -> r.to.reply(r.body));
        } else {
            target.runOnContext(v -> replies.forEach(r -> r.to.reply(r.body)));
        }
    }

    @Override
    public String toString() {
        return "dispatcher of " + pool;
    }
}
