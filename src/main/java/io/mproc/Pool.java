package io.mproc;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A pool of worker JVMs: Python's {@code multiprocessing.Pool}. Every worker is a separate
 * JVM process with its own PID, heap and GC, joined to the context's cluster.
 *
 * <p>Work goes to whichever worker is free: each worker asks for its next chunk when it
 * can take one, so a slow task never holds back the others. A worker that dies mid-task
 * (even by {@code kill -9}) is replaced, and the chunks it held run again on another
 * worker, up to {@link PoolOptions#maxRetries(int)} times; past that only the affected
 * results fail, with {@link BrokenPoolException}. Python's {@code Pool.map} hangs for
 * good in that case.
 *
 * <p>Arguments, results and tasks cross JVMs serialized; anything that cannot be
 * serialized fails in the caller with a {@link SerializationException} naming its class.
 * A task's exception reaches the caller as a {@link RemoteTaskException}. Either way the
 * pool stays usable.
 *
 * <p>{@code chunksize}, when not given, follows Python's rule for {@code map}: the
 * number of items divided by four times the number of workers, rounded up; for
 * {@code imap} it is 1.
 *
 * <p>The blocking methods must not be called on a Vert.x event-loop thread; they throw
 * {@link IllegalStateException} there instead of deadlocking.
 */
public interface Pool extends AutoCloseable {

    /** Python's {@code pool.map(f, items)}: results in input order. */
    default <T, R> List<R> map(Task<? super T, ? extends R> task, Iterable<? extends T> items) {
        return this.<T, R>mapAsync(task, items).get();
    }

    /** Python's {@code pool.map(f, items, chunksize)}. */
    default <T, R> List<R> map(Task<? super T, ? extends R> task, Iterable<? extends T> items, int chunksize) {
        return this.<T, R>mapAsync(task, items, chunksize).get();
    }

    /** Python's {@code map_async}. */
    <T, R> AsyncResult<List<R>> mapAsync(Task<? super T, ? extends R> task, Iterable<? extends T> items);

    /** Python's {@code map_async(f, items, chunksize)}. */
    <T, R> AsyncResult<List<R>> mapAsync(Task<? super T, ? extends R> task, Iterable<? extends T> items, int chunksize);

    /** Python's {@code starmap(f, [(a, b), ...])}, pairs as {@link Map.Entry}s (e.g. {@code Map.entry(a, b)}). */
    default <A, B, R> List<R> starmap(BiTask<? super A, ? super B, ? extends R> task,
                                      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        return this.<A, B, R>starmapAsync(task, pairs).get();
    }

    /** Python's {@code starmap(f, pairs, chunksize)}. */
    default <A, B, R> List<R> starmap(BiTask<? super A, ? super B, ? extends R> task,
                                      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize) {
        return this.<A, B, R>starmapAsync(task, pairs, chunksize).get();
    }

    /** Python's {@code starmap_async}. */
    <A, B, R> AsyncResult<List<R>> starmapAsync(BiTask<? super A, ? super B, ? extends R> task,
                                                Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs);

    /** Python's {@code starmap_async(f, pairs, chunksize)}. */
    <A, B, R> AsyncResult<List<R>> starmapAsync(BiTask<? super A, ? super B, ? extends R> task,
                                                Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize);

    /**
     * Python's {@code imap(f, items)}: results in input order, as they come. It streams: the
     * input is read only as far as a bounded number of chunks ahead of what the caller has
     * taken, and only results not yet taken are buffered. {@code next()} throws the
     * task's {@link RemoteTaskException} at the item that failed ({@code hasNext()} is then
     * true and throws nothing), and the iteration goes on after it.
     */
    default <T, R> Iterator<R> imap(Task<? super T, ? extends R> task, Iterable<? extends T> items) {
        return imap(task, items, 1);
    }

    /** Python's {@code imap(f, items, chunksize)}. */
    <T, R> Iterator<R> imap(Task<? super T, ? extends R> task, Iterable<? extends T> items, int chunksize);

    /** Python's {@code imap_unordered}: like {@link #imap} but in completion order. */
    default <T, R> Iterator<R> imapUnordered(Task<? super T, ? extends R> task, Iterable<? extends T> items) {
        return imapUnordered(task, items, 1);
    }

    /** Python's {@code imap_unordered(f, items, chunksize)}. */
    <T, R> Iterator<R> imapUnordered(Task<? super T, ? extends R> task, Iterable<? extends T> items, int chunksize);

    /** Python's {@code apply(f, (arg,))}: {@code applyAsync(task, arg).get()}. */
    default <T, R> R apply(Task<? super T, ? extends R> task, T argument) {
        return this.<T, R>applyAsync(task, argument).get();
    }

    /** Python's {@code apply_async(f, (arg,))}. */
    default <T, R> AsyncResult<R> applyAsync(Task<? super T, ? extends R> task, T argument) {
        return applyAsync(task, argument, null, null);
    }

    /** Python's {@code apply_async(f, (arg,), callback=..., error_callback=...)}; either callback may be null. */
    <T, R> AsyncResult<R> applyAsync(Task<? super T, ? extends R> task, T argument,
                                     Consumer<? super R> callback, Consumer<? super Throwable> errorCallback);

    /** The number of worker JVMs this pool keeps. */
    int processes();

    /**
     * Waits until all {@link #processes()} worker JVMs are connected (Dask's
     * {@code wait_for_workers}); returns whether they are. {@code pool()} already waits for
     * them (a pool of N runs its first task on N JVMs, as a forked Python {@code Pool(N)}
     * does), so this returns at once unless a worker died or retired (a worker whose task budget
     * is spent or whose task ran out of memory takes no more work) and its replacement is starting.
     * On a standing cluster ({@code connect}) the pool uses the cluster's workers, however
     * many there are; {@code pool()} returns once one serves it.
     */
    boolean awaitWorkers(java.time.Duration timeout);

    /**
     * Python's {@code close(); join()}: accepts no new work, waits for the work already
     * submitted, then stops the worker JVMs. Idempotent; try-with-resources calls it.
     */
    @Override
    void close();

    /** Python's {@code terminate()}: stops the worker JVMs now; outstanding results fail with {@link BrokenPoolException}. */
    void terminate();

    /**
     * Python's {@code join()}: waits until every worker JVM of this pool has exited.
     *
     * @throws IllegalStateException the pool is still running: call {@link #close()} or {@link #terminate()} first
     */
    void join();
}
