package io.mproc.shared;

import io.mproc.RemoteTaskException;
import io.mproc.codec.Codec;

/**
 * Calls on the data of a value or an array: on the caller's copy while its thread holds the
 * data's lock, else where the data is kept, waiting while another thread or process holds it.
 */
final class Access {
    private Access() {
    }

    static Object run(LockHandle lock, Mutation mutation) {
        Hold held = Hold.mine(lock.local);
        Object reply;
        if (held != null) {
            reply = mutation.applyOrFailure(held);
        } else {
            Waits waits = Waits.of(lock.cluster);
            String caller = waits.owner();
            reply = Calls.call(waits, lock.key, lock.name, Long.MAX_VALUE, Calls.steps(
                    w -> new CellState.Access(lock.cluster, caller, w, mutation),
                    w -> new CellState.Access(lock.cluster, caller, w, mutation),
                    w -> new CellState.Unblock(lock.cluster, w),
                    wake -> Status.RETRY));
        }
        if (reply instanceof Mutation.Failure failure) {
            throw new RemoteTaskException("the function given to " + lock.name + " threw " + failure.message()
                    + "; where the data is kept:\n" + failure.trace(), null);
        }
        return reply == Status.OK ? null : reply;
    }

    /** Fails in the caller, naming the class, when {@code value} cannot be sent to other JVMs. */
    static void checkSerializable(Object value, String what) {
        if (value == null || value instanceof Number || value instanceof String || value instanceof Boolean
                || value instanceof Character) {
            return;
        }
        Codec.serialize(value, what);
    }

    /** @throws IndexOutOfBoundsException as Java arrays do */
    static void checkIndex(int index, int length, String name) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + " is out of bounds for " + name + " of length " + length);
        }
    }

}
