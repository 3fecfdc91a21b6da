package io.mproc.ipc;

import io.mproc.JoinableQueue;
import io.mproc.ProcessException;
import io.mproc.QueueEmptyException;
import io.mproc.QueueFullException;
import io.mproc.cluster.Blocking;
import io.mproc.cluster.Nodes;
import io.mproc.cluster.Pending;
import io.mproc.codec.Codec;
import io.mproc.codec.Wire;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handle on a queue hosted by a {@link QueueHost}: serializable, it works in any JVM of
 * the cluster. Every call is a request to the host; a blocking call waits for its reply.
 */
public final class QueueHandle<T> implements JoinableQueue<T> {
    private static final long FOREVER = -1;
    private static final Duration MARGIN = Duration.ofSeconds(30);

    private final String cluster;
    private final String address;
    private final String name;
    private final int maxsize;
    private final boolean joinable;
    private transient volatile boolean closed;
    private transient volatile Feeder feeder;

    public QueueHandle(String cluster, String address, String name, int maxsize, boolean joinable) {
        this.cluster = cluster;
        this.address = address;
        this.name = name;
        this.maxsize = maxsize;
        this.joinable = joinable;
    }

    @Override
    public void put(T item) {
        put(item, FOREVER);
    }

    @Override
    public void put(T item, Duration timeout) {
        put(item, Math.max(1, timeout.toMillis()));
    }

    @Override
    public void putNowait(T item) {
        put(item, 0);
    }

    private void put(T item, long timeoutMs) {
        Pending.of(cluster).drain();
        if (closed) {
            throw new IllegalStateException(name + " was closed by this process; it puts no more items");
        }
        Wire.Out value = new Wire.Out(64);
        Codec.writeValues(value, Collections.singletonList(item), "an item put in " + name);
        if (maxsize <= 0 && QueueHost.local(address) == null) {
            feeder().put(value.toByteArray()); // an unbounded queue elsewhere: always room, so buffer and batch
        } else {
            call(QueueHost.PUT, timeoutMs, value.toByteArray());
        }
    }

    private Feeder feeder() {
        Feeder f = feeder;
        if (f == null) {
            synchronized (this) {
                f = feeder;
                if (f == null) {
                    f = new Feeder(Nodes.of(cluster), address, name);
                    feeder = f;
                }
            }
        }
        return f;
    }

    /**
     * Waits until everything this JVM put has reached the queues' hosts, and the items it got
     * are confirmed to them ({@link Confirmations}): call before the JVM ends or leaves its cluster.
     */
    public static void flushAll(Duration timeout) {
        Feeder.flushAll(timeout);
        Confirmations.flushAll(timeout);
    }

    @Override
    public T get() {
        return get(FOREVER);
    }

    @Override
    public T get(Duration timeout) {
        return get(Math.max(1, timeout.toMillis()));
    }

    @Override
    public T getNowait() {
        return get(0);
    }

    @SuppressWarnings("unchecked")
    private T get(long timeoutMs) {
        Pending.of(cluster).drain();
        QueueHost host = QueueHost.local(address);
        byte[] item = host == null ? null : host.poll(); // in the host's JVM, an item waiting is taken at once
        if (item == null) {
            item = call(QueueHost.GET, timeoutMs, null).getBytes();
        }
        return (T) Codec.readArray(new Wire.In(item), "an item got from " + name)[0];
    }

    @Override
    public int qsize() {
        return new Wire.In(call(QueueHost.SIZE, 0, null).getBytes()).readInt();
    }

    @Override
    public boolean empty() {
        return qsize() == 0;
    }

