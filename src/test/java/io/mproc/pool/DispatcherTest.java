package io.mproc.pool;

import io.mproc.BrokenPoolException;
import io.mproc.TaskTimeoutException;
import io.mproc.codec.Codec;
import io.mproc.codec.Wire;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher's book, driven by fake workers' messages: no event bus, no JVM, milliseconds.
 * Each fake pull records the reply the dispatcher gives it.
 */
class DispatcherTest {
    private final Map<Integer, Object> completed = new LinkedHashMap<>();
    private final Map<Integer, Throwable> failed = new LinkedHashMap<>();
    private final TaskCounts jobCounts = new TaskCounts();
    private final UnitSink sink = new UnitSink() {
        @Override
        public TaskCounts counts() {
            return jobCounts;
        }

        @Override
        public void completed(Unit unit, Object[] results) {
            completed.put(unit.id, results[0]);
        }

        @Override
        public void failed(Unit unit, Throwable error) {
            failed.put(unit.id, error);
        }

        @Override
        public String describe(Unit unit) {
            return "unit " + unit.index + " of test";
        }
    };

    /** A pull or hello message whose reply is kept. */
    static final class Fake implements Message<Buffer> {
        final Buffer body;
        Buffer reply;

        Fake(Buffer body) {
            this.body = body;
        }

        @Override public String address() { return "test"; }
        @Override public MultiMap headers() { return MultiMap.caseInsensitiveMultiMap(); }
        @Override public Buffer body() { return body; }
        @Override public String replyAddress() { return "reply"; }
        @Override public boolean isSend() { return true; }
        @Override public void reply(Object message, DeliveryOptions options) { reply = (Buffer) message; }
        @Override public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
            throw new UnsupportedOperationException();
        }

        /** The unit ids of the WORK batch this pull was answered with; empty while held; null for STOP. */
        List<Integer> units() {
            if (reply == null) {
                return List.of();
            }
            Wire.In in = Protocol.read(reply);
            if (in.readByte() == Protocol.STOP) {
                return null;
            }
            in.readInt();
            int functions = in.readInt();
            for (int i = 0; i < functions; i++) {
                in.readBytes();
            }
            List<Integer> ids = new ArrayList<>();
            int units = in.readInt();
            for (int i = 0; i < units; i++) {
                ids.add(in.readInt());
                in.readByte();
                in.readInt();
                in.readBytes();
            }
            return ids;
        }

