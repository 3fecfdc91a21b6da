package io.mproc.shared;

import io.mproc.Event;

import java.time.Duration;

/** An {@link Event} kept in the cluster's map under {@code key}. */
final class EventHandle implements Event {
    private final String cluster;
    private final String key;
    private final String name;

    EventHandle(String cluster, String key, String name) {
        this.cluster = cluster;
        this.key = key;
        this.name = name;
    }

    @Override
    public void set() {
        Waits.of(cluster).run(key, new EventState.Flag(cluster, true), name);
    }

    @Override
    public void clear() {
        Waits.of(cluster).run(key, new EventState.Flag(cluster, false), name);
    }

    @Override
    public boolean isSet() {
        return (Boolean) Waits.of(cluster).run(key, new EventState.IsSet(cluster), name);
    }

    @Override
    public void await() {
        await(null);
    }

    @Override
    public boolean await(Duration timeout) {
        return Calls.call(Waits.of(cluster), key, name, Waits.deadline(timeout), Calls.steps(
                w -> new EventState.Await(cluster, w, 0),
                w -> new EventState.Await(cluster, w, 1),
                w -> new EventState.Await(cluster, w, 2),
                wake -> Status.OK)) == Status.OK;
    }

    @Override
    public String toString() {
        return name;
    }
}
