package io.mproc.pool;

import io.mproc.codec.Wire;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages between a pool's driver and its workers, as binary event-bus buffers.
 *
 * <pre>
 * worker → driver (request)                         driver → worker (reply)
 *   HELLO  name pid member                       →    INIT   maxTasks prefetch taskTimeoutMillis initializer program
 *   PULL   name capacity batch nanos results...  →    WORK   batch functions units...  (held until there is work)
 *                                                     STOP                             (pool closing, or capacity 0:
 *                                                                                       then also every pull held)
 *   REFUSE name reason                           →    (none)  a worker of a standing cluster whose
 *                                                             initializer failed: the pool breaks
 * result: unitId status (OK values | TASK_ERROR itemOffset throwable | SERIAL_ERROR message
 *                        | CANCELLED | STOPPED reason runningMillis)
 *         A worker that stops a running unit (its time limit passed, or it was cancelled) sends a
 *         pull with capacity 0 holding the results of the units before it and STOPPED for it; the
 *         units after it are not reported and go back to the queue; then the worker exits with
 *         {@link PoolWorker#TASK_STOPPED_EXIT}.
 * unit:   unitId kind functionIndex values
 * </pre>
 */
final class Protocol {
    static final byte HELLO = 1;
    static final byte PULL = 2;
    static final byte INIT = 3;
    static final byte WORK = 4;
    static final byte STOP = 5;
    static final byte REFUSE = 6;

    static final byte OK = 0;
    static final byte TASK_ERROR = 1;
    static final byte SERIAL_ERROR = 2;
    /** The unit was cancelled before it started: it did not run. */
    static final byte CANCELLED = 3;
    /** The unit was stopped while it ran: its worker leaves. */
    static final byte STOPPED = 4;

    /** Why a unit was stopped. */
    static final byte STOPPED_BY_TIMEOUT = 1;
    static final byte STOPPED_BY_CANCEL = 2;

    private Protocol() {
    }

    static Buffer buffer(Wire.Out out) {
        return Buffer.buffer(out.toByteArray());
    }

    static Wire.In read(Buffer buffer) {
        return new Wire.In(buffer.getBytes());
    }

    /** {@code program}: the member id of the pool's context, whose class server has the classes of its tasks. */
    static Buffer init(int maxTasks, int prefetch, long taskTimeoutMillis, byte[] initializer, String program) {
        return buffer(new Wire.Out(64).writeByte(INIT).writeInt(maxTasks).writeInt(prefetch).writeLong(taskTimeoutMillis)
                .writeBytes(initializer == null ? new byte[0] : initializer).writeString(program));
    }

    static Buffer stop() {
        return Buffer.buffer(new byte[]{STOP});
    }

    /** A batch of units; functions shared by several units are written once. */
    static Buffer work(int batchId, List<Unit> units) {
        Map<byte[], Integer> functions = new IdentityHashMap<>();
        List<byte[]> table = new ArrayList<>();
        int size = 13;
        for (Unit u : units) {
            if (functions.putIfAbsent(u.function, table.size()) == null) {
                table.add(u.function);
                size += u.function.length + 4;
            }
            size += u.arguments.length + 13;
        }
        Wire.Out out = new Wire.Out(size).writeByte(WORK).writeInt(batchId).writeInt(table.size());
        table.forEach(out::writeBytes);
        out.writeInt(units.size());
        for (Unit u : units) {
            out.writeInt(u.id).writeByte(u.kind).writeInt(functions.get(u.function)).writeBytes(u.arguments);
        }
        return buffer(out);
    }
}
