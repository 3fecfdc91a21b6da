package io.mproc.shared;

import io.mproc.Lock;
import io.mproc.LongArray;

import java.util.Arrays;

/** A {@link LongArray} kept in the cluster's map, with its lock, under one key. */
final class LongArrayHandle implements LongArray {
    private final LockHandle lock;
    private final int length;

    LongArrayHandle(String cluster, String key, String name, int length) {
        this.lock = new LockHandle(cluster, key, name, true);
        this.length = length;
    }

    @Override
    public long get(int i) {
        Access.checkIndex(i, length, lock.name);
        return (Long) Access.run(lock, new Mutation.ArrayGet(i));
    }

    @Override
    public void set(int i, long value) {
        Access.checkIndex(i, length, lock.name);
        Access.run(lock, new Mutation.ArraySet(i, value, value));
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public long[] toArray() {
        return (long[]) Access.run(lock, new Mutation.ArrayCopy());
    }

    @Override
    public Lock getLock() {
        return lock;
    }

    @Override
    public String toString() {
        return lock.name + Arrays.toString(toArray());
    }
}
