package io.mproc.pool;

import io.mproc.cluster.protocol.Request;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What became of the tasks (items) of a pool or of one of its maps, as its dispatcher saw it:
 * the figures of the status page and of {@code /metrics}. A chunk counts as its items; a chunk
 * that failed counts all of them as failed (they have no result). Retried counts the items of
 * the chunk a lost worker was running, run again elsewhere (the chunks queued behind it never
 * started and are not counted).
 */
final class TaskCounts {
    /** What became of a task. */
    enum Outcome { SUBMITTED, COMPLETED, FAILED, TIMED_OUT, CANCELLED, RETRIED }

    private final AtomicLongArray counts = new AtomicLongArray(Outcome.values().length);

    void add(Outcome outcome, long items) {
        counts.addAndGet(outcome.ordinal(), items);
    }

    long get(Outcome outcome) {
        return counts.get(outcome.ordinal());
    }

    Request.Progress.Tally tally() {
        return new Request.Progress.Tally(get(Outcome.SUBMITTED), get(Outcome.COMPLETED), get(Outcome.FAILED),
                get(Outcome.TIMED_OUT), get(Outcome.CANCELLED), get(Outcome.RETRIED));
    }
}
