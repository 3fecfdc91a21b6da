package io.mproc;

import java.io.Serializable;

/**
 * Python's {@code multiprocessing.Value}: one value shared by every process of the cluster,
 * kept in the cluster's Hazelcast maps. Made by {@link Multiprocessing#value(Object)}.
 *
 * <pre>{@code
 * Value<Long> counter = mp.value(0L);
 * mp.process(() -> {
 *     try (Lock.Held held = counter.getLock().hold()) {  // with v.get_lock(): v.value += 1
 *         counter.set(counter.get() + 1);
 *     }
 * }).start();
 * counter.update(n -> n + 1);                           // atomic, no lock taken
 * }</pre>
 *
 * <p>As in Python, the value has a lock of its own ({@link #getLock()}, an {@code RLock}) and
 * every {@link #get()} and {@link #set} goes through it: while another process (or thread)
 * holds the lock, they wait. So {@code set(get() + 1)} under the lock never loses an update,
 * and without it updates can be lost, as in Python. While the calling thread holds the lock,
 * {@code get} and {@code set} work on a copy in this JVM, written back when the lock is
 * released: a critical section costs the acquisition and the release, not a round trip per
 * access. If the holder dies before releasing, its writes are dropped and the value is what it
 * was when it took the lock.
 *
 * <p>{@link #update} and {@link #updateAndGet} apply a function atomically where the value is
 * kept, in one round trip and without taking the lock (they wait while someone holds it, like
 * {@code get}). The function must be {@link Task serializable}; it runs in the JVM that holds
 * the value's data (in an embedded cluster, the program that made the context).
 *
 * <p>The value must be {@link Serializable}; a handle is too: pass it to a task or a process.
 *
 * @param <T> the type of the value
 */
public interface Value<T> extends Serializable {

    /** Python's {@code v.value}. */
    T get();

    /** Python's {@code v.value = x}. */
    void set(T value);

    /** Applies {@code function} to the value atomically, where it is kept (no lock round trip). */
    void update(Task<T, T> function);

    /** As {@link #update}, returning the new value. */
    T updateAndGet(Task<T, T> function);

    /** Python's {@code v.get_lock()}: the value's own reentrant lock. */
    Lock getLock();
}
