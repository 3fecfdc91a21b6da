package io.mproc.ipc;

import io.mproc.codec.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A queue's state, in the JVM that made it: items, and the gets, puts and joins waiting.
 * Runs on one event loop, so it needs no lock.
 *
 * <pre>
 * request: op(byte) timeoutMs(long: -1 waits for ever, 0 not at all) [item(bytes) for PUT]
 * reply:   GET: item(bytes); SIZE: size(int) full(byte); others: empty
 *          (WAIT answers, without taking it, once an item is there: a pipe's poll)
 * failure: FULL, EMPTY, TOO_MANY_DONE, NOT_DONE (join timed out), MALFORMED
 * </pre>
 */
public final class QueueHost {
    static final byte PUT = 1;
    static final byte GET = 2;
    static final byte SIZE = 3;
    static final byte TASK_DONE = 4;
    static final byte JOIN = 5;
    static final byte WAIT = 6;

    static final int FULL = 1;
    static final int EMPTY = 2;
    static final int TOO_MANY_DONE = 3;
    static final int NOT_DONE = 4;
    static final int MALFORMED = 5;

    private final Vertx vertx;
    private final String name;
    private final int maxsize;
    private final Deque<byte[]> items = new ArrayDeque<>();
    private final Deque<Waiter> getters = new ArrayDeque<>();
    private final Deque<Waiter> putters = new ArrayDeque<>();
    private final Deque<Waiter> joiners = new ArrayDeque<>();
    private final Deque<Waiter> watchers = new ArrayDeque<>();
    private final MessageConsumer<Buffer> consumer;
    private long unfinished;

    /** A request held until it can be answered; {@code item} for a put. */
    private static final class Waiter {
        final Message<Buffer> message;
        final byte[] item;
        long timer = -1;

        Waiter(Message<Buffer> message, byte[] item) {
            this.message = message;
            this.item = item;
        }
    }

    public QueueHost(Vertx vertx, String address, String name, int maxsize) {
        this.vertx = vertx;
        this.name = name;
        this.maxsize = maxsize;
        this.consumer = vertx.eventBus().consumer(address, this::handle);
    }

    public MessageConsumer<Buffer> consumer() {
        return consumer;
    }

    private void handle(Message<Buffer> message) {
        byte op;
        long timeout;
        byte[] item = null;
        try {
            Wire.In in = new Wire.In(message.body().getBytes());
            op = (byte) in.readByte();
            timeout = in.readLong();
            if (op == PUT) {
                item = in.readBytes();
            }
        } catch (RuntimeException e) {
            message.fail(MALFORMED, name + " cannot read this request: " + e);
            return;
        }
        switch (op) {
            case PUT -> put(new Waiter(message, item), timeout);
            case GET -> get(new Waiter(message, null), timeout);
            case SIZE -> message.reply(Buffer.buffer(new Wire.Out(5).writeInt(items.size()).writeByte(isFull() ? 1 : 0).toByteArray()));
            case TASK_DONE -> taskDone(message);
            case JOIN -> join(new Waiter(message, null), timeout);
            case WAIT -> watch(new Waiter(message, null), timeout);
            default -> message.fail(MALFORMED, name + " got unknown op " + op);
        }
    }

    private boolean isFull() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    private void put(Waiter put, long timeout) {
        if (!isFull()) {
            accept(put);
            return;
        }
        if (timeout == 0) {
            put.message.fail(FULL, name + " is full (" + items.size() + " of " + maxsize + " items)");
            return;
        }
        hold(putters, put, timeout, FULL, name + " stayed full (" + maxsize + " items) for " + timeout + " ms");
    }

    private void accept(Waiter put) {
        items.addLast(put.item);
        unfinished++;
        put.message.reply(Buffer.buffer());
        serveGetters();
    }

    private void get(Waiter get, long timeout) {
        if (!items.isEmpty()) {
            get.message.reply(Buffer.buffer(items.pollFirst()));
            admitPutters();
            return;
        }
        if (timeout == 0) {
            get.message.fail(EMPTY, name + " is empty");
            return;
        }
        hold(getters, get, timeout, EMPTY, name + " stayed empty for " + timeout + " ms");
    }

    private void watch(Waiter watch, long timeout) {
        if (!items.isEmpty()) {
            watch.message.reply(Buffer.buffer());
        } else if (timeout == 0) {
            watch.message.fail(EMPTY, name + " is empty");
        } else {
            hold(watchers, watch, timeout, EMPTY, name + " stayed empty for " + timeout + " ms");
        }
    }

    private void serveGetters() {
        while (!items.isEmpty() && !watchers.isEmpty()) {
            release(watchers.pollFirst()).message.reply(Buffer.buffer());
        }
        while (!items.isEmpty() && !getters.isEmpty()) {
            Waiter get = release(getters.pollFirst());
            get.message.reply(Buffer.buffer(items.pollFirst()));
        }
        admitPutters();
    }

    private void admitPutters() {
        while (!isFull() && !putters.isEmpty()) {
            Waiter put = release(putters.pollFirst());
            items.addLast(put.item);
            unfinished++;
            put.message.reply(Buffer.buffer());
        }
        if (!items.isEmpty() && !getters.isEmpty()) {
            serveGetters();
        }
    }

    private void taskDone(Message<Buffer> message) {
        if (unfinished <= 0) {
            message.fail(TOO_MANY_DONE, "taskDone() called more times than items were put in " + name);
            return;
        }
        unfinished--;
        message.reply(Buffer.buffer());
        if (unfinished == 0) {
            while (!joiners.isEmpty()) {
                release(joiners.pollFirst()).message.reply(Buffer.buffer());
            }
        }
    }

    private void join(Waiter join, long timeout) {
        if (unfinished == 0) {
            join.message.reply(Buffer.buffer());
            return;
        }
        if (timeout == 0) {
            join.message.fail(NOT_DONE, unfinished + " items of " + name + " are not done");
            return;
        }
        hold(joiners, join, timeout, NOT_DONE, unfinished + " items of " + name + " were still not done after " + timeout + " ms");
    }

    private void hold(Deque<Waiter> line, Waiter waiter, long timeout, int code, String failure) {
        line.addLast(waiter);
        if (timeout > 0) {
            waiter.timer = vertx.setTimer(timeout, t -> {
                if (line.remove(waiter)) {
                    waiter.message.fail(code, failure);
                }
            });
        }
    }

    private Waiter release(Waiter waiter) {
        if (waiter.timer >= 0) {
            vertx.cancelTimer(waiter.timer);
        }
        return waiter;
    }
}
