package io.mproc.shared;

import io.mproc.cluster.Nodes;
import io.mproc.cluster.Pending;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A lock (and, for a value or an array, its data) that this JVM holds from the host: the
 * lock is cached here, as a distributed lock manager caches locks on its nodes.
 *
 * <p>Threads of this JVM take and release a held lease without asking the host, and work on
 * the data copy here. The lease goes back to the host (with the data, if it changed) when
 * another process wants it: that process asks for it ({@link #revoke}) and the lease is given
 * back as soon as no thread of this JVM uses it, but not before it has been here
 * {@link #QUANTUM_NANOS} (GFS2 calls this the minimum hold time). Without that quantum a
 * lock wanted by several processes would cross the network on every acquisition; with it,
 * each process does a burst of critical sections per crossing.
 *
 * <p>Each grant brings a block of {@link #BLOCK} fencing tokens; every acquisition here takes
 * the next one, and the host starts the next grant above the block, so tokens keep growing
 * across holders, also when a holder is taken for dead.
 */
public final class Lease implements Box {
    static final long BLOCK = 1L << 16;
    static final long QUANTUM_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final Map<String, Lease> HELD = new ConcurrentHashMap<>();
    /** Give-backs on their way to the host (from {@link #SENDER} or a user's thread), with their lease's {@code local}. */
    private static final Map<CompletableFuture<Void>, String> SENDING = new ConcurrentHashMap<>();
    /**
     * Where leases given back from an event loop or a timer are sent, once this JVM's pending
     * writes are stored: not on the Hazelcast thread that completes those writes, which may
     * not make remote calls.
     */
    private static final java.util.concurrent.Executor SENDER = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "mproc-lease-sender");
        thread.setDaemon(true);
        // made by the first caller, maybe a task's thread: not its program's loader, which it would keep for good
        thread.setContextClassLoader(Lease.class.getClassLoader());
        return thread;
    });

    private final LockHandle lock;
    private final long grant;
    private final long since = System.nanoTime();
    private long nextToken;
    private Object value;
    /** Changed since the grant (the give-back carries the data), and since the last write-back. */
    private boolean dirty;
    private boolean unsaved;
    private boolean writeBackArmed;
    private Thread user;
    private int entries;
    private long token;
    private boolean wanted;
    private boolean valid = true;
    private boolean timerArmed;

    private Lease(LockHandle lock, CellState.Grant grant) {
        this.lock = lock;
        this.grant = grant.last();
        this.nextToken = grant.first();
        this.value = copy(grant.value());
        this.wanted = grant.contended();
    }

    private static Object copy(Object value) {
        return value instanceof long[] longs ? longs.clone() : value instanceof double[] doubles ? doubles.clone() : value;
    }

    /** Records a grant from the host, held by the calling thread. */
    static Lease start(LockHandle lock, CellState.Grant grant) {
        Lease lease = new Lease(lock, grant);
        synchronized (lease) {
            lease.user = Thread.currentThread();
            lease.entries = 1;
            lease.token = lease.nextToken++;
        }
        HELD.put(lock.local, lease);
        return lease;
    }

    static Lease of(String local) {
        return HELD.get(local);
    }

    /** Drops this JVM's leases of {@code cluster}, whose context closed (the cluster is gone with it). */
    static void forget(String cluster) {
        forget(cluster, key -> true);
    }

    /**
     * Drops this JVM's leases of {@code cluster} whose key passes {@code which} (their member left,
     * or their objects are gone): a timer armed on one no longer sends it, a thread waiting on
     * one asks the host.
     */
    static void forget(String cluster, Predicate<String> which) {
        String prefix = cluster + "|";
        for (Lease lease : HELD.values()) {
            String local = lease.lock.local;
            if (local.startsWith(prefix) && which.test(local.substring(prefix.length()))) {
                synchronized (lease) {
                    lease.valid = false;
                    HELD.remove(local, lease);
                    lease.notifyAll();
                }
            }
        }
    }

    /**
     * Gives every lease of this JVM back, with the data changed under it, and waits (at most
     * {@code patience}) for the give-backs already on their way: before this JVM leaves the
     * cluster, so that a process that ends cleanly loses none of its writes.
     */
    public static void giveBackAll(Duration patience) {
        giveBack(local -> true, patience);
    }

    /** As {@link #giveBackAll}, for the leases of {@code cluster} alone: a program leaving a cluster that goes on. */
    static void giveBackAll(String cluster, Duration patience) {
        giveBack(local -> local.startsWith(cluster + "|"), patience);
    }

    private static void giveBack(Predicate<String> which, Duration patience) {
        for (Lease lease : HELD.values()) {
            if (!which.test(lease.lock.local)) {
                continue;
            }
            synchronized (lease) {
                if (lease.valid) {
                    try {
                        lease.giveBack(false); // sent in turn from SENDER, waited for below within patience
                    } catch (RuntimeException e) {
                        System.getLogger(Lease.class.getName()).log(System.Logger.Level.WARNING,
                                "giving " + lease.lock.name + " back before leaving the cluster: " + e);
                    }
                }
            }
        }
        // these, and any lease given back a moment ago by another thread: leaving now would lose their data
        List<CompletableFuture<Void>> underway = SENDING.entrySet().stream()
                .filter(e -> which.test(e.getValue())).map(Map.Entry::getKey).toList();
        try {
            CompletableFuture.allOf(underway.toArray(CompletableFuture[]::new)).get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            System.getLogger(Lease.class.getName()).log(System.Logger.Level.WARNING,
                    underway.size() + " lock(s) given back were not confirmed within " + patience.toMillis() + " ms");
        } catch (ExecutionException e) {
            // send() reports its own failures
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Outcomes of {@link #enter}, beside true and false. */
    static final Object GONE = Status.RETRY;

    /**
     * Takes the lock here: TRUE, FALSE when {@code deadline} passed while another thread of this
     * JVM used it, or {@link #GONE} when the lease went back to the host (ask the host then).
     */
    synchronized Object enter(boolean reentrant, long deadline) {
        Thread me = Thread.currentThread();
        while (true) {
            if (!valid) {
                return GONE;
            }
            if (user == me && reentrant) {
                entries++;
                return Boolean.TRUE;
            }
            if (user == null) {
                if ((wanted && quantumOver()) || nextToken > grant) {
                    giveBack(true);
                    return GONE;
                }
                user = me;
                entries = 1;
                token = nextToken++;
                return Boolean.TRUE;
            }
            if (!waitUntil(deadline)) {
                return Boolean.FALSE;
            }
        }
    }

    /**
     * Releases the lock here: {@link Status#OK}, {@code null} if the caller does not hold it
     * (thread {@code strict}ly, or any thread of this JVM), or the host's message when the lease
     * went back and the host had taken it away (the holder was taken for dead).
     */
    synchronized Object exit(boolean strict) {
        if (!valid || user == null || (strict && user != Thread.currentThread())) {
            return null;
        }
        if (strict && --entries > 0) {
            return Status.OK;
        }
        user = null;
        entries = 0;
        notifyAll();
        if (wanted) {
            if (quantumOver()) {
                return giveBack(true);
            }
            armTimer();
        } else if (unsaved) {
            armWriteBack();
        }
        return Status.OK;
    }

    /** Runs {@code mutation} on the data here, waiting while another thread of this JVM holds the lock; GONE if the lease went back. */
    synchronized Object apply(Mutation mutation) {
        Thread me = Thread.currentThread();
        while (valid && user != null && user != me) {
            waitUntil(Long.MAX_VALUE);
        }
        if (!valid) {
            return GONE;
        }
        if (user == null && wanted && quantumOver()) {
            giveBack(true);
            return GONE;
        }
        return mutation.applyOrFailure(this);
    }

    /** The token of the current acquisition, if the caller holds the lock (thread {@code strict}ly, or any thread of this JVM). */
    synchronized Long token(boolean strict) {
        if (!valid || user == null || (strict && user != Thread.currentThread())) {
            return null;
        }
        return token;
    }

    synchronized boolean inUse() {
        return valid && user != null;
    }

    /** Another process wants the lock: give it back now if unused, else when released (after the quantum). Returns whether in use. */
    synchronized boolean revoke() {
        if (!valid) {
            return false;
        }
        wanted = true;
        if (user != null) {
            return true;
        }
        if (quantumOver()) {
            giveBack(false);
        } else {
            armTimer();
        }
        return false;
    }

    /** Gives back {@code local}'s lease if this JVM holds one; returns whether a thread uses it. */
    static boolean revoke(String local) {
        Lease lease = HELD.get(local);
        return lease != null && lease.revoke();
    }

    private boolean quantumOver() {
        return System.nanoTime() - since >= QUANTUM_NANOS;
    }

    private void armTimer() {
        if (timerArmed) {
            return;
        }
        timerArmed = true;
        long delayMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(QUANTUM_NANOS - (System.nanoTime() - since)) + 1);
        Nodes.of(lock.cluster).setTimer(delayMs, id -> {
            synchronized (Lease.this) {
                if (valid && user == null) {
                    giveBack(false);
                }
            }
        });
    }

    /**
     * Hands the lock and the data back to the host: waiting for its reply on a user's thread
     * ({@code sync}), not on an event loop, where a refusal can only be logged.
     */
    private Object giveBack(boolean sync) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        SENDING.put(sent, lock.local); // before the lease leaves HELD: giveBackAll sees the one or the other
        valid = false;
        HELD.remove(lock.local, this);
        notifyAll();
        try {
            Waits waits = Waits.of(lock.cluster);
            CellState.Release release = new CellState.Release(lock.cluster, waits.member, grant, dirty, value);
            if (sync) {
                try {
                    return waits.run(lock.key, release, lock.name);
                } finally {
                    sent(sent);
                }
            }
            Pending.of(lock.cluster).drained().thenRunAsync(() -> send(waits, release, 3), SENDER)
                    .whenComplete((done, failure) -> sent(sent));
            return Status.OK;
        } catch (RuntimeException e) {
            sent(sent); // not sent, and never will be: nobody waits for it
            throw e;
        }
    }

    private static void sent(CompletableFuture<Void> giveBack) {
        SENDING.remove(giveBack);
        giveBack.complete(null);
    }

    /** Sends a give-back from {@link #SENDER}, trying {@code attempts} times: until the host has it, others wait for the lock. */
    private void send(Waits waits, CellState.Release release, int attempts) {
        Object reply;
        try {
            reply = waits.run(lock.key, release, lock.name);
        } catch (RuntimeException e) {
            if (attempts > 1) {
                send(waits, release, attempts - 1);
                return;
            }
            reply = e;
        }
        if (reply != Status.OK) {
            System.getLogger(Lease.class.getName()).log(System.Logger.Level.WARNING, "giving " + lock.name + " back: " + reply);
        }
    }

    private boolean waitUntil(long deadline) {
        long left = deadline == Long.MAX_VALUE ? Waits.SLICE_MS : TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            return false;
        }
        try {
            wait(left);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.mproc.ProcessException("interrupted while waiting for " + lock.name, e);
        }
    }

    @Override
    public Object value() {
        return value;
    }

    @Override
    public void value(Object newValue) {
        value = newValue;
        dirty = true;
        unsaved = true;
    }

    /**
     * Copies the data to the host about a millisecond after a release, while the lease stays:
     * a process killed after releasing loses at most that millisecond of writes.
     */
    private void armWriteBack() {
        if (writeBackArmed) {
            return;
        }
        writeBackArmed = true;
        Nodes.of(lock.cluster).setTimer(1, id -> {
            synchronized (Lease.this) {
                writeBackArmed = false;
                if (!valid || !unsaved) {
                    return;
                }
                if (user != null) {
                    return; // in use again: its release arms the next write-back
                }
                unsaved = false;
                Waits waits = Waits.of(lock.cluster);
                @SuppressWarnings({"unchecked", "rawtypes"})
                CellState.WriteBack writeBack = new CellState.WriteBack(lock.cluster, waits.member, grant, copy(value));
                java.util.concurrent.CompletionStage<Object> sent = Pending.of(lock.cluster).drained()
                        .thenComposeAsync(v -> waits.states.submitToKey(lock.key, (Transition) writeBack), SENDER);
                sent.whenComplete((reply, failure) -> {
                    if (failure != null) {
                        System.getLogger(Lease.class.getName()).log(System.Logger.Level.DEBUG, "writing " + lock.name + " back: " + failure);
                    }
                });
            }
        });
    }
}
