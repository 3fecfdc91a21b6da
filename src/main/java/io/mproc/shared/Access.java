package io.mproc.shared;

import io.mproc.ProcessException;
import io.mproc.codec.Codec;

/**
 * Calls on the data of a value or an array: on this JVM's copy while the data's lock is cached
 * here ({@link Lease}), else where the data is kept, waiting while another process holds the
 * lock. An update always takes the lock, so that a process that keeps updating keeps it.
 */
final class Access {
    private Access() {
    }

    static Object run(LockHandle lock, Mutation mutation) {
        Lease lease = Lease.of(lock.local);
        Object reply = lease == null ? Lease.GONE : lease.apply(mutation);
        if (reply == Lease.GONE && mutation instanceof Mutation.Update) {
            // an update takes the lock, which then stays here while this process keeps updating
            lock.acquire();
            try {
                reply = Lease.of(lock.local).apply(mutation);
            } finally {
                lock.release();
            }
        } else if (reply == Lease.GONE) {
            Waits waits = Waits.of(lock.cluster);
            reply = Calls.call(waits, lock.key, lock.name, Long.MAX_VALUE, Calls.steps(
                    w -> new CellState.Access(lock.cluster, w, mutation),
                    w -> new CellState.Access(lock.cluster, w, mutation),
                    w -> new CellState.Unblock(lock.cluster, w),
                    wake -> Status.RETRY));
        }
        if (reply instanceof Mutation.Failure failure) {
            if (failure.thrown() instanceof RuntimeException unchecked) {
                throw unchecked; // as Python's exception inside "with v.get_lock(): ..." propagates
            }
            throw new ProcessException("the function given to " + lock.name + " threw " + failure.thrown(), failure.thrown());
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
