package io.mproc.shared;

import io.mproc.Lock;
import io.mproc.DoubleArray;

import java.util.Arrays;

/** A {@link DoubleArray} kept in the cluster's map, with its lock, under one key. */
final class DoubleArrayHandle implements DoubleArray {
    private final LockHandle lock;
    private final int length;

    DoubleArrayHandle(String cluster, String key, String name, int length) {
        this.lock = new LockHandle(cluster, key, name, true);
        this.length = length;
    }

    @Override
    public double get(int i) {
        Access.checkIndex(i, length, lock.name);
        return (Double) Access.run(lock, new Mutation.ArrayGet(i));
    }

    @Override
    public void set(int i, double value) {
        Access.checkIndex(i, length, lock.name);
        Access.run(lock, new Mutation.ArraySet(i, (long) value, value));
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public double[] toArray() {
        return (double[]) Access.run(lock, new Mutation.ArrayCopy());
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
