package io.mproc.pool;

import io.mproc.RemoteTaskException;
import io.mproc.SerializationException;
import io.mproc.TaskTimeoutException;
import io.mproc.codec.Codec;
import io.mproc.codec.Wire;

import java.util.concurrent.CancellationException;

/**
 * The outcome of one unit as a worker reported it: its values, the task's exception (at an
 * item offset within the unit), a message saying what could not be serialized, or that it
 * was cancelled or stopped (then {@code offset} is the reason and {@code text} the ms it ran).
 */
record Result(int unitId, byte status, Object[] values, int offset, byte[] error, String text) {

    /** Reads a unit's outcome; values find their classes in {@code classes} first (may be null). */
    static Result read(Wire.In in, ClassLoader classes) {
        int unitId = in.readInt();
        byte status = (byte) in.readByte();
        return switch (status) {
            case Protocol.OK -> {
                try {
                    yield new Result(unitId, status, Codec.readArray(in, "a result", classes), 0, null, null);
                } catch (SerializationException e) {
                    // its bytes were read; only turning them into objects failed (a class refused or missing here)
                    yield new Result(unitId, Protocol.SERIAL_ERROR, null, 0, null, e.getMessage());
                }
            }
            case Protocol.TASK_ERROR -> new Result(unitId, status, null, in.readInt(), in.readBytes(), null);
            case Protocol.CANCELLED -> new Result(unitId, status, null, 0, null, null);
            case Protocol.STOPPED -> new Result(unitId, status, null, in.readByte(), null, Long.toString(in.readLong()));
            default -> new Result(unitId, status, null, 0, null, in.readString());
        };
    }

    /**
     * Hands this outcome to the unit's sink; {@code where} names the worker in errors and
     * {@code limit} is the pool's task time limit in ms.
     */
    void deliver(Unit unit, String where, long limit, ClassLoader classes) {
        switch (status) {
            case Protocol.OK -> unit.sink.completed(unit, values);
            case Protocol.TASK_ERROR -> unit.sink.failed(unit, taskError(unit, where, classes));
            case Protocol.CANCELLED -> unit.sink.failed(unit, new CancellationException(unit.describe() + " was cancelled"));
            case Protocol.STOPPED -> unit.sink.failed(unit, offset == Protocol.STOPPED_BY_TIMEOUT
                    ? new TaskTimeoutException(unit.describe() + " ran longer than the pool's taskTimeout of " + limit + " ms (stopped after "
                    + text + " ms) in " + where + "; that worker was stopped and is replaced (PoolOptions.taskTimeout)")
                    : new CancellationException(unit.describe() + " was cancelled while it ran in " + where));
            default -> unit.sink.failed(unit, new SerializationException(text + " (" + unit.describe() + ", " + where + ")", null));
        }
    }

    /** What this outcome makes of the unit's tasks, for {@link TaskCounts}. */
    TaskCounts.Outcome outcome() {
        return switch (status) {
            case Protocol.OK -> TaskCounts.Outcome.COMPLETED;
            case Protocol.CANCELLED -> TaskCounts.Outcome.CANCELLED;
            case Protocol.STOPPED -> offset == Protocol.STOPPED_BY_TIMEOUT ? TaskCounts.Outcome.TIMED_OUT : TaskCounts.Outcome.CANCELLED;
            default -> TaskCounts.Outcome.FAILED;
        };
    }

    private Throwable taskError(Unit unit, String where, ClassLoader classes) {
        Throwable cause;
        try {
            cause = (Throwable) Codec.deserialize(error, "the exception of " + unit.describe(), classes);
        } catch (SerializationException e) {
            cause = e;
        }
        String what = unit.items > 1 ? "item " + (unit.firstItem + offset) + " (" + unit.describe() + ")" : unit.describe();
        return new RemoteTaskException(what + " failed in " + where + ": " + cause, cause);
    }
}
