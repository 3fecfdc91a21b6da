package io.mproc.shared;

import io.mproc.Lock;
import io.mproc.Task;
import io.mproc.Value;

/** A {@link Value} kept in the cluster's map, with its lock, under one key. */
final class ValueHandle<T> implements Value<T> {
    private final LockHandle lock;
    private transient volatile Task<?, ?> checked;

    ValueHandle(String cluster, String key, String name) {
        this.lock = new LockHandle(cluster, key, name, true);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get() {
        return (T) Access.run(lock, new Mutation.Get());
    }

    @Override
    public void set(T value) {
        Access.checkSerializable(value, "the value given to " + lock.name);
        Access.run(lock, new Mutation.Set(value));
    }

    @Override
    public void update(Task<T, T> function) {
        Access.run(lock, new Mutation.Update(checked(function), false));
    }

    @Override
    @SuppressWarnings("unchecked")
    public T updateAndGet(Task<T, T> function) {
        return (T) Access.run(lock, new Mutation.Update(checked(function), true));
    }

    /** Checks once per function object that it can be sent (a non-capturing lambda is one object). */
    @SuppressWarnings("unchecked")
    private Task<Object, Object> checked(Task<T, T> function) {
        if (checked != function) {
            Access.checkSerializable(function, "the function given to " + lock.name);
            checked = function;
        }
        return (Task<Object, Object>) (Task<?, ?>) function;
    }

    @Override
    public Lock getLock() {
        return lock;
    }

    @Override
    public String toString() {
        return lock.name + "=" + get();
    }
}
