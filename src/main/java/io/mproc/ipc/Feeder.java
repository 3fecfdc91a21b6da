package io.mproc.ipc;

import io.mproc.ProcessException;
import io.mproc.codec.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts into an unbounded queue hosted in another JVM, as Python's queue feeder thread does:
 * {@code put} returns once the item is buffered here, and the buffer goes to the host in
 * batches, up to {@value #MAX_IN_FLIGHT} in flight; they travel one connection and the host
 * serves them on one event loop, so a producer's items arrive in order. A producer
 * that outruns the host waits when {@value #MAX_BUFFERED_BYTES} bytes are buffered. The
 * buffers of a worker JVM are flushed before it exits ({@link #flushAll}).
 */
final class Feeder {
    private static final long MAX_BUFFERED_BYTES = 32 << 20;
    private static final int MAX_BATCH_BYTES = 4 << 20;
    private static final int MAX_IN_FLIGHT = 4;
    private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(120_000);
    private static final Set<Feeder> BUSY = ConcurrentHashMap.newKeySet();

    private final Vertx vertx;
    private final String address;
    private final String name;
    private final ArrayDeque<byte[]> buffered = new ArrayDeque<>();
    private long bytes;
    private int inFlight;
    private ProcessException failure;

    Feeder(Vertx vertx, String address, String name) {
        this.vertx = vertx;
        this.address = address;
        this.name = name;
    }

    void put(byte[] item) {
        List<byte[]> batch = null;
        synchronized (this) {
            if (failure != null) {
                throw failure;
            }
            while (bytes > MAX_BUFFERED_BYTES && failure == null) {
                waitQuietly();
            }
            buffered.add(item);
            bytes += item.length;
            if (inFlight < MAX_IN_FLIGHT) {
                inFlight++;
                BUSY.add(this);
                batch = drain();
            }
        }
        if (batch != null) {
            send(batch);
        }
    }

    private List<byte[]> drain() {
        List<byte[]> batch = new ArrayList<>();
        int size = 0;
        while (!buffered.isEmpty() && (batch.isEmpty() || size + buffered.peekFirst().length <= MAX_BATCH_BYTES)) {
            byte[] item = buffered.pollFirst();
            batch.add(item);
            size += item.length;
            bytes -= item.length;
        }
        notifyAll();
        return batch;
    }

    private void send(List<byte[]> batch) {
        int size = 16;
        for (byte[] item : batch) {
            size += item.length + 4;
        }
        Wire.Out out = new Wire.Out(size).writeByte(QueueHost.PUT_MANY).writeLong(0).writeInt(batch.size());
        batch.forEach(out::writeBytes);
        vertx.eventBus().request(address, Buffer.buffer(out.toByteArray()), OPTIONS).onComplete(reply -> {
            List<byte[]> next = null;
            synchronized (this) {
                if (reply.failed()) {
                    failure = new ProcessException(batch.size() + " items put in " + name + " were lost: " + reply.cause(), reply.cause());
                    buffered.clear();
                    bytes = 0;
                } else if (!buffered.isEmpty()) {
                    next = drain();
                }
                if (next == null && --inFlight == 0) {
                    BUSY.remove(this);
                    notifyAll();
                }
            }
            if (next != null) {
                send(next);
            }
        });
    }

    /** Waits until everything put has reached the host, at most {@code timeout}. */
    synchronized boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight > 0 && System.nanoTime() < deadline) {
            waitQuietly();
        }
        return inFlight == 0;
    }

    /** Flushes every feeder of this JVM: call before the JVM exits. */
    static void flushAll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Feeder feeder : BUSY) {
            feeder.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    private void waitQuietly() {
        try {
            wait(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessException("interrupted while putting into " + name, e);
        }
    }
}
