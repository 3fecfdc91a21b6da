package io.mproc.shared;

import io.mproc.Condition;
import io.mproc.Lock;
import io.mproc.ProcessException;
import io.mproc.cluster.Blocking;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A {@link Condition} kept in the cluster's map under {@code key}, waiting under {@code lock}. */
final class ConditionHandle implements Condition {
    private final String cluster;
    private final String key;
    private final String name;
    private final LockHandle lock;

    ConditionHandle(String cluster, String key, String name, LockHandle lock) {
        this.cluster = cluster;
        this.key = key;
        this.name = name;
        this.lock = lock;
    }

    @Override
    public Lock getLock() {
        return lock;
    }

    @Override
    public void await() {
        await(null);
    }

    /** Queues, releases the lock, waits for a signal (or the deadline), and takes the lock again. */
    @Override
    public boolean await(Duration timeout) {
        Blocking.checkNotOnEventLoop(name + ".await");
        checkHeld("await");
        long deadline = Waits.deadline(timeout);
        Waits waits = Waits.of(cluster);
        Waiter waiter = waits.waiter();
        waits.run(key, new ConditionState.Wait(cluster, waiter, 0), name);
        int entries = lock.releaseAll();
        try {
            while (true) {
                long slice = Waits.sliceUntil(deadline);
                if (slice <= 0) {
                    return waits.run(key, new ConditionState.Wait(cluster, waiter, 2), name) == Status.OK;
                }
                Object[] wake;
                try {
                    wake = waits.await(waiter, slice);
                } catch (ProcessException interrupted) {
                    Thread.interrupted();
                    Object late = waits.run(key, new ConditionState.Wait(cluster, waiter, 2), name);
                    Thread.currentThread().interrupt();
                    return late == Status.OK;
                }
                if (wake != null || waits.run(key, new ConditionState.Wait(cluster, waiter, 1), name) == Status.OK) {
                    return true;
                }
            }
        } finally {
            waits.done(waiter);
            boolean interrupted = Thread.interrupted();
            lock.restore(entries);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean awaitUntil(BooleanSupplier predicate, Duration timeout) {
        long deadline = Waits.deadline(timeout);
        boolean result = predicate.getAsBoolean();
        while (!result) {
            long left = deadline - System.nanoTime();
            if (deadline != Long.MAX_VALUE && left <= 0) {
                break;
            }
            await(deadline == Long.MAX_VALUE ? null : Duration.ofNanos(left));
            result = predicate.getAsBoolean();
        }
        return result;
    }

    @Override
    public void signal(int n) {
        checkHeld("signal");
        Waits.of(cluster).run(key, new ConditionState.Signal(cluster, n), name);
    }

    @Override
    public void signalAll() {
        signal(Integer.MAX_VALUE);
    }

    private void checkHeld(String call) {
        try {
            lock.fencingToken();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot " + call + " on " + name + ": its lock " + lock.name
                    + " is not held by the caller (Python's RuntimeError: cannot wait on un-acquired lock)");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
