package io.mproc.shared;

import io.mproc.Semaphore;

import java.time.Duration;

/** A {@link Semaphore} kept in the cluster's map under {@code key}. */
final class SemaphoreHandle implements Semaphore {
    private final String cluster;
    private final String key;
    private final String name;

    SemaphoreHandle(String cluster, String key, String name) {
        this.cluster = cluster;
        this.key = key;
        this.name = name;
    }

    @Override
    public boolean acquire() {
        return take(Long.MAX_VALUE);
    }

    @Override
    public boolean acquire(Duration timeout) {
        return take(Waits.deadline(timeout));
    }

    @Override
    public boolean tryAcquire() {
        return take(System.nanoTime());
    }

    private boolean take(long deadline) {
        Waits waits = Waits.of(cluster);
        Object reply = Calls.call(waits, key, name, deadline, Calls.steps(
                w -> new SemaphoreState.Acquire(cluster, waits.member, w),
                w -> new SemaphoreState.Check(cluster, w, false),
                w -> new SemaphoreState.Check(cluster, w, true),
                wake -> Status.OK));
        return reply == Status.OK;
    }

    @Override
    public void release() {
        Waits waits = Waits.of(cluster);
        Object reply = waits.run(key, new SemaphoreState.Release(cluster, waits.member), name);
        if (reply != Status.OK) {
            throw new IllegalStateException("cannot release " + name + ": " + reply);
        }
    }

    @Override
    public int availablePermits() {
        return (Integer) Waits.of(cluster).run(key, new SemaphoreState.Available(cluster), name);
    }

    @Override
    public String toString() {
        return name;
    }
}
