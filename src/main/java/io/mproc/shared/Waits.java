package io.mproc.shared;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.mproc.cluster.Blocking;
import io.mproc.cluster.Nodes;
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
    final String member;
    final String address;
    final IMap<String, SyncState> states;
    private final MessageConsumer<Buffer> consumer;
    private final AtomicLong seq = new AtomicLong();
    private final Map<Long, CompletableFuture<Object[]>> pending = new ConcurrentHashMap<>();

    private Waits(String cluster) {
        this.cluster = cluster;
        HazelcastInstance hazelcast = Nodes.hazelcast(cluster);
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
        Blocking.await(consumer.completion(), Duration.ofSeconds(30), "registering " + address);
    }

    static Waits of(String cluster) {
        return BY_CLUSTER.computeIfAbsent(cluster, Waits::new);
    }

    /** Forgets the cluster, when this JVM's context closes. */
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

    void done(Waiter waiter) {
        pending.remove(waiter.seq());
    }

    /** Runs {@code step} on the state at {@code key}; a state that does not exist is an error naming {@code what}. */
    Object run(String key, Transition<?> step, String what) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object reply = states.executeOnKey(key, (Transition) step);
        if (Transition.MISSING.equals(reply)) {
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
