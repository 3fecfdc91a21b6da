package io.mproc.ipc;

import io.mproc.ProcessException;
import io.mproc.QueueEmptyException;
import io.mproc.QueueFullException;
import io.mproc.codec.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A queue's host, driven through {@link QueueHost#serve} as a caller in its own JVM drives it
 * (answers recorded by a {@link QueueHost.Reply}), and through its event-bus consumer as
 * other JVMs do, on a plain, not clustered, Vert.x. Timeouts are real Vert.x timers of a few ms.
 */
@Timeout(30)
class QueueHostTest {
    private static Vertx vertx;
    private final List<QueueHost> hosts = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeHosts() {
        for (int i = 0; i < hosts.size(); i++) {
            hosts.get(i).close(addresses.get(i));
        }
    }

    /** A handoff's limit here: an unconfirmed item comes back after it (in production {@link QueueHost#HANDOFF_MS}). */
    private static final long HANDOFF_MS = 150;

    private QueueHost host(int maxsize) throws Exception {
        String address = "test.queue." + UUID.randomUUID();
        QueueHost host = new QueueHost(vertx, address, "Queue-t", maxsize, HANDOFF_MS);
        host.consumer().completion().await(5, TimeUnit.SECONDS);
        hosts.add(host);
        addresses.add(address);
        return host;
    }

    private String address(QueueHost host) {
        return addresses.get(hosts.indexOf(host));
    }

    /** One request's answer; each answer is counted, so a second one (a duplicate) shows. */
    static final class Answer implements QueueHost.Reply {
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        final AtomicInteger answers = new AtomicInteger();
        volatile int code;
        volatile String message;

        @Override
        public void ok(byte[] body) {
            answers.incrementAndGet();
            done.complete(body);
        }

        @Override
        public void fail(int code, String message) {
            answers.incrementAndGet();
            this.code = code;
            this.message = message;
            done.complete(null);
        }

        boolean pending() {
            return !done.isDone();
        }

        /** Waits at most a second (its timer's few ms in practice) for the answer. */
        Answer await() throws Exception {
            done.get(1, TimeUnit.SECONDS);
            return this;
        }

        /** The item a get was answered with, or "FAILED code: message". */
        String item() throws Exception {
            byte[] body = done.get(1, TimeUnit.SECONDS);
            return body == null ? "FAILED " + code + ": " + message : new String(body, StandardCharsets.UTF_8);
        }

        boolean ok() throws Exception {
            return done.get(1, TimeUnit.SECONDS) != null;
        }
    }

    private static Answer serve(QueueHost host, byte op, long timeout, String item) {
        Answer answer = new Answer();
        host.serve(op, timeout, item == null ? List.of() : List.of(item.getBytes(StandardCharsets.UTF_8)), answer);
        return answer;
    }

    private static Answer put(QueueHost host, String item, long timeout) {
        return serve(host, QueueHost.PUT, timeout, item);
    }

    private static Answer get(QueueHost host, long timeout) {
        return serve(host, QueueHost.GET, timeout, null);
    }

    private static int size(QueueHost host) throws Exception {
        byte[] body = serve(host, QueueHost.SIZE, 0, null).done.get(1, TimeUnit.SECONDS);
        return new Wire.In(body).readInt();
    }

    @Test
    void itemsComeOutInTheOrderTheyWentInAndAnEmptyQueueSaysSo() throws Exception {
        QueueHost q = host(0);
        for (String item : List.of("a", "b", "c")) {
            assertThat(put(q, item, 0).ok()).isTrue();
        }
        assertThat(size(q)).isEqualTo(3);
        assertThat(get(q, 0).item()).isEqualTo("a");
        assertThat(new String(q.poll(), StandardCharsets.UTF_8)).as("a caller in the host's JVM takes at once").isEqualTo("b");
        assertThat(get(q, -1).item()).isEqualTo("c");
        assertThat(get(q, 0).item()).isEqualTo("FAILED " + QueueHost.EMPTY + ": Queue-t is empty");
        assertThat(q.poll()).isNull();
    }

