package io.mproc.shared;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.mproc.cluster.Blocking;
import io.mproc.cluster.Nodes;
import io.mproc.cluster.Pending;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This JVM's side of blocking on shared states of one cluster: the map that holds them,
 * this member's id, and the event-bus address where hosts wake its blocked calls.
 *
 * <p>A blocked call waits for its wake-up in slices; after each slice it asks the host
 * how it stands, so a lost wake-up (the event bus is best effort) costs one slice, never
 * a hang.
 */
final class Waits {
    static final String MAP = "mproc.sync";
    static final long SLICE_MS = 500;
    private static final Map<String, Waits> BY_CLUSTER = new ConcurrentHashMap<>();

    final String cluster;
    private final HazelcastInstance hazelcast;
    final String member;
    final String address;
    final IMap<String, SyncState> states;
    private final MessageConsumer<Buffer> consumer;
    private final MessageConsumer<Buffer> leases;
    private final AtomicLong seq = new AtomicLong();
    private final Map<Long, CompletableFuture<Object[]>> pending = new ConcurrentHashMap<>();

    private Waits(String cluster, HazelcastInstance hazelcast) {
        this.cluster = cluster;
        this.hazelcast = hazelcast;
        Vertx vertx = Nodes.of(cluster);
        this.member = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.address = "mproc.wake." + member;
        this.states = hazelcast.getMap(MAP);
        this.consumer = vertx.eventBus().<Buffer>consumer(address, message -> {
            Object[] wake = Transition.Wake.decode(message.body());
            CompletableFuture<Object[]> waiting = pending.get((Long) wake[0]);
            if (waiting != null) {
                waiting.complete(wake);
            }
        });
        this.leases = vertx.eventBus().<Buffer>consumer(address + LEASES, message -> {
            byte op = message.body().getByte(0);
            String key = message.body().getString(1, message.body().length(), "UTF-8");
            String local = cluster + "|" + key;
            boolean inUse = op == REVOKE ? Lease.revoke(local) : Lease.of(local) != null && Lease.of(local).inUse();
            if (message.replyAddress() != null) {
                message.reply(Buffer.buffer(1).appendByte((byte) (inUse ? 1 : 0)));
            }
        });
        Blocking.await(consumer.completion(), Duration.ofSeconds(30), "registering " + address);
        Blocking.await(leases.completion(), Duration.ofSeconds(30), "registering " + address + LEASES);
    }

    private static final String LEASES = ".lease";
    private static final byte REVOKE = 1;
    private static final byte QUERY = 2;

    /** Asks the member at {@code owner} (a wake address) to give {@code key}'s lock back when it can. */
    void askBack(String owner, String key) {
        Nodes.of(cluster).eventBus().send(owner + LEASES, leaseMessage(REVOKE, key));
    }

    /**
     * Asks the member at {@code owner} whether a thread there uses {@code key}'s lock now;
     * with {@code revoke}, an unused lock is given back at once.
     */
    boolean inUse(String owner, String key, boolean revoke) {
        Buffer reply;
        try {
            reply = Blocking.await(Nodes.of(cluster).eventBus().<Buffer>request(owner + LEASES, leaseMessage(revoke ? REVOKE : QUERY, key))
                    .map(m -> m.body()), Duration.ofSeconds(10), "asking " + owner + " about " + key);
        } catch (io.mproc.ProcessException e) {
            return true; // the holder does not answer (it is leaving, or gone and about to be reaped): as the host says, held
        }
        return reply.getByte(0) == 1;
    }

    private static Buffer leaseMessage(byte op, String key) {
        return Buffer.buffer(1 + key.length()).appendByte(op).appendString(key, "UTF-8");
    }

    /**
     * This JVM's side of {@code cluster}, through the member that {@link Nodes} names for it now
     * (the oldest open one). When that member changed (the context of the one used so far
     * closed), the leases held through the old one are dropped: they left with it.
     */
    static Waits of(String cluster) {
        HazelcastInstance now = Nodes.hazelcast(cluster);
        Waits waits = BY_CLUSTER.get(cluster);
        if (waits != null && waits.hazelcast == now) {
            return waits;
        }
        synchronized (BY_CLUSTER) {
            waits = BY_CLUSTER.get(cluster);
            if (waits == null || waits.hazelcast != now) {
                if (waits != null) {
                    Lease.forget(cluster);
                }
                // made from a task's thread, whose context class loader is its program's: the event-bus
                // consumers made here would keep that loader (and its classes) for the JVM's life
                ClassLoader caller = Thread.currentThread().getContextClassLoader();
                Thread.currentThread().setContextClassLoader(Waits.class.getClassLoader());
                try {
                    waits = new Waits(cluster, now);
                } finally {
                    Thread.currentThread().setContextClassLoader(caller);
                }
                BY_CLUSTER.put(cluster, waits);
            }
            return waits;
        }
    }

    /** This JVM's side of {@code cluster} if a call made it, else null. */
    static Waits existing(String cluster) {
        return BY_CLUSTER.get(cluster);
    }

    /** Forgets the cluster, when the context whose member it uses closes. */
    static void forget(String cluster) {
        BY_CLUSTER.remove(cluster);
    }

    /** The owner id of the calling thread: {@code "member/thread"}. */
    String owner() {
        return member + "/" + Thread.currentThread().getId();
    }

    /** A new waiter for the calling thread; {@link #done} it when the call ends. */
    Waiter waiter() {
        long id = seq.incrementAndGet();
        pending.put(id, new CompletableFuture<>());
        return new Waiter(owner(), address, id);
    }

    /** Waits at most {@code millis} for the wake-up of {@code waiter}: {@code {seq, token, payload}}, or null. */
    Object[] await(Waiter waiter, long millis) {
        CompletableFuture<Object[]> future = pending.get(waiter.seq());
        try {
            return future.get(Math.max(0, millis), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.mproc.ProcessException("interrupted while waiting", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The caller as a waiter that will not wait (no wake-up is expected). */
    Waiter waiterless() {
        return new Waiter(owner(), address, 0);
    }

    void done(Waiter waiter) {
        pending.remove(waiter.seq());
    }

    /** Runs {@code step} on the state at {@code key}; a state that does not exist is an error naming {@code what}. */
    Object run(String key, Transition<?> step, String what) {
        Pending.of(cluster).drain();
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object reply = states.executeOnKey(key, (Transition) step);
        if (reply == Status.MISSING) {
            throw new IllegalStateException(what + " no longer exists in cluster " + cluster
                    + " (the context that made it closed?)");
        }
        return reply;
    }

    /** The time left until {@code deadline} (nanoTime), or a slice when there is no deadline. */
    static long sliceUntil(long deadline) {
        if (deadline == Long.MAX_VALUE) {
            return SLICE_MS;
        }
        return Math.min(SLICE_MS, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    static long deadline(Duration timeout) {
        if (timeout == null) {
            return Long.MAX_VALUE;
        }
        long nanos = timeout.toNanos();
        return nanos >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE : System.nanoTime() + nanos;
    }
}
