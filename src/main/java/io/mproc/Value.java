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
 * every {@link #get()} and {@link #set} goes through it: while another process (or another
 * thread of the process) holds the lock, they wait. So {@code set(get() + 1)} under the lock
 * never loses an update, and without it updates can be lost, as in Python.
 *
 * <p>The value travels with its lock. While the lock is cached in this process (see
 * {@link Lock}: the process that last took it keeps it until another asks), {@code get} and
 * {@code set} work on the copy here, with no round trip; otherwise each is one round trip to
 * the member that keeps the value. A copy changed here is written back about a millisecond
 * after each release and whenever the lock leaves. A process killed while it holds the lock
 * loses what it wrote since (the value is as the last write-back left it), and a process
 * killed within that millisecond after a release may lose that release's writes; a process
 * that ends normally, even by {@code System.exit}, loses nothing.
 *
 * <p>{@link #update} and {@link #updateAndGet} apply a function atomically: they take the
 * lock, apply it, and release it, so a process that keeps updating keeps the lock, and its
 * updates cost no round trip until another process asks. Nobody sees a value between the
 * read and the write of an update. The function runs in the caller's JVM.
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

    /** Applies {@code function} to the value atomically (under the value's lock, taken and released here). */
    void update(Task<T, T> function);

    /** As {@link #update}, returning the new value. */
    T updateAndGet(Task<T, T> function);

    /** Python's {@code v.get_lock()}: the value's own reentrant lock. */
    Lock getLock();
}
