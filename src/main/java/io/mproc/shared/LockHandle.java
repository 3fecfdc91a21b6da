package io.mproc.shared;

import io.mproc.Lock;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Lock} or an {@code RLock} kept in the cluster's map under {@code key}; also the
 * lock of a value or an array. A granted lock is cached in this JVM as a {@link Lease}:
 * acquisitions and releases while it is here cost no round trip.
 */
final class LockHandle implements Lock {
    /** How long {@link #tryAcquire} waits for a lock that its holder no longer uses to come back. */
    private static final long TRY_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(1);

    final String cluster;
    final String key;
    final String name;
    /** The key of this JVM's {@link Lease}: two contexts in one JVM may use one name. */
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
        return take(Long.MAX_VALUE, false);
    }

    @Override
    public boolean acquire(Duration timeout) {
        return take(Waits.deadline(timeout), false);
    }

    @Override
    public boolean tryAcquire() {
        return take(System.nanoTime(), true);
    }

    private boolean take(long deadline, boolean onlyIfFree) {
        Lease lease = Lease.of(local);
        if (lease != null) {
            Object here = lease.enter(reentrant, deadline);
            if (here != Lease.GONE) {
                return (Boolean) here;
            }
        }
        Waits waits = Waits.of(cluster);
        if (onlyIfFree || deadline - System.nanoTime() <= 0) {
            // not free here: free at the host, or held by a member that no longer uses it?
            Object reply = waits.run(key, new CellState.Acquire(cluster, null, waits.waiterless()), name);
            if (reply instanceof CellState.Grant grant) {
                Lease.start(this, grant);
                return true;
            }
            String owner = ((CellState.Queued) reply).owner();
            if (waits.inUse(owner, key, true)) {
                return false;
            }
            deadline = System.nanoTime() + TRY_PATIENCE_NANOS; // it is on its way back
        }
        Object reply = Calls.call(waits, key, name, deadline, Calls.steps(
                w -> new CellState.Acquire(cluster, w, null),
                w -> new CellState.Check(cluster, w, false),
                w -> new CellState.Check(cluster, w, true),
                wake -> wake[2]));
        if (reply instanceof CellState.Grant grant) {
            Lease.start(this, grant);
            return true;
        }
        return false;
    }

    @Override
    public void release() {
        Lease lease = Lease.of(local);
        Object reply = lease == null ? null : lease.exit(reentrant);
        if (reply == null) {
            String why;
            if (lease != null) {
                why = lease.inUse() ? "the caller does not hold it (an RLock is released by the thread that holds it)" : "it is not locked";
            } else {
                // not cached here: the host says whether another process holds it
                Waits waits = Waits.of(cluster);
                Object host = waits.run(key, new CellState.Release(cluster, waits.member, 0, false, null), name);
                why = host == Status.OK ? "the caller does not hold it" : host.toString();
            }
            throw new IllegalStateException("cannot release " + name + ": " + why);
        }
        if (reply != Status.OK) {
            throw new IllegalStateException("cannot release " + name + ": " + reply);
        }
    }

    /** Releases every entry of the calling thread; returns how many, for {@link #restore}. */
    int releaseAll() {
        int entries = 0;
        while (Lease.of(local) != null && Lease.of(local).token(reentrant) != null) {
            release();
            entries++;
            if (!reentrant) {
                break;
            }
        }
        if (entries == 0) {
            throw new IllegalStateException(name + " is not held by the caller");
        }
        return entries;
    }

    /** Takes the lock again {@code entries} times, after {@link #releaseAll}. */
    void restore(int entries) {
        for (int i = 0; i < entries; i++) {
            acquire();
        }
    }

    @Override
    public boolean isLocked() {
        Lease lease = Lease.of(local);
        if (lease != null) {
            return lease.inUse();
        }
        Waits waits = Waits.of(cluster);
        Object owner = waits.run(key, new CellState.Holder(cluster), name);
        return owner != Status.OK && waits.inUse((String) owner, key, false);
    }

    @Override
    public long fencingToken() {
        Lease lease = Lease.of(local);
        Long token = lease == null ? null : lease.token(reentrant);
        if (token == null) {
            throw new IllegalStateException(name + " is not held by the " + (reentrant ? "calling thread" : "calling process"));
        }
        return token;
    }

    @Override
    public String toString() {
        return name;
    }
}
