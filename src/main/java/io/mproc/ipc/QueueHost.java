package io.mproc.ipc;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.mproc.codec.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A queue's state, in the JVM that made it: items, and the gets, puts and joins waiting.
 * Requests from other JVMs arrive on one event loop; callers in this JVM call it directly
 * (no event bus, no hop), hence the monitor.
 *
 * <pre>
 * request: op(byte) timeoutMs(long: -1 waits for ever, 0 not at all) [item(bytes) for PUT]
 *          [member(string) for GET: the caller's cluster member, whose held get goes when it leaves;
 *           then count(int) handoff(long)...: items this caller's JVM got from held gets, confirmed]
 *          [count(int) item(bytes)... for PUT_MANY, an unbounded queue's batch of puts]
 *          [count(int) handoff(long)... for CONFIRM]
 *          [handoff(long: 0 for none) item(bytes) for GIVE_BACK: an item whose get's caller gave up]
 * reply:   GET: item(bytes), with header {@value #HANDOFF} when the get was held (see below);
 *          SIZE: size(int) full(byte); others: empty
 *          (WAIT answers, without taking it, once an item is there: a pipe's poll)
 * failure: FULL, EMPTY, TOO_MANY_DONE, NOT_DONE (join timed out), MALFORMED, CLOSED
 * </pre>
 *
 * An item handed to a held get of another JVM may not arrive (that JVM died while it waited):
 * it is a handoff, numbered, until the caller's JVM confirms it, on its next get from this
 * queue or, if none follows soon, in a CONFIRM of its own ({@link Confirmations}). Unconfirmed,
 * it goes back to the head of the queue: after {@link #HANDOFF_MS}, or soon after the caller's
 * member leaves.
 */
public final class QueueHost {
    static final byte PUT = 1;
    static final byte GET = 2;
    static final byte SIZE = 3;
    static final byte TASK_DONE = 4;
    static final byte JOIN = 5;
    static final byte WAIT = 6;
    static final byte PUT_MANY = 7;
    static final byte CONFIRM = 8;
    static final byte GIVE_BACK = 9;

    /** The header of a held get's item that names its handoff, for the caller to confirm. */
    static final String HANDOFF = "mproc.handoff";

    static final int FULL = 1;
    static final int EMPTY = 2;
    static final int TOO_MANY_DONE = 3;
    static final int NOT_DONE = 4;
    static final int MALFORMED = 5;
    static final int CLOSED = 6;

    private final Vertx vertx;
    private final String name;
    private final int maxsize;
    private final Deque<byte[]> items = new ArrayDeque<>();
    private final Deque<Waiter> getters = new ArrayDeque<>();
    private final Deque<Waiter> putters = new ArrayDeque<>();
    private final Deque<Waiter> joiners = new ArrayDeque<>();
    private final Deque<Waiter> watchers = new ArrayDeque<>();
    private final MessageConsumer<Buffer> consumer;
    private final long handoffMs;
    private long unfinished;

    /** Where an answer goes: an event-bus message from another JVM, or a caller in this one. */
    interface Reply {
        void ok(byte[] body);

        void fail(int code, String message);

        /**
         * Answers a held get with {@code item}, numbered {@code handoff}; true if the caller
         * confirms it later ({@link #confirm}), false if it has it now (a caller in this JVM).
         */
        default boolean deliver(byte[] item, long handoff) {
            ok(item);
            return false;
        }

        /** The cluster member (its Hazelcast id) of the caller, if known: null for one in this JVM. */
        default String member() {
            return null;
        }
    }

    /**
     * How long a caller in another JVM has to confirm an item handed to its held get before the
     * item goes back to the head of the queue: the longest delay an item put after its waiting
     * getter died sees (its member's leave usually brings it back sooner). A caller that confirms
     * later (a JVM paused this long, by a stop signal or a GC pause) gets the item too; a worker
     * that stays frozen is taken for dead after {@code mproc.max.no.heartbeat.seconds} (5 s) and
     * killed 3 s later.
     */
    static final long HANDOFF_MS = 5_000;
    /** How long an item handed to a member that has left still waits for its confirmation. */
    static final long LEFT_GRACE_MS = 500;

    private record Remote(Message<Buffer> message, String member) implements Reply {
        @Override
        public void ok(byte[] body) {
            message.reply(Buffer.buffer(body));
        }

        /** The caller's JVM confirms it has the item, by the number in the header ({@link Confirmations}). */
        @Override
        public boolean deliver(byte[] item, long handoff) {
            message.reply(Buffer.buffer(item), new DeliveryOptions().addHeader(HANDOFF, Long.toString(handoff)));
            return true;
        }

        @Override
        public void fail(int code, String text) {
            message.fail(code, text);
        }
    }

    /** A request held until it can be answered; {@code item} for a put. */
    private static final class Waiter {
        final Reply message;
        final byte[] item;
        long timer = -1;

        Waiter(Reply message, byte[] item) {
            this.message = message;
            this.item = item;
        }
    }

    /** An item handed to a held get of {@code member} (null: not known) and not yet confirmed; it comes back at {@code deadline} (nanoTime). */
    private record Handoff(String member, byte[] item, long deadline) {
    }

    /** The handoffs not yet confirmed, by number, oldest first. */
    private final Map<Long, Handoff> handoffs = new LinkedHashMap<>();
    /** Numbers start anywhere: a confirmation meant for a deleted named queue does not match one made anew at its address. */
    private long lastHandoff = java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 62);
    /** Whether a timer will look for handoffs past their deadline: one for all, not one each (a timer set from a putter's thread wakes the event loop). */
    private boolean sweeping;
    /** The Hazelcast members whose departures this JVM's hosts hear of (weakly held: a closed one goes). */
    private static final Set<HazelcastInstance> WATCHED = Collections.newSetFromMap(new WeakHashMap<>());

    private static final byte[] NOTHING = new byte[0];
    private static final long[] NONE = new long[0];
    /** The hosts of this JVM, by address: a handle in the host's own JVM calls it directly. */
    private static final Map<String, QueueHost> LOCAL = new ConcurrentHashMap<>();

    public QueueHost(Vertx vertx, String address, String name, int maxsize) {
        this(vertx, address, name, maxsize, HANDOFF_MS);
    }

    /** With another limit for a handoff's confirmation than {@link #HANDOFF_MS}: for tests. */
    QueueHost(Vertx vertx, String address, String name, int maxsize, long handoffMs) {
        this.vertx = vertx;
        this.name = name;
        this.maxsize = maxsize;
        this.handoffMs = handoffMs;
        this.consumer = vertx.eventBus().consumer(address, this::handle);
        LOCAL.put(address, this);
    }

    /** The host at {@code address} if it lives in this JVM, else null. */
    static QueueHost local(String address) {
        return LOCAL.get(address);
    }

    /**
     * Stops serving: later calls from any JVM fail as if the host were gone, and the calls it
     * holds (gets, puts, joins with or without a timeout) fail now, saying so; a put that was
     * held is not in the queue.
     */
    public void close(String address) {
        LOCAL.remove(address);
        consumer.unregister();
        List<Waiter> held = new ArrayList<>();
        synchronized (this) {
            for (Deque<Waiter> line : List.of(getters, putters, joiners, watchers)) {
                while (!line.isEmpty()) {
                    held.add(release(line.pollFirst()));
                }
            }
            handoffs.clear();
        }
        for (Waiter waiter : held) {
            waiter.message.fail(CLOSED, name + " is gone: it was deleted, or the context that made it closed");
        }
    }

    public MessageConsumer<Buffer> consumer() {
        return consumer;
    }

    /** Its name, e.g. {@code Queue-3}, or a named queue's name. */
    String name() {
        return name;
    }

    /** Its bound, 0 for none. */
    int maxsize() {
        return Math.max(0, maxsize);
    }

    /** The items it holds now, for the status page. */
    synchronized int depth() {
        return items.size();
    }

    private void handle(Message<Buffer> message) {
        byte op;
        long timeout;
        String member = null;
        List<byte[]> items = new ArrayList<>(1);
        long[] confirmed = NONE;
        long given = 0;
        try {
            Wire.In in = new Wire.In(message.body().getBytes());
            op = (byte) in.readByte();
            timeout = in.readLong();
            if (op == PUT) {
                items.add(in.readBytes());
            } else if (op == GET && in.hasMore()) {
                member = in.readString();
                confirmed = in.hasMore() ? readHandoffs(in) : NONE;
            } else if (op == PUT_MANY) {
                for (int n = in.readInt(); n > 0; n--) {
                    items.add(in.readBytes());
                }
            } else if (op == CONFIRM) {
                confirmed = readHandoffs(in);
            } else if (op == GIVE_BACK) {
                given = in.readLong();
                items.add(in.readBytes());
            }
        } catch (RuntimeException e) {
            message.fail(MALFORMED, name + " cannot read this request: " + e);
            return;
        }
        if (confirmed.length > 0) {
            confirm(confirmed);
        }
        if (op == CONFIRM) {
            message.reply(Buffer.buffer(NOTHING));
        } else if (op == GIVE_BACK) {
            giveBack(given, items.get(0));
            message.reply(Buffer.buffer(NOTHING));
        } else {
            serve(op, timeout, items, new Remote(message, member));
        }
    }

    private static long[] readHandoffs(Wire.In in) {
        long[] handoffs = new long[in.readInt()];
        for (int i = 0; i < handoffs.length; i++) {
            handoffs[i] = in.readLong();
        }
        return handoffs;
    }

    /** Writes handoff numbers as a GET or CONFIRM carries them. */
    static Wire.Out writeHandoffs(Wire.Out out, long[] handoffs) {
        out.writeInt(handoffs.length);
        for (long handoff : handoffs) {
            out.writeLong(handoff);
        }
        return out;
    }

    /**
     * An item whose get's caller gave up (interrupted) before it saw the item: first in line
     * again, as if never got. {@code handoff} (0: none) names the handoff it came in; if that
     * one already came back (its time ran out), the item is not added twice.
     */
    synchronized void giveBack(long handoff, byte[] item) {
        if (handoff != 0 && handoffs.remove(handoff) == null) {
            return;
        }
        requeue(List.of(item));
    }

    /** The callers' JVMs have the items of these handoffs: they are not handed out again. */
    synchronized void confirm(long... confirmed) {
        for (long number : confirmed) {
            handoffs.remove(number);
        }
    }

    /** Serves one request, from this JVM or (through {@link #handle}) another. */
    synchronized void serve(byte op, long timeout, List<byte[]> given, Reply reply) {
        switch (op) {
            case PUT -> put(new Waiter(reply, given.get(0)), timeout);
            case PUT_MANY -> putMany(given, reply);
            case GET -> get(new Waiter(reply, null), timeout);
            case SIZE -> reply.ok(new Wire.Out(5).writeInt(items.size()).writeByte(isFull() ? 1 : 0).toByteArray());
            case TASK_DONE -> taskDone(reply);
            case JOIN -> join(new Waiter(reply, null), timeout);
            case WAIT -> watch(new Waiter(reply, null), timeout);
            default -> reply.fail(MALFORMED, name + " got unknown op " + op);
        }
    }

    /** Takes the oldest item if there is one, for a caller in this JVM: no waiter, no future. */
    synchronized byte[] poll() {
        byte[] item = items.pollFirst();
        if (item != null) {
            admitPutters();
        }
        return item;
    }

    /** A batch of puts from one producer's feeder, into an unbounded queue: all accepted, in order. */
    private void putMany(List<byte[]> given, Reply reply) {
        for (byte[] item : given) {
            items.addLast(item);
            unfinished++;
        }
        reply.ok(NOTHING);
        serveGetters();
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
        put.message.ok(NOTHING);
        serveGetters();
    }

    private void get(Waiter get, long timeout) {
        if (!items.isEmpty()) {
            get.message.ok(items.pollFirst());
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
            watch.message.ok(NOTHING);
        } else if (timeout == 0) {
            watch.message.fail(EMPTY, name + " is empty");
        } else {
            hold(watchers, watch, timeout, EMPTY, name + " stayed empty for " + timeout + " ms");
        }
    }

    private void serveGetters() {
        while (!items.isEmpty() && !watchers.isEmpty()) {
            release(watchers.pollFirst()).message.ok(NOTHING);
        }
        while (!items.isEmpty() && !getters.isEmpty()) {
            Waiter get = release(getters.pollFirst());
            byte[] item = items.pollFirst();
            long number = ++lastHandoff;
            if (get.message.deliver(item, number)) {
                handoffs.put(number, new Handoff(get.message.member(), item, System.nanoTime() + handoffMs * 1_000_000));
                if (!sweeping) {
                    sweeping = true;
                    vertx.setTimer(handoffMs, t -> sweep());
                }
            }
        }
        admitPutters();
    }

    /** The handoffs past their deadline come back, in the order they went; the timer looks again at the next deadline. */
    private synchronized void sweep() {
        long now = System.nanoTime();
        List<byte[]> back = new ArrayList<>();
        for (var pending = handoffs.values().iterator(); pending.hasNext(); ) {
            Handoff handoff = pending.next();
            if (handoff.deadline - now > 0) {
                break;
            }
            pending.remove();
            back.add(handoff.item);
        }
        if (handoffs.isEmpty() || LOCAL.get(consumer.address()) != this) {
            sweeping = false;
        } else {
            long next = handoffs.values().iterator().next().deadline;
            vertx.setTimer(Math.max(1, (next - now) / 1_000_000 + 1), t -> sweep());
        }
        requeue(back);
    }

    /** Handoffs not confirmed soon after their member left: their items are first in line again, in the order they went. */
    private synchronized void takeBack(List<Long> numbers) {
        List<byte[]> back = new ArrayList<>();
        for (long number : numbers) {
            Handoff handoff = handoffs.remove(number);
            if (handoff != null) {
                back.add(handoff.item);
            }
        }
        requeue(back);
    }

    private void requeue(List<byte[]> back) {
        if (back.isEmpty() || LOCAL.get(consumer.address()) != this) {
            return; // the queue closed meanwhile
        }
        for (int i = back.size() - 1; i >= 0; i--) {
            items.addFirst(back.get(i));
        }
        serveGetters();
    }

    /**
     * A cluster member left: its held gets go (they can take no item now) and are failed (a
     * member taken for dead that still runs hears so instead of waiting for ever). An item
     * already handed to one of its gets stays on its way for {@link #LEFT_GRACE_MS} more: the
     * member's confirmation, sent before it left, may still be arriving; then, unconfirmed, it
     * is first in line again (not after the whole {@link #HANDOFF_MS}).
     */
    void memberLeft(String member) {
        List<Waiter> gone = new ArrayList<>();
        List<Long> unsettled = new ArrayList<>();
        synchronized (this) {
            getters.removeIf(get -> member.equals(get.message.member()) && gone.add(release(get)));
            handoffs.forEach((number, handoff) -> {
                if (member.equals(handoff.member)) {
                    unsettled.add(number);
                }
            });
        }
        for (Waiter get : gone) {
            get.message.fail(CLOSED, name + " no longer serves this JVM's get: the cluster took its member for gone");
        }
        if (!unsettled.isEmpty()) {
            vertx.setTimer(LEFT_GRACE_MS, t -> takeBack(unsettled));
        }
    }

    /**
     * Tells this JVM's queue hosts when a member of {@code hazelcast}'s cluster leaves (once per
     * member of this JVM): a JVM that died while its get waited takes no item.
     */
    public static void watchMembers(HazelcastInstance hazelcast) {
        synchronized (WATCHED) {
            if (!WATCHED.add(hazelcast)) {
                return;
            }
        }
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                // nothing waits on it yet
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                String member = event.getMember().getUuid().toString();
                for (QueueHost host : LOCAL.values()) {
                    host.memberLeft(member);
                }
            }
        });
    }

    private void admitPutters() {
        while (!isFull() && !putters.isEmpty()) {
            Waiter put = release(putters.pollFirst());
            items.addLast(put.item);
            unfinished++;
            put.message.ok(NOTHING);
        }
        if (!items.isEmpty() && !getters.isEmpty()) {
            serveGetters();
        }
    }

    private void taskDone(Reply reply) {
        if (unfinished <= 0) {
            reply.fail(TOO_MANY_DONE, "taskDone() called more times than items were put in " + name);
            return;
        }
        unfinished--;
        reply.ok(NOTHING);
        if (unfinished == 0) {
            while (!joiners.isEmpty()) {
                release(joiners.pollFirst()).message.ok(NOTHING);
            }
        }
    }

    private void join(Waiter join, long timeout) {
        if (unfinished == 0) {
            join.message.ok(NOTHING);
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
                synchronized (this) {
                    if (!line.remove(waiter)) {
                        return;
                    }
                }
                waiter.message.fail(code, failure);
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
