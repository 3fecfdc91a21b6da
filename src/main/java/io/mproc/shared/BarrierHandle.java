package io.mproc.shared;

import io.mproc.Barrier;
import io.mproc.BrokenBarrierException;
import io.mproc.ProcessException;
import io.mproc.cluster.Blocking;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** A {@link Barrier} kept in the cluster's map under {@code key}. */
final class BarrierHandle implements Barrier {
    private final String cluster;
    private final String key;
    private final String name;
    private final int parties;

    BarrierHandle(String cluster, String key, String name, int parties) {
        this.cluster = cluster;
        this.key = key;
        this.name = name;
        this.parties = parties;
    }

    @Override
    public int await() {
        try {
            return await(null);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e); // no deadline, no timeout
        }
    }

    @Override
    public int await(Duration timeout) throws TimeoutException {
        Blocking.checkNotOnEventLoop(name + ".await");
        long deadline = Waits.deadline(timeout);
        Waits waits = Waits.of(cluster);
        Waiter waiter = waits.waiter();
        try {
            Object reply = waits.run(key, new BarrierState.Arrive(cluster, waiter), name);
            if (reply == Status.CANCELLED) {
                throw broken();
            }
            if (reply instanceof Integer last) {
                return last;
            }
            BarrierState.Arrival arrival = (BarrierState.Arrival) reply;
            while (true) {
                long slice = Waits.sliceUntil(deadline);
                Object state;
                if (slice <= 0) {
                    state = waits.run(key, new BarrierState.Check(cluster, waiter, arrival.generation(), true), name);
                    if (state == Status.CANCELLED) {
                        throw new TimeoutException(name + ": " + timeout.toMillis() + " ms passed before " + parties
                                + " parties arrived; the barrier is now broken");
                    }
                } else {
                    Object[] wake;
                    try {
                        wake = waits.await(waiter, slice);
                    } catch (ProcessException interrupted) {
                        Thread.interrupted();
                        waits.run(key, new BarrierState.Break(cluster, false), name);
                        Thread.currentThread().interrupt();
                        throw new BrokenBarrierException(name + " broke: a waiting party was interrupted");
                    }
                    state = wake != null ? (Object) (Long) wake[1]
                            : waits.run(key, new BarrierState.Check(cluster, waiter, arrival.generation(), false), name);
                }
                if (Long.valueOf(BarrierState.PASSED).equals(state)) {
                    return arrival.index();
                }
                if (Long.valueOf(BarrierState.BROKE).equals(state)) {
                    throw broken();
                }
            }
        } finally {
            waits.done(waiter);
        }
    }

    private BrokenBarrierException broken() {
        return new BrokenBarrierException(name + " is broken (aborted, reset while waiting, or a wait timed out); reset() makes it whole");
    }

    @Override
    public void abort() {
        Waits.of(cluster).run(key, new BarrierState.Break(cluster, false), name);
    }

    @Override
    public void reset() {
        Waits.of(cluster).run(key, new BarrierState.Break(cluster, true), name);
    }

    @Override
    public int parties() {
        return parties;
    }

    @Override
    public int waiting() {
        return look()[1];
    }

    @Override
    public boolean isBroken() {
        return look()[2] == 1;
    }

    private int[] look() {
        return (int[]) Waits.of(cluster).run(key, new BarrierState.Look(cluster), name);
    }

    @Override
    public String toString() {
        return name;
    }
}