    @Test
    void aGetOnAnEmptyQueueIsHeldUntilAPutAndHeldGetsAreServedInOrder() throws Exception {
        QueueHost q = host(0);
        Answer watch = serve(q, QueueHost.WAIT, -1, null);
        Answer first = get(q, -1);
        Answer second = get(q, 60_000);
        assertThat(first.pending()).isTrue();
        assertThat(watch.pending()).isTrue();
        put(q, "x", 0);
        assertThat(watch.ok()).as("a pipe's poll is told an item came").isTrue();
        assertThat(first.item()).isEqualTo("x");
        assertThat(second.pending()).isTrue();
        put(q, "y", 0);
        assertThat(second.item()).isEqualTo("y");
        assertThat(size(q)).isZero();
        put(q, "z", 0);
        assertThat(serve(q, QueueHost.WAIT, 0, null).ok()).as("a wait takes nothing").isTrue();
        assertThat(size(q)).isEqualTo(1);
    }

    @Test
    void aPutOnAFullQueueIsHeldUntilAGetMakesRoom() throws Exception {
        QueueHost q = host(2);
        put(q, "a", 0);
        put(q, "b", 0);
        Answer full = put(q, "c", 0);
        assertThat(full.item()).isEqualTo("FAILED " + QueueHost.FULL + ": Queue-t is full (2 of 2 items)");
        Answer held = put(q, "c", -1);
        Answer held2 = put(q, "d", 60_000);
        assertThat(held.pending()).isTrue();
        Wire.In sizeReply = new Wire.In(serve(q, QueueHost.SIZE, 0, null).done.get(1, TimeUnit.SECONDS));
        assertThat(sizeReply.readInt()).isEqualTo(2);
        assertThat(sizeReply.readByte()).as("full").isEqualTo(1);

        assertThat(get(q, 0).item()).isEqualTo("a");
        assertThat(held.ok()).as("room made: the oldest held put goes in").isTrue();
        assertThat(held2.pending()).isTrue();
        assertThat(new String(q.poll(), StandardCharsets.UTF_8)).isEqualTo("b");
        assertThat(held2.ok()).as("a take in the host's JVM makes room too").isTrue();
        assertThat(List.of(get(q, 0).item(), get(q, 0).item())).containsExactly("c", "d");
    }

    @Test
    void aTimedGetThatExpiresSaysEmptyAndTheNextItemIsKeptForTheNextGet() throws Exception {
        QueueHost q = host(0);
        Answer timed = get(q, 2);
        assertThat(timed.item()).isEqualTo("FAILED " + QueueHost.EMPTY + ": Queue-t stayed empty for 2 ms");
        put(q, "x", 0);
        assertThat(get(q, 0).item()).isEqualTo("x");
        assertThat(get(q, 0).item()).startsWith("FAILED");
        assertThat(timed.answers).as("answered once").hasValue(1);
    }

    @Test
    void aTimedPutThatExpiresSaysFullAndItsItemNeverGoesIn() throws Exception {
        QueueHost q = host(1);
        put(q, "a", 0);
        Answer timed = put(q, "b", 2);
        assertThat(timed.item()).isEqualTo("FAILED " + QueueHost.FULL + ": Queue-t stayed full (1 items) for 2 ms");
        assertThat(get(q, 0).item()).isEqualTo("a");
        assertThat(get(q, 0).item()).as("b was not added when room came").startsWith("FAILED");
        assertThat(size(q)).isZero();
    }

    @Test
    void aHeldCallServedInTimeIsNotFailedByItsTimer() throws Exception {
        QueueHost q = host(1);
        Answer getter = get(q, 3);
        put(q, "x", 0);
        assertThat(getter.item()).isEqualTo("x");
        put(q, "y", 0);
        Answer putter = put(q, "z", 3);
        assertThat(get(q, 0).item()).isEqualTo("y");
        assertThat(putter.ok()).isTrue();
        Thread.sleep(6); // both timers would have fired by now
        assertThat(getter.answers).hasValue(1);
        assertThat(putter.answers).hasValue(1);
        assertThat(get(q, 0).item()).isEqualTo("z");
    }

    @Test
    void joinWaitsUntilEveryItemPutIsDone() throws Exception {
        QueueHost q = host(0);
        assertThat(serve(q, QueueHost.JOIN, 0, null).ok()).as("nothing put, nothing to wait for").isTrue();
        put(q, "a", 0);
        put(q, "b", 0);
        assertThat(serve(q, QueueHost.JOIN, 0, null).item()).isEqualTo("FAILED " + QueueHost.NOT_DONE + ": 2 items of Queue-t are not done");
        assertThat(serve(q, QueueHost.JOIN, 2, null).item())
                .isEqualTo("FAILED " + QueueHost.NOT_DONE + ": 2 items of Queue-t were still not done after 2 ms");
        Answer join = serve(q, QueueHost.JOIN, -1, null);
        Answer join2 = serve(q, QueueHost.JOIN, 60_000, null);
        get(q, 0);
        get(q, 0);
        assertThat(serve(q, QueueHost.TASK_DONE, 0, null).ok()).isTrue();
        assertThat(join.pending()).as("taking an item is not finishing it").isTrue();
        serve(q, QueueHost.TASK_DONE, 0, null);
        assertThat(join.ok()).isTrue();
        assertThat(join2.ok()).isTrue();
        assertThat(serve(q, QueueHost.TASK_DONE, 0, null).item())
                .isEqualTo("FAILED " + QueueHost.TOO_MANY_DONE + ": taskDone() called more times than items were put in Queue-t");
        assertThat(put(q, "c", 0).ok()).isTrue();
        assertThat(serve(q, QueueHost.JOIN, 0, null).ok()).as("a new item, a new wait").isFalse();
    }

