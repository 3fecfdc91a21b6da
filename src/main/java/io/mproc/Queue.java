package io.mproc;

import java.io.Serializable;
import java.time.Duration;

/**
 * A FIFO queue shared by processes: Python's {@code multiprocessing.Queue}. Every item put
 * is got exactly once, by one consumer, whatever the number of producers and consumers and
 * the JVMs they run in. Items are serialized at {@code put}, in the caller: one that cannot be
 * fails there with a {@link SerializationException}.
 *
 * <p>The handle is {@link Serializable}: capture it in a process's or task's lambda and the
 * worker JVM gets a live handle to the same queue, as Python passes {@code q} in
 * {@code Process(target=f, args=(q,))}.
 *
 * <p>The queue's items live in the JVM that made it ({@link Multiprocessing#queue()}); no item
 * is lost while that JVM is alive. When it dies the queue is gone: calls on the handle then
 * fail with a {@link ProcessException} saying so. An item taken by a {@code get} whose process
 * dies before the item reaches it is lost, as in Python.
 *
 * @param <T> item type
 */
public interface Queue<T> extends Serializable {

    /** Puts {@code item}, waiting as long as it takes for room in a bounded queue (Python's {@code put}). */
    void put(T item);

    /** Puts {@code item}, waiting at most {@code timeout} for room. @throws QueueFullException no room in time */
    void put(T item, Duration timeout);

    /** Puts {@code item} if there is room now (Python's {@code put_nowait}). @throws QueueFullException the queue is full */
    void putNowait(T item);

    /** Takes the oldest item, waiting as long as it takes for one (Python's {@code get}). */
    T get();

    /** Takes the oldest item, waiting at most {@code timeout}. @throws QueueEmptyException none came in time */
    T get(Duration timeout);

    /** Takes the oldest item if there is one now (Python's {@code get_nowait}). @throws QueueEmptyException the queue is empty */
    T getNowait();

    /** The number of items in the queue now (Python's {@code qsize()}); other processes may change it at once. */
    int qsize();

    /** Whether the queue is empty now (Python's {@code empty()}). */
    boolean empty();

    /** Whether a bounded queue is full now (Python's {@code full()}); never for an unbounded one. */
    boolean full();

    /** This process will put no more items through this handle (Python's {@code close()}); later puts fail. */
    void close();
}
