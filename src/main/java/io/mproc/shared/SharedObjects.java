package io.mproc.shared;

import io.mproc.Barrier;
import io.mproc.Condition;
import io.mproc.DictProxy;
import io.mproc.DoubleArray;
import io.mproc.Event;
import io.mproc.ListProxy;
import io.mproc.Lock;
import io.mproc.LongArray;
import io.mproc.Manager;
import io.mproc.Namespace;
import io.mproc.Semaphore;
import io.mproc.Value;

import io.mproc.cluster.Nodes;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the shared values, arrays, collections and synchronization objects of one context.
 * Each lives in the cluster's Hazelcast maps under a key: its name when the user gave one
 * (then every program of the cluster finds the same object, made by whichever asked first),
 * else a new unique key that names its owner, this context's member ({@link Ownership}).
 */
public final class SharedObjects implements Manager {
    private final String cluster;
    private final String owner;
    private final AtomicInteger count = new AtomicInteger();

    /** @param owner the member id of the context: its unnamed objects go when it closes or leaves */
    public SharedObjects(String cluster, String owner) {
        this.cluster = cluster;
        this.owner = owner;
    }

    /** {@code {key, display name}} for a new object of {@code kind}, or the user's {@code name}. */
    private String[] key(String kind, String name) {
        if (name != null) {
            if (name.isBlank()) {
                throw new IllegalArgumentException(kind + " name must not be blank: '" + name + "'");
            }
            return new String[]{name, name};
        }
        String display = kind + "-" + count.incrementAndGet();
        return new String[]{display + Ownership.tag(owner) + UUID.randomUUID(), display};
    }

    /** Stores {@code state} under {@code key} unless a state is there; returns the one that is. */
    private SyncState create(String key, SyncState state, String kind) {
        SyncState existing = Waits.of(cluster).states.putIfAbsent(key, state);
        if (existing == null) {
            return state;
        }
        String existingKind = existing instanceof CellState cell ? cell.kind : existing.getClass().getSimpleName().replace("State", "");
        if (!existingKind.equals(kind)) {
            throw new IllegalStateException("the name '" + key + "' is already used by a " + existingKind + ", not a " + kind);
        }
        return existing;
    }

    public Lock lock(String name, boolean reentrant) {
        String kind = reentrant ? "RLock" : "Lock";
        String[] k = key(kind, name);
        create(k[0], new CellState(kind, null), kind);
        return new LockHandle(cluster, k[0], k[1], reentrant);
    }

    public <T> Value<T> value(String name, T initial) {
        Access.checkSerializable(initial, "the initial value of a Value");
        String[] k = key("Value", name);
        create(k[0], new CellState("Value", initial), "Value");
        return new ValueHandle<>(cluster, k[0], k[1]);
    }

    public LongArray array(String name, long[] initial) {
        String[] k = key("LongArray", name);
        CellState state = (CellState) create(k[0], new CellState("LongArray", initial.clone()), "LongArray");
        return new LongArrayHandle(cluster, k[0], k[1], ((long[]) state.value).length);
    }

    public DoubleArray array(String name, double[] initial) {
        String[] k = key("DoubleArray", name);
        CellState state = (CellState) create(k[0], new CellState("DoubleArray", initial.clone()), "DoubleArray");
        return new DoubleArrayHandle(cluster, k[0], k[1], ((double[]) state.value).length);
    }

    public Semaphore semaphore(String name, int permits, boolean bounded) {
        if (permits < 0) {
            throw new IllegalArgumentException("semaphore initial value must be >= 0: " + permits);
        }
        String[] k = key(bounded ? "BoundedSemaphore" : "Semaphore", name);
        create(k[0], new SemaphoreState(k[1], permits, bounded ? permits : -1), "Semaphore");
        return new SemaphoreHandle(cluster, k[0], k[1]);
    }

    public Event event(String name) {
        String[] k = key("Event", name);
        create(k[0], new EventState(k[1]), "Event");
        return new EventHandle(cluster, k[0], k[1]);
    }

    public Condition condition(String name, Lock lock) {
        if (lock != null && !(lock instanceof LockHandle)) {
            throw new IllegalArgumentException("a Condition waits under a lock made by mproc, not " + lock.getClass().getName());
        }
        LockHandle under = lock != null ? (LockHandle) lock : (LockHandle) lock(name == null ? null : name + ".lock", true);
        String[] k = key("Condition", name);
        create(k[0], new ConditionState(k[1]), "Condition");
        return new ConditionHandle(cluster, k[0], k[1], under);
    }

    public Barrier barrier(String name, int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("barrier parties must be >= 1: " + parties);
        }
        String[] k = key("Barrier", name);
        BarrierState state = (BarrierState) create(k[0], new BarrierState(k[1], parties), "Barrier");
        return new BarrierHandle(cluster, k[0], k[1], state.parties);
    }

    @Override
    public <K, V> DictProxy<K, V> dict() {
        return dict(null);
    }

    @Override
    public <K, V> DictProxy<K, V> dict(String name) {
        String[] k = key("dict", name);
        return new DictHandle<>(cluster, "mproc.dict." + k[0], k[1]);
    }

    @Override
    public <E> ListProxy<E> list() {
        return list(null);
    }

    @Override
    public <E> ListProxy<E> list(String name) {
        String[] k = key("list", name);
        return new ListHandle<>(cluster, "mproc.list." + k[0], k[1]);
    }

    @Override
    public Namespace namespace() {
        return namespace(null);
    }

    @Override
    public Namespace namespace(String name) {
        String[] k = key("Namespace", name);
        return new NamespaceHandle(cluster, "mproc.namespace." + k[0], k[1]);
    }

    /** Removes the named shared state and collections called {@code name}; whether one existed. */
    public boolean delete(String name) {
        return Ownership.delete(Nodes.hazelcast(cluster), name);
    }

    /**
     * When the context closes. The leases and wake-up address of this JVM belong to one member
     * per cluster, the oldest that this JVM has there ({@link Nodes}); if that is this context's
     * member, it leaves now: with {@code reclaim} (a program leaving a cluster that goes on) its
     * leases first go back with their data (a named value set just before closing, even under a
     * lock still held, keeps that value), then this JVM forgets them. Another context's member
     * keeps its own, but not those of this context's unnamed objects, which are then removed
     * (with {@code reclaim}).
     */
    public void close(boolean reclaim) {
        String tag = Ownership.tag(owner);
        if (reclaim) {
            // this context's unnamed objects are removed below: their leases are dropped, not given
            // back one round trip each (whichever member holds them for this JVM)
            Lease.forget(cluster, key -> key.contains(tag));
        }
        Waits waits = Waits.existing(cluster);
        if (waits != null && waits.member.equals(owner)) {
            if (reclaim) {
                Lease.giveBackAll(cluster, Duration.ofSeconds(5));
            }
            Waits.forget(cluster);
            Lease.forget(cluster);
        }
        if (reclaim) {
            Ownership.reclaim(Nodes.hazelcast(cluster), owner);
        }
    }

}