    private Buffer request(QueueHost host, Buffer body, long sendTimeoutMs) throws Exception {
        try {
            return vertx.eventBus().<Buffer>request(address(host), body, new DeliveryOptions().setSendTimeout(sendTimeoutMs))
                    .map(m -> m.body()).toCompletionStage().toCompletableFuture().get(1, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static Buffer op(byte op, long timeout) {
        return Buffer.buffer(new Wire.Out(16).writeByte(op).writeLong(timeout).toByteArray());
    }

    @Test
    void requestsFromOtherJvmsComeOverTheEventBus() throws Exception {
        QueueHost q = host(0);
        Buffer batch = Buffer.buffer(new Wire.Out(32).writeByte(QueueHost.PUT_MANY).writeLong(0).writeInt(2)
                .writeBytes("a".getBytes(StandardCharsets.UTF_8)).writeBytes("b".getBytes(StandardCharsets.UTF_8)).toByteArray());
        Answer held = get(q, -1);
        assertThat(request(q, batch, 1000).length()).isZero();
        assertThat(held.item()).as("a batch serves the held gets too").isEqualTo("a");
        assertThat(request(q, op(QueueHost.GET, 0), 1000).toString(StandardCharsets.UTF_8)).isEqualTo("b");
        assertThat(serve(q, QueueHost.JOIN, 0, null).item()).as("a batch counts for join").contains("2 items of Queue-t are not done");

        assertThatThrownBy(() -> request(q, op(QueueHost.GET, 0), 1000)).isInstanceOfSatisfying(ReplyException.class,
                e -> assertThat(e.failureCode()).isEqualTo(QueueHost.EMPTY));
        assertThatThrownBy(() -> request(q, Buffer.buffer(new byte[]{QueueHost.GET}), 1000)).isInstanceOfSatisfying(ReplyException.class, e -> {
            assertThat(e.failureCode()).isEqualTo(QueueHost.MALFORMED);
            assertThat(e.getMessage()).startsWith("Queue-t cannot read this request");
        });
        assertThatThrownBy(() -> request(q, op((byte) 99, 0), 1000)).isInstanceOfSatisfying(ReplyException.class,
                e -> assertThat(e.getMessage()).isEqualTo("Queue-t got unknown op 99"));
    }

    /**
     * An item handed to a held get from another JVM must be confirmed by that JVM. Here the
     * caller gave up (its own send timeout, as a JVM that died stops listening) and confirms
     * nothing: after the handoff's limit the item is first in line again, for the next get.
     */
    @Test
    void anItemHandedToACallerThatNeverConfirmsItComesBackAfterTheHandoffLimit() throws Exception {
        QueueHost q = host(0);
        assertThatThrownBy(() -> request(q, op(QueueHost.GET, -1), 2)).isInstanceOfSatisfying(ReplyException.class,
                e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.TIMEOUT));
        request(q, op(QueueHost.SIZE, 0), 1000); // served in order after the get: the host holds the get now
        put(q, "x", 0);
        assertThat(size(q)).as("x is on its way to the caller").isZero();
        assertThat(serve(q, QueueHost.GET, 10 * HANDOFF_MS, null).done.get(5, TimeUnit.SECONDS))
                .as("x is not lost with the caller that left").asString(StandardCharsets.UTF_8).isEqualTo("x");
        assertThat(size(q)).isZero();
    }

    private static Buffer giveBackOf(long handoff, String item) {
        return Buffer.buffer(new Wire.Out(64).writeByte(QueueHost.GIVE_BACK).writeLong(0).writeLong(handoff)
                .writeBytes(item.getBytes(StandardCharsets.UTF_8)).toByteArray());
    }

    /** An item whose caller gave up before it saw it is given back: first in line again, once. */
    @Test
    void anItemGivenBackIsFirstInLineAgainAndComesBackOnlyOnce() throws Exception {
        QueueHost q = host(0);
        Message<Buffer> item = handOut(q, "m7");
        put(q, "y", 0);
        assertThat(request(q, giveBackOf(handoffOf(item), "x"), 1000).length()).isZero();
        Thread.sleep(2 * HANDOFF_MS); // its handoff went with it: no second x when its time runs out
        assertThat(get(q, 0).item()).isEqualTo("x");
        assertThat(get(q, 0).item()).isEqualTo("y");
        assertThat(get(q, 0).item()).startsWith("FAILED " + QueueHost.EMPTY);

        Message<Buffer> late = handOut(q, "m7");
        Thread.sleep(2 * HANDOFF_MS); // x came back by itself
        request(q, giveBackOf(handoffOf(late), "x"), 1000);
        assertThat(size(q)).as("an item given back after its handoff came back is not added twice").isEqualTo(1);

        request(q, giveBackOf(0, "w"), 1000); // an item got at once, with no handoff
        assertThat(get(q, 0).item()).isEqualTo("w");
    }

    /** The unconfirmed items of a member that left come back in the order they went too. */
    @Test
    void theItemsOfAMemberThatLeftComeBackInTheirOrder() throws Exception {
        String address = "test.queue." + UUID.randomUUID();
        QueueHost slow = new QueueHost(vertx, address, "Queue-slow", 0, 60_000);
        slow.consumer().completion().await(5, TimeUnit.SECONDS);
        hosts.add(slow);
        addresses.add(address);
        for (int i = 0; i < 2; i++) {
            vertx.eventBus().<Buffer>request(address, getOf("m8"), new DeliveryOptions().setSendTimeout(60_000));
        }
        request(slow, op(QueueHost.SIZE, 0), 1000); // the host holds both gets now
        put(slow, "x", 0);
        put(slow, "y", 0);
        slow.memberLeft("m8");
        assertThat(serve(slow, QueueHost.GET, 5_000, null).item()).isEqualTo("x");
        assertThat(get(slow, 1000).item()).isEqualTo("y");
    }

    /** Unconfirmed items come back in the order they went, ahead of the items that waited. */
    @Test
    void unconfirmedItemsComeBackInTheirOrderAheadOfTheRest() throws Exception {
        QueueHost q = host(0);
        List<CompletableFuture<Message<Buffer>>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(vertx.eventBus().<Buffer>request(address(q), getOf("m6"), new DeliveryOptions().setSendTimeout(60_000))
                    .toCompletionStage().toCompletableFuture());
        }
        request(q, op(QueueHost.SIZE, 0), 1000); // the host holds both gets now
        put(q, "x", 0);
        put(q, "y", 0);
        put(q, "z", 0);
        assertThat(held.get(1).get(1, TimeUnit.SECONDS).body().toString(StandardCharsets.UTF_8)).isEqualTo("y");
        Thread.sleep(2 * HANDOFF_MS); // neither is confirmed
        assertThat(get(q, 0).item()).isEqualTo("x");
        assertThat(get(q, 0).item()).isEqualTo("y");
        assertThat(get(q, 0).item()).isEqualTo("z");
    }

    private static Buffer getOf(String member, long... confirmed) {
        return Buffer.buffer(QueueHost.writeHandoffs(new Wire.Out(64).writeByte(QueueHost.GET).writeLong(-1).writeString(member), confirmed)
                .toByteArray());
    }

    /** Hands "x" to a held get of {@code member}, which does not confirm it; returns the message that carried it. */
    private Message<Buffer> handOut(QueueHost q, String member) throws Exception {
        CompletableFuture<Message<Buffer>> handed = vertx.eventBus().<Buffer>request(address(q), getOf(member),
                new DeliveryOptions().setSendTimeout(60_000)).toCompletionStage().toCompletableFuture();
        request(q, op(QueueHost.SIZE, 0), 1000); // the host holds the get now
        put(q, "x", 0);
        Message<Buffer> item = handed.get(1, TimeUnit.SECONDS);
        assertThat(item.body().toString(StandardCharsets.UTF_8)).isEqualTo("x");
        assertThat(item.headers().get(QueueHost.HANDOFF)).as("a held get's item is numbered for its confirmation").isNotNull();
        return item;
    }

    private static long handoffOf(Message<Buffer> item) {
        return Long.parseLong(item.headers().get(QueueHost.HANDOFF));
    }

    /** A held get whose cluster member has left takes no item (and is told so): the next put stays for the next get. */
    @Test
    void aHeldGetOfAMemberThatLeftTakesNoItem() throws Exception {
        QueueHost q = host(0);
        CompletableFuture<Message<Buffer>> dropped = vertx.eventBus().<Buffer>request(address(q), getOf("m1"), new DeliveryOptions().setSendTimeout(60_000))
                .toCompletionStage().toCompletableFuture();
        request(q, op(QueueHost.SIZE, 0), 1000); // the host holds the get now
        q.memberLeft("m1");
        assertThatThrownBy(() -> dropped.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(ReplyException.class)
                .hasMessageContaining("took its member for gone");
        put(q, "x", 0);
        assertThat(get(q, 0).item()).isEqualTo("x");
    }

    /**
     * An item already handed to a get whose member then leaves stays on its way: the member's
     * confirmation, sent before it left, still counts, and the item is not handed out again.
     */
    @Test
    void aConfirmationArrivingAfterItsMemberLeftKeepsTheItemTaken() throws Exception {
        QueueHost q = host(0);
        Message<Buffer> item = handOut(q, "m2");
        q.memberLeft("m2");
        request(q, Confirmations.request(new long[]{handoffOf(item)}), 1000); // the confirmation, late
        Thread.sleep(QueueHost.LEFT_GRACE_MS + 300); // past the grace after which an unconfirmed x would come back
        assertThat(size(q)).isZero();
        assertThat(get(q, 0).item()).startsWith("FAILED " + QueueHost.EMPTY);
    }

    /** An item handed to a get whose member left, and never confirmed, is first in line again soon after the leave. */
    @Test
    void anUnconfirmedItemOfAMemberThatLeftComesBackWithinAGrace() throws Exception {
        QueueHost q = host(0);
        handOut(q, "m3"); // received, never confirmed
        q.memberLeft("m3");
        // a host whose handoffs wait longer than the get: x comes back through the leave
        String address = "test.queue." + UUID.randomUUID();
        QueueHost slow = new QueueHost(vertx, address, "Queue-slow", 0, 60_000);
        slow.consumer().completion().await(5, TimeUnit.SECONDS);
        hosts.add(slow);
        addresses.add(address);
        handOut(slow, "m3"); // received, never confirmed
        slow.memberLeft("m3");
        assertThat(serve(slow, QueueHost.GET, 5_000, null).done.get(4, TimeUnit.SECONDS))
                .asString(StandardCharsets.UTF_8).isEqualTo("x");
    }

    /** A caller whose JVM confirms the item on its next get keeps it: the host does not hand it out again. */
    @Test
    void aConfirmationRidingOnTheNextGetKeepsTheItem() throws Exception {
        QueueHost q = host(0);
        Message<Buffer> item = handOut(q, "m4");
        CompletableFuture<Message<Buffer>> next = vertx.eventBus().<Buffer>request(address(q), getOf("m4", handoffOf(item)),
                new DeliveryOptions().setSendTimeout(60_000)).toCompletionStage().toCompletableFuture();
        Thread.sleep(2 * HANDOFF_MS); // past the limit after which an unconfirmed x would come back
        assertThat(size(q)).isZero();
        assertThat(next).as("the next get waits: x did not come back to it").isNotDone();
        put(q, "y", 0);
        assertThat(next.get(1, TimeUnit.SECONDS).body().toString(StandardCharsets.UTF_8)).isEqualTo("y");
    }

    /** A confirmation sent alone (no get followed) keeps the item too. */
    @Test
    void aConfirmationAloneKeepsTheItem() throws Exception {
        QueueHost q = host(0);
        Message<Buffer> item = handOut(q, "m5");
        assertThat(request(q, Confirmations.request(new long[]{handoffOf(item)}), 1000).length()).isZero();
        Thread.sleep(2 * HANDOFF_MS);
        assertThat(size(q)).isZero();
        assertThat(get(q, 0).item()).startsWith("FAILED " + QueueHost.EMPTY);
    }

    /**
     * close() answers the calls it holds: a get with no timeout from another JVM would else
     * wait for its reply for its send timeout (365 days).
     */
    @Test
    void closeFailsTheCallsItHolds() throws Exception {
        QueueHost q = host(1);
        Answer held = get(q, -1);
        q.close(address(q));
        assertThat(held.await().answers).hasValue(1);
        assertThat(held.item()).startsWith("FAILED " + QueueHost.CLOSED).contains("Queue-t is gone");
    }
}
