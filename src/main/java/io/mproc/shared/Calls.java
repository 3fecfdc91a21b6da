package io.mproc.shared;

import io.mproc.ProcessException;
import io.mproc.cluster.Blocking;

import java.util.function.Function;

/**
 * The loop of a blocking call on a shared state: try (queueing when it cannot be served now),
 * wait for the wake-up in slices, ask the host after each slice, and cancel at the deadline.
 * Every step is atomic where the state is kept, so a call is either served or cancelled,
 * never both.
 */
final class Calls {
    private Calls() {
    }

    /** The steps of one kind of blocking call, given the caller's waiter (null: do not queue). */
    interface Steps {
        Transition<?> attempt(Waiter waiter);

        /** How it stands: the reply if served, {@link Status#QUEUED} if still waiting. */
        Transition<?> check(Waiter waiter);

        /** Takes the waiter out: {@link Status#CANCELLED}, or the reply if it was served first. */
        Transition<?> cancel(Waiter waiter);

        /** The reply carried by a wake-up {@code {seq, token, payload}}; {@link Status#RETRY} to attempt again. */
        Object woken(Object[] wake);
    }

    /**
     * Runs a blocking call until {@code deadline} (nanoTime, {@code Long.MAX_VALUE} for none).
     * Returns the reply, or {@link Status#CANCELLED}/{@link Status#BUSY} when the deadline passed.
     * A reply {@link CellState.Queued} naming the member that holds a lock asks that member to
     * give it back, at once and after every slice.
     */
    static Object call(Waits waits, String key, String what, long deadline, Steps steps) {
        Blocking.checkNotOnEventLoop(what);
        if (deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0) {
            return waits.run(key, steps.attempt(null), what);
        }
        while (true) {
            Waiter waiter = waits.waiter();
            try {
                Object reply = waits.run(key, steps.attempt(waiter), what);
                while (reply == Status.QUEUED || reply instanceof CellState.Queued) {
                    if (reply instanceof CellState.Queued queued && queued.owner() != null) {
                        waits.askBack(queued.owner(), key); // the member holding the lock caches it: ask for it
                    }
                    long slice = Waits.sliceUntil(deadline);
                    if (slice <= 0) {
                        return waits.run(key, steps.cancel(waiter), what);
                    }
                    Object[] wake;
                    try {
                        wake = waits.await(waiter, slice);
                    } catch (ProcessException interrupted) {
                        Thread.interrupted(); // Hazelcast's blocking call below would fail on the flag
                        Object late = waits.run(key, steps.cancel(waiter), what);
                        Thread.currentThread().interrupt();
                        if (late == Status.CANCELLED) {
                            throw new ProcessException("interrupted while waiting for " + what, interrupted.getCause());
                        }
                        return late;
                    }
                    reply = wake != null ? steps.woken(wake) : waits.run(key, steps.check(waiter), what);
                }
                if (reply != Status.RETRY) {
                    return reply;
                }
            } finally {
                waits.done(waiter);
            }
        }
    }

    /** Steps from lambdas. */
    static Steps steps(Function<Waiter, Transition<?>> attempt, Function<Waiter, Transition<?>> check,
                       Function<Waiter, Transition<?>> cancel, Function<Object[], Object> woken) {
        return new Steps() {
            @Override
            public Transition<?> attempt(Waiter waiter) {
                return attempt.apply(waiter);
            }

            @Override
            public Transition<?> check(Waiter waiter) {
                return check.apply(waiter);
            }

            @Override
            public Transition<?> cancel(Waiter waiter) {
                return cancel.apply(waiter);
            }

            @Override
            public Object woken(Object[] wake) {
                return woken.apply(wake);
            }
        };
    }
}