        int batch() {
            Wire.In in = Protocol.read(reply);
            in.readByte();
            return in.readInt();
        }
    }

    private Dispatcher dispatcher(int processes, int maxRetries) {
        return new Dispatcher("test-pool", processes, maxRetries);
    }

    private static void hello(Dispatcher d, String worker) {
        d.hello(new Fake(Buffer.buffer()), worker, 100, "member-" + worker, Buffer.buffer());
    }

    /** A pull from {@code worker} returning the results of {@code batch} (its units' ids squared), taking {@code nanos} in all. */
    private static Fake pull(Dispatcher d, String worker, Fake batch, long nanos) {
        Wire.Out out = new Wire.Out(64).writeByte(Protocol.PULL).writeString(worker).writeInt(4096);
        List<Integer> ids = batch == null ? List.of() : batch.units();
        out.writeInt(batch == null ? -1 : batch.batch()).writeLong(nanos).writeInt(ids.size());
        for (int id : ids) {
            out.writeInt(id).writeByte(Protocol.OK);
            Codec.writeValues(out, List.of(id * id), "a result");
        }
        return send(d, out);
    }

    /** Hands the pull {@code out} to the dispatcher as a worker's message; its reply is kept. */
    private static Fake send(Dispatcher d, Wire.Out out) {
        Fake message = new Fake(Protocol.buffer(out));
        Wire.In in = Protocol.read(message.body);
        in.readByte();
        d.pull(message, in);
        return message;
    }

    /** A pull from {@code worker} with room for nothing and no results: it takes no more work. */
    private static Fake leave(Dispatcher d, String worker) {
        return send(d, new Wire.Out(64).writeByte(Protocol.PULL).writeString(worker).writeInt(0).writeInt(-1).writeLong(0).writeInt(0));
    }

    private List<Unit> units(Dispatcher d, int n) {
        List<Unit> units = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            units.add(new Unit(d.newUnitId(), i, i, List.of(i), Unit.SINGLE, new byte[]{1}, sink));
        }
        return units;
    }

    @Test
    void theBookCountsWhatBecameOfEveryTaskForThePoolAndForItsJob() {
        Dispatcher d = dispatcher(1, 1);
        hello(d, "a");
        Fake a = pull(d, "a", null, 0);
        List<Unit> units = units(d, 3);
        d.submit(units);
        assertThat(a.units()).containsExactly(units.get(0).id);
        d.cancel(List.of(units.get(2))); // still queued
        d.workerExited("a", -9); // it was running unit 0: one attempt of two charged, and it runs again
        hello(d, "b");
        Fake b = pull(d, "b", null, 0);
        assertThat(b.units()).containsExactly(units.get(0).id);
        Fake b2 = pull(d, "b", b, 1_000);
        assertThat(b2.units()).containsExactly(units.get(1).id);
        d.workerExited("b", -9); // unit 1 runs again
        hello(d, "c");
        assertThat(pull(d, "c", null, 0).units()).containsExactly(units.get(1).id);
        d.workerExited("c", -9); // its second death: past the retry limit

        for (TaskCounts counts : List.of(d.counts(), jobCounts)) {
            assertThat(counts.tally()).isEqualTo(new io.mproc.cluster.protocol.Request.Progress.Tally(3, 1, 1, 0, 1, 2));
        }
        assertThat(completed).containsOnlyKeys(units.get(0).id);
        assertThat(new Result(0, Protocol.STOPPED, null, Protocol.STOPPED_BY_TIMEOUT, null, "5").outcome()).isEqualTo(TaskCounts.Outcome.TIMED_OUT);
        assertThat(new Result(0, Protocol.STOPPED, null, Protocol.STOPPED_BY_CANCEL, null, "5").outcome()).isEqualTo(TaskCounts.Outcome.CANCELLED);
        assertThat(new Result(0, Protocol.TASK_ERROR, null, 0, null, null).outcome()).isEqualTo(TaskCounts.Outcome.FAILED);
    }

    @Test
    void workOfUnknownLengthGoesOneUnitAtATimeToEachIdleWorker() {
        Dispatcher d = dispatcher(2, 2);
        hello(d, "a");
        hello(d, "b");
        Fake a1 = pull(d, "a", null, 0);
        Fake a2 = pull(d, "a", null, 0);
        Fake b1 = pull(d, "b", null, 0);
        pull(d, "b", null, 0);
        d.submit(units(d, 4));
        assertThat(a1.units()).hasSize(1);
        assertThat(a2.units()).as("no second batch while the first one's length is unknown").isEmpty();
        assertThat(b1.units()).hasSize(1);
        Fake next = pull(d, "a", a1, 30_000_000_000L); // 30 s a unit: long ones go one at a time, never prefetched
        assertThat(completed).containsEntry(0, 0);
        assertThat(a2.units()).hasSize(1);
        assertThat(next.units()).isEmpty();
    }

    @Test
    void aWorkerThatDiesRunningALoneUnitCostsItOneAttemptAndTheQueuedBatchNone() {
        Dispatcher d = dispatcher(1, 0);
        hello(d, "a");
        Fake warm = pull(d, "a", null, 0);
        Fake second = pull(d, "a", null, 0);
        d.submit(units(d, 1));
        Fake third = pull(d, "a", warm, 1_000); // short units: now batches are prefetched
        d.submit(units(d, 2));
        assertThat(second.units()).as("running").hasSize(1);
        assertThat(third.units()).as("queued behind it").hasSize(1);
        d.workerExited("a", -9);
        assertThat(failed).hasSize(1);
        assertThat(failed.values().iterator().next()).isInstanceOf(BrokenPoolException.class)
                .hasMessageContaining("was running on worker a").hasMessageContaining("retry limit is 0");
        hello(d, "b");
        Fake b = pull(d, "b", null, 0);
        assertThat(b.units()).as("the batch queued behind it runs again, uncharged").isEqualTo(third.units());
    }

    @Test
    void aWorkerThatDiesDuringABatchOfSeveralChargesNoneAndFindsTheCulpritAlone() {
        Dispatcher d = dispatcher(1, 0);
        hello(d, "a");
        Fake first = pull(d, "a", null, 0);
        d.submit(units(d, 1));
        Fake many = pull(d, "a", first, 1_000); // 1 us a unit: the next batch takes a fair share of the queue
        d.submit(units(d, 40));
        assertThat(many.units()).hasSizeGreaterThan(1);
        List<Integer> batch = many.units();
        d.workerExited("a", -9);
        assertThat(failed).as("nobody is charged for a death during a batch of several").isEmpty();

        hello(d, "b");
        Fake alone = pull(d, "b", null, 0);
        assertThat(alone.units()).as("each unit of that batch runs alone").containsExactly(batch.get(0));
        Fake second = pull(d, "b", alone, 1_000);
        assertThat(second.units()).containsExactly(batch.get(1));
        d.workerExited("b", -9); // it dies running batch.get(1) alone: that one was the culprit
        assertThat(failed).hasSize(1);
        assertThat(failed.get(batch.get(1))).hasMessageContaining("retry limit is 0");

        hello(d, "c");
        Fake c = pull(d, "c", null, 0);
        for (int i = 0; i < 100 && !c.units().isEmpty(); i++) {
            c = pull(d, "c", c, 1_000);
        }
        assertThat(completed).as("every other unit completes").hasSize(40);
        assertThat(failed).hasSize(1);
    }

    @Test
    void aResultForAUnitAlreadyDoneIsIgnoredAndFailAllFailsTheRest() {
        Dispatcher d = dispatcher(1, 2);
        hello(d, "a");
        Fake p = pull(d, "a", null, 0);
        d.submit(units(d, 3));
        Fake q = pull(d, "a", p, 5_000_000_000L);
        d.failAll(new BrokenPoolException("terminated"));
        assertThat(completed).containsOnlyKeys(0);
        assertThat(failed).containsOnlyKeys(1, 2);
        pull(d, "a", q, 1_000);
        assertThat(completed).as("a late result changes nothing").containsOnlyKeys(0);
        assertThat(d.drained()).isDone();
    }

    @Test
    void aPullWithNoRoomStopsEveryPullOfThatWorker() {
        Dispatcher d = dispatcher(1, 2);
        hello(d, "a");
        Fake held = pull(d, "a", null, 0);
        Fake leave = leave(d, "a");
        assertThat(held.units()).isNull();
        assertThat(leave.units()).isNull();
    }

    @Test
    void aRetiringWorkerIsNotCountedAsServingBeforeItsExitIsReported() throws Exception {
        Dispatcher d = dispatcher(2, 2);
        hello(d, "a");
        hello(d, "b");
        assertThat(d.awaitWorkers(2, 0)).isTrue();
        leave(d, "a"); // "a" takes no more work; its process has not been reported gone
        assertThat(d.awaitWorkers(2, 10)).as("a retiring worker does not serve").isFalse();
        hello(d, "c");
        assertThat(d.awaitWorkers(2, 0)).isTrue();
    }

    @Test
    void aCancelledUnitStillQueuedFailsAndIsNeverHandedOut() {
        Dispatcher d = dispatcher(1, 2);
        hello(d, "a");
        List<Unit> units = units(d, 2);
        d.submit(units);
        assertThat(d.cancel(List.of(units.get(0)))).as("no worker holds it").isEmpty();
        assertThat(failed.get(units.get(0).id)).isInstanceOf(CancellationException.class).hasMessageContaining("unit 0 of test was cancelled");
        Fake a = pull(d, "a", null, 0);
        assertThat(a.units()).containsExactly(units.get(1).id);
        assertThat(d.cancel(List.of(units.get(0)))).as("cancelled already: nothing left to cancel").isNull();
    }

    @Test
    void aCancelledUnitAWorkerHoldsIsNamedForThatWorkerAndItsLateResultIsIgnored() {
        Dispatcher d = dispatcher(1, 2);
        hello(d, "a");
        Fake a = pull(d, "a", null, 0);
        List<Unit> units = units(d, 1);
        d.submit(units);
        assertThat(d.cancel(units)).containsExactly(Map.entry("a", List.of(units.get(0).id)));
        pull(d, "a", a, 1_000);
        assertThat(completed).as("the result that comes anyway is dropped").isEmpty();
        assertThat(failed.get(units.get(0).id)).isInstanceOf(CancellationException.class);
    }

    @Test
    void aStoppedUnitFailsWithItsReasonTheUnitsAfterItRunElsewhereAndTheWorkersExitChargesNone() {
        Dispatcher d = new Dispatcher("test-pool", 1, 0, 1_000);
        hello(d, "a");
        Fake first = pull(d, "a", null, 0);
        d.submit(units(d, 1));
        Fake batch = pull(d, "a", first, 1_000); // short units: the next batch holds several
        d.submit(units(d, 6));
        List<Integer> ids = batch.units();
        assertThat(ids).hasSizeGreaterThan(2);
        // the worker ran the first unit, was stopped in the second, and reports so with room for nothing
        Wire.Out out = new Wire.Out(64).writeByte(Protocol.PULL).writeString("a").writeInt(0).writeInt(batch.batch())
                .writeLong(0).writeInt(2).writeInt(ids.get(0)).writeByte(Protocol.OK);
        Codec.writeValues(out, List.of(7), "a result");
        out.writeInt(ids.get(1)).writeByte(Protocol.STOPPED).writeByte(Protocol.STOPPED_BY_TIMEOUT).writeLong(1_100);
        Fake report = send(d, out);
        assertThat(report.units()).as("told to stop").isNull();
        assertThat(completed).containsEntry(ids.get(0), 7);
        assertThat(failed.get(ids.get(1))).isInstanceOf(TaskTimeoutException.class)
                .hasMessageContaining("unit").hasMessageContaining("taskTimeout of 1000 ms").hasMessageContaining("worker a");
        d.workerExited("a", PoolWorker.TASK_STOPPED_EXIT);
        assertThat(failed).as("its exit charges no unit, though the retry limit is 0").hasSize(1);
        hello(d, "b");
        Fake b = pull(d, "b", null, 0);
        assertThat(b.units()).as("the units after the stopped one run again").startsWith(ids.get(2));
    }

    @Test
    void aWorkerWhoseMemberLeftIsGoneThoughNoExitIsReported() {
        Dispatcher d = dispatcher(1, 0);
        hello(d, "a");
        Fake a = pull(d, "a", null, 0);
        List<Unit> units = units(d, 1);
        d.submit(units);
        assertThat(a.units()).hasSize(1);
        d.memberLeft("member-of-someone-else");
        assertThat(d.workers()).isEqualTo(1);
        d.memberLeft("member-a"); // its host's agent was killed: nobody reports its exit
        assertThat(d.workers()).isZero();
        assertThat(failed.get(units.get(0).id)).isInstanceOf(BrokenPoolException.class).hasMessageContaining("when it left the cluster");
        d.workerExited("a", -9); // a late report changes nothing
        assertThat(failed).hasSize(1);
    }
}
