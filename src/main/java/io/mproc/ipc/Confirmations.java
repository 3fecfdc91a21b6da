package io.mproc.ipc;

import io.mproc.codec.Wire;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The items this JVM got from held gets of queues hosted elsewhere, not yet confirmed to their
 * hosts (see {@link QueueHost}). A confirmation rides on this JVM's next get from the same
 * queue, as in a consumer's loop or a ping-pong, and costs no message of its own; when no get
 * follows within {@link #DELAY_MS}, it is sent alone. A JVM that ends, or a context that
 * closes, sends what is left ({@link #flushAll}): else its items would come back to the queue
 * when its member leaves, and be got twice.
 */
final class Confirmations {
    /** How long a confirmation waits for a get to ride on: an item whose JVM dies within this long of getting it comes back, and is got again. */
    static final long DELAY_MS = 20;

    /** What waits, by host address; an entry goes when its timer fires, so a host no longer used leaves nothing here. */
    private static final Map<String, Confirmations> WAITING = new ConcurrentHashMap<>();
    /** Confirmations sent by a timer and not yet answered: a JVM that ends waits for them too. */
    private static final Set<Future<?>> SENT = ConcurrentHashMap.newKeySet();
    private static final long[] NONE = new long[0];

    private final Vertx vertx;
    private final List<Long> numbers = new ArrayList<>(1);

    private Confirmations(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * An item of handoff {@code number} from the host at {@code address} arrived here, through
     * {@code vertx}. The first one arms a timer for the host's entry: a get every few hundred
     * microseconds (a ping-pong) sets one timer per {@link #DELAY_MS}, not one per item.
     */
    static void received(Vertx vertx, String address, long number) {
        boolean[] first = new boolean[1];
        WAITING.compute(address, (a, waiting) -> {
            Confirmations confirmations = waiting;
            if (confirmations == null) {
                confirmations = new Confirmations(vertx);
                first[0] = true;
            }
            confirmations.numbers.add(number);
            return confirmations;
        });
        if (first[0]) {
            vertx.setTimer(DELAY_MS, t -> send(address));
        }
    }

    /** The confirmations for the host at {@code address}, taken to ride on a get to it (empty if none). */
    static long[] take(String address) {
        long[][] taken = {NONE};
        WAITING.computeIfPresent(address, (a, waiting) -> {
            taken[0] = waiting.numbers();
            waiting.numbers.clear();
            return waiting; // its timer still comes, and removes it
        });
        return taken[0];
    }

    /** The entry's timer: what no get took along goes alone, and the entry goes. */
    private static void send(String address) {
        Confirmations taken = WAITING.remove(address);
        if (taken != null && !taken.numbers.isEmpty()) {
            Future<?> sent = taken.sendTo(address, QueueHost.HANDOFF_MS);
            SENT.add(sent);
            sent.onComplete(done -> SENT.remove(sent));
        }
    }

    /** Sends every confirmation still waiting and waits, at most {@code timeout}, until the hosts have them. */
    static void flushAll(Duration timeout) {
        List<Future<?>> sent = new ArrayList<>(SENT);
        for (String address : List.copyOf(WAITING.keySet())) {
            Confirmations taken = WAITING.remove(address);
            if (taken != null && !taken.numbers.isEmpty()) {
                sent.add(taken.sendTo(address, Math.max(1, timeout.toMillis())));
            }
        }
        if (sent.isEmpty()) {
            return;
        }
        try {
            Future.join(sent).await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // a host that is gone needs no confirmation; one that did not answer in time takes its items back
            if (e instanceof InterruptedException || Thread.interrupted()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** These confirmations to the host at {@code address} in a CONFIRM request, answered within {@code timeoutMs}. */
    private Future<?> sendTo(String address, long timeoutMs) {
        return vertx.eventBus().request(address, request(numbers()), new DeliveryOptions().setSendTimeout(timeoutMs));
    }

    private long[] numbers() {
        return numbers.stream().mapToLong(Long::longValue).toArray();
    }

    static Buffer request(long[] numbers) {
        return Buffer.buffer(QueueHost.writeHandoffs(new Wire.Out(16 + 8 * numbers.length).writeByte(QueueHost.CONFIRM).writeLong(0), numbers)
                .toByteArray());
    }
}
