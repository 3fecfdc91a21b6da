package io.mproc.shared;

import io.mproc.LongArray;

import java.util.Arrays;

/** A {@link LongArray} kept in the cluster's map, with its lock, under one key. */
final class LongArrayHandle extends ArrayHandle implements LongArray {

    LongArrayHandle(String cluster, String key, String name, int length) {
        super(cluster, key, name, length);
    }

    @Override
    public long get(int i) {
        return (Long) element(i);
    }

    @Override
    public void set(int i, long value) {
        store(i, value, value);
    }

    @Override
    public long[] toArray() {
        return (long[]) copy();
    }

    @Override
    public String toString() {
        return lock.name + Arrays.toString(toArray());
    }
}
