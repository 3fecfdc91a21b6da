package io.mproc.shared;

import io.mproc.Lock;

import java.time.Duration;

/**
 * A {@link Lock} or an {@code RLock} kept in the cluster's map under {@code key}; also the
 * lock of a value or an array. Re-entering an {@code RLock} is counted in this JVM, so only
 * the first acquisition and the last release reach the host.
 */
final class LockHandle implements Lock {
    final String cluster;
    final String key;
    final String name;
    /** The key of this JVM's {@link Hold}: two contexts in one JVM may use one name. */
    final String local;
    private final boolean reentrant;

    LockHandle(String cluster, String key, String name, boolean reentrant) {
        this.cluster = cluster;
        this.key = key;
        this.name = name;
        this.reentrant = reentrant;
        this.local = cluster + "|" + key;
    }

    @Override
    public boolean acquire() {
        return acquire(null);
    }

    @Override
    public boolean acquire(Duration timeout) {
        return take(Waits.deadline(timeout));
    }

    @Override
    public boolean tryAcquire() {
        return take(System.nanoTime());
    }

    private boolean take(long deadline) {
        Hold held = Hold.mine(local);
        if (reentrant && held != null) {
            held.entries++;
            return true;
        }
        Waits waits = Waits.of(cluster);
        String owner = waits.owner();
        Object reply = Calls.call(waits, key, name, deadline, Calls.steps(
                w -> new CellState.Acquire(cluster, owner, w),
                w -> new CellState.Check(cluster, w, false),
                w -> new CellState.Check(cluster, w, true),
                wake -> new CellState.Grant((Long) wake[1], wake[2])));
        if (reply instanceof CellState.Grant grant) {
            Hold.take(local, owner, grant);
            return true;
        }
        return false;
    }

    @Override
    public void release() {
        Hold held = reentrant ? Hold.mine(local) : Hold.of(local);
        Waits waits = Waits.of(cluster);
        if (held == null) {
            // not held here: the host says by whom, or that nobody holds it
            Object reply = waits.run(key, new CellState.Release(cluster, waits.owner(), !reentrant, -1, false, null), name);
            throw new IllegalStateException("cannot release " + name + ": " + (reply == Status.OK ? "the caller does not hold it" : reply));
        }
        if (reentrant && --held.entries > 0) {
            return;
        }
        Hold.drop(local);
        Object reply = waits.run(key, new CellState.Release(cluster, held.owner, false, held.fence, held.dirty, held.value()), name);
        if (reply != Status.OK) {
            throw new IllegalStateException("cannot release " + name + ": " + reply);
        }
    }

    /** Releases every entry of the calling thread; returns how many, for {@link #restore}. */
    int releaseAll() {
        Hold held = Hold.mine(local);
        if (held == null) {
            throw new IllegalStateException(name + " is not held by the calling thread");
        }
        int entries = held.entries;
        held.entries = 1;
        release();
        return entries;
    }

    /** Takes the lock again with {@code entries} entries, after {@link #releaseAll}. */
    void restore(int entries) {
        acquire();
        Hold.mine(local).entries = entries;
    }

    @Override
    public boolean isLocked() {
        if (Hold.of(local) != null) {
            return true;
        }
        return Waits.of(cluster).run(key, new CellState.Holder(cluster), name) != Status.OK;
    }

    @Override
    public long fencingToken() {
        Hold held = reentrant ? Hold.mine(local) : Hold.of(local);
        if (held == null) {
            throw new IllegalStateException(name + " is not held by the " + (reentrant ? "calling thread" : "calling process"));
        }
        return held.fence;
    }

    @Override
    public String toString() {
        return name;
    }
}