    @Override
    public boolean full() {
        Wire.In in = new Wire.In(call(QueueHost.SIZE, 0, null).getBytes());
        in.readInt();
        return in.readByte() == 1;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Waits at most {@code timeoutMs} (0: not at all) until an item is there, without taking it. */
    boolean await(long timeoutMs) {
        try {
            call(QueueHost.WAIT, timeoutMs, null);
            return true;
        } catch (QueueEmptyException e) {
            return false;
        }
    }

    @Override
    public void taskDone() {
        checkJoinable("taskDone()");
        call(QueueHost.TASK_DONE, 0, null);
    }

    @Override
    public void join() {
        checkJoinable("join()");
        call(QueueHost.JOIN, FOREVER, null);
    }

    @Override
    public boolean join(Duration timeout) {
        checkJoinable("join(Duration)");
        try {
            call(QueueHost.JOIN, Math.max(1, timeout.toMillis()), null);
            return true;
        } catch (QueueNotDone e) {
            return false;
        }
    }

    private void checkJoinable(String what) {
        if (!joinable) {
            throw new UnsupportedOperationException(what + " needs a JoinableQueue; " + name + " is a plain Queue");
        }
    }

    /** Thrown inside this class when a timed join ends with items not done. */
    private static final class QueueNotDone extends RuntimeException {
        QueueNotDone(String message) {
            super(message, null, false, false);
        }
    }

    private Buffer call(byte op, long timeoutMs, byte[] item) {
        QueueHost host = QueueHost.local(address);
        if (host != null) {
            return Buffer.buffer(callLocal(host, op, timeoutMs, item));
        }
        Feeder f = feeder;
        if (f != null && (op == QueueHost.SIZE || op == QueueHost.JOIN || op == QueueHost.TASK_DONE)) {
            f.flush(Duration.ofMinutes(2)); // counts and joins see what this process put, as if put synchronously
        }
        Wire.Out request = new Wire.Out(16 + (item == null ? 0 : item.length + 4)).writeByte(op).writeLong(timeoutMs);
        if (item != null) {
            request.writeBytes(item);
        }
        if (op == QueueHost.GET) {
            // the host drops a held get whose member leaves: a JVM that dies waiting takes no item
            request.writeString(Nodes.memberId(cluster));
            QueueHost.writeHandoffs(request, Confirmations.take(address)); // what this JVM got before, confirmed on the way
        }
        Duration wait = timeoutMs < 0 ? Duration.ofDays(365) : Duration.ofMillis(timeoutMs).plus(MARGIN);
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(wait.toMillis());
        Vertx vertx = Nodes.of(cluster);
        Handover handover = new Handover();
        Future<Buffer> answer = vertx.eventBus().<Buffer>request(address, Buffer.buffer(request.toByteArray()), options)
                .map(reply -> {
                    if (op == QueueHost.GET && !handover.take()) {
                        giveBack(vertx, reply); // its caller gave up: the item goes back, unseen
                        return null;
                    }
                    return received(vertx, reply);
                });
        try {
            return Blocking.await(answer, wait, "a call on " + name);
        } catch (ProcessException e) {
            if (op == QueueHost.GET && gaveUp(e) && !handover.abandon()) {
                return answer.toCompletionStage().toCompletableFuture().join(); // it had arrived: the caller gets it after all
            }
            throw translate(e);
        }
    }

    /** Whether the caller stopped waiting (interrupted, or past its wait), rather than the call failing. */
    private static boolean gaveUp(ProcessException e) {
        return e.getCause() instanceof InterruptedException || e.getCause() instanceof TimeoutException;
    }

    /** A get's item, handed over once: to its caller, or, if the caller gave up first, back to the queue. */
    private static final class Handover {
        private final AtomicInteger state = new AtomicInteger();

        /** The item arrived: true if the caller still waits for it. */
        boolean take() {
            return state.compareAndSet(0, 1);
        }

        /** The caller gives up: true if no item arrived before. */
        boolean abandon() {
            return state.compareAndSet(0, 2);
        }
    }

    /** An item whose caller gave up goes back to the head of its queue, and its handoff with it. */
    private void giveBack(Vertx vertx, Message<Buffer> reply) {
        byte[] item = reply.body().getBytes();
        vertx.eventBus().send(address, Buffer.buffer(new Wire.Out(24 + item.length).writeByte(QueueHost.GIVE_BACK).writeLong(0)
                .writeLong(handoffOf(reply)).writeBytes(item).toByteArray()));
    }

    /** The handoff a held get's item came in, or 0 for an item that needs no confirmation. */
    private static long handoffOf(Message<Buffer> reply) {
        String handoff = reply.headers().get(QueueHost.HANDOFF);
        return handoff == null ? 0 : Long.parseLong(handoff);
    }

    /**
     * A reply's body. An item handed to a held get is confirmed to its host, noted here on
     * arrival, before the caller sees it: on this JVM's next get from the queue, or alone soon after
     * ({@link Confirmations}). An item this JVM had is not handed out again unless this JVM
     * stalls past the handoff's time limit, or dies within {@link Confirmations#DELAY_MS} of getting it.
     */
    private Buffer received(Vertx vertx, Message<Buffer> reply) {
        long handoff = handoffOf(reply);
        if (handoff != 0) {
            Confirmations.received(vertx, address, handoff);
        }
        return reply.body();
    }

    /** The same request to a host in this JVM: no event bus, no thread hop. */
    private byte[] callLocal(QueueHost host, byte op, long timeoutMs, byte[] item) {
        Blocking.checkNotOnEventLoop("a call on " + name);
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        Handover handover = new Handover();
        host.serve(op, timeoutMs, item == null ? List.of() : List.of(item), new QueueHost.Reply() {
            @Override
            public void ok(byte[] body) {
                if (op == QueueHost.GET && !handover.take()) {
                    host.giveBack(0, body); // its caller gave up: the item goes back, unseen
                    return;
                }
                answer.complete(body);
            }

            @Override
            public void fail(int code, String message) {
                answer.completeExceptionally(failure(code, message, null));
            }
        });
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (op == QueueHost.GET && !handover.abandon()) {
                return answer.join(); // it had arrived: the caller gets it after all
            }
            throw new ProcessException("interrupted while waiting on " + name, e);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private RuntimeException translate(ProcessException e) {
        if (!(e.getCause() instanceof ReplyException reply)) {
            return e;
        }
        if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
            return new ProcessException(name + " is gone: the JVM that held it has closed its context or died", reply);
        }
        return failure(reply.failureCode(), reply.getMessage(), reply);
    }

    private RuntimeException failure(int code, String message, Throwable cause) {
        return switch (code) {
            case QueueHost.FULL -> new QueueFullException(message);
            case QueueHost.EMPTY -> new QueueEmptyException(message);
            case QueueHost.TOO_MANY_DONE -> new IllegalStateException(message);
            case QueueHost.NOT_DONE -> new QueueNotDone(message);
            default -> new ProcessException(name + ": " + message, cause);
        };
    }

    @Override
    public String toString() {
        return (joinable ? "JoinableQueue[" : "Queue[") + name + (maxsize > 0 ? ", maxsize=" + maxsize : "") + "]";
    }
}
