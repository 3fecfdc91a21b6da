package io.mproc.pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The chunks of one map, starmap or apply, gathered in input order into one {@link AsyncResultImpl}. */
final class MapJob<R> implements UnitSink {
    private final String label;
    private final Object[][] chunks;
    private final AsyncResultImpl<R> result;
    private final boolean single;
    private final TaskCounts counts = new TaskCounts();
    private int remaining;

    /** @param single the result is the one value of the one chunk (apply), not the list of all */
    MapJob(String label, int chunks, AsyncResultImpl<R> result, boolean single) {
        this.label = label;
        this.chunks = new Object[chunks][];
        this.result = result;
        this.single = single;
        this.remaining = chunks;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void completed(Unit unit, Object[] values) {
        if (single) {
            result.itemsDone(1);
            result.complete((R) values[0]);
            return;
        }
        int total;
        synchronized (this) {
            chunks[unit.index] = values;
            result.itemsDone(values.length);
            if (--remaining > 0) {
                return;
            }
            total = Arrays.stream(chunks).mapToInt(c -> c.length).sum();
        }
        Object[] flat = new Object[total];
        int at = 0;
        for (Object[] chunk : chunks) {
            System.arraycopy(chunk, 0, flat, at, chunk.length);
            at += chunk.length;
        }
        List<Object> all = new ArrayList<>(Arrays.asList(flat));
        result.complete((R) all);
    }

    @Override
    public void failed(Unit unit, Throwable error) {
        result.fail(error);
    }

    /** Whether its result is in, or its work failed or was cancelled. */
    boolean done() {
        return result.ready();
    }

    @Override
    public TaskCounts counts() {
        return counts;
    }

    /** How it stands, for the supervisor: its label, items done and in all, failed, retried and cancelled. */
    io.mproc.cluster.protocol.Request.Progress.MapState state() {
        return new io.mproc.cluster.protocol.Request.Progress.MapState(label, result.itemsDone(), result.itemsTotal(),
                counts.get(TaskCounts.Outcome.FAILED) + counts.get(TaskCounts.Outcome.TIMED_OUT),
                counts.get(TaskCounts.Outcome.RETRIED), counts.get(TaskCounts.Outcome.CANCELLED));
    }

    @Override
    public String describe(Unit unit) {
        if (single) {
            return label;
        }
        return unit.range() + " of " + label;
    }
}
