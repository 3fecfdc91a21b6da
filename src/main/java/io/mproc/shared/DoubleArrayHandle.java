package io.mproc.shared;

import io.mproc.DoubleArray;

import java.util.Arrays;

/** A {@link DoubleArray} kept in the cluster's map, with its lock, under one key. */
final class DoubleArrayHandle extends ArrayHandle implements DoubleArray {

    DoubleArrayHandle(String cluster, String key, String name, int length) {
        super(cluster, key, name, length);
    }

    @Override
    public double get(int i) {
        return (Double) element(i);
    }

    @Override
    public void set(int i, double value) {
        store(i, (long) value, value);
    }

    @Override
    public double[] toArray() {
        return (double[]) copy();
    }

    @Override
    public String toString() {
        return lock.name + Arrays.toString(toArray());
    }
}
