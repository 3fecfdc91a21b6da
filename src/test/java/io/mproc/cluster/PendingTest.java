package io.mproc.cluster;

import io.mproc.ProcessException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The write fence is one per cluster member: a failed write is reported by that member's next drain only. */
class PendingTest {

    @Test
    void aFailedWriteIsReportedOnceByItsOwnFenceAndNeverByAnother() {
        Pending mine = new Pending();
        Pending other = new Pending();
        mine.track("setting a key of dict d", () -> CompletableFuture.failedFuture(new IllegalStateException("member gone")));
        other.track("setting a key of dict e", () -> CompletableFuture.completedFuture(null));
        other.drain();
        assertThatThrownBy(mine::drain).isInstanceOf(ProcessException.class)
                .hasMessageContaining("setting a key of dict d failed").hasMessageContaining("member gone");
        mine.drain(); // reported once
    }

    @Test
    void drainWaitsForEveryWriteInOrderAndDrainedCompletesAfterThem() {
        Pending pending = new Pending();
        CompletableFuture<Object> first = new CompletableFuture<>();
        CompletableFuture<Object> second = new CompletableFuture<>();
        pending.track("first", () -> first);
        pending.track("second", () -> second);
        var drained = pending.drained().toCompletableFuture();
        assertThat(drained).isNotDone();
        first.complete(null);
        assertThat(drained).isNotDone();
        second.complete(null);
        assertThat(drained).isDone();
        pending.drain();
    }
}
