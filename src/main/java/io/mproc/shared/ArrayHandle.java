package io.mproc.shared;

import io.mproc.Lock;

/** What a {@code LongArray} and a {@code DoubleArray} share: the key and lock of the data, and its length. */
abstract class ArrayHandle implements java.io.Serializable {
    final LockHandle lock;
    private final int length;

    ArrayHandle(String cluster, String key, String name, int length) {
        this.lock = new LockHandle(cluster, key, name, true);
        this.length = length;
    }

    /** The element at {@code i}, boxed. */
    Object element(int i) {
        Access.checkIndex(i, length, lock.name);
        return Access.run(lock, new Mutation.ArrayGet(i));
    }

    void store(int i, long asLong, double asDouble) {
        Access.checkIndex(i, length, lock.name);
        Access.run(lock, new Mutation.ArraySet(i, asLong, asDouble));
    }

    /** A copy of the whole array. */
    Object copy() {
        return Access.run(lock, new Mutation.ArrayCopy());
    }

    public int length() {
        return length;
    }

    public Lock getLock() {
        return lock;
    }
}
