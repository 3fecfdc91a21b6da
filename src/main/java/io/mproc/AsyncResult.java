package io.mproc;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The result of work submitted with {@link Pool#applyAsync}, {@link Pool#mapAsync} or
 * {@link Pool#starmapAsync}: Python's {@code AsyncResult}.
 *
 * <p>Callbacks run on the pool's result thread, one at a time, as Python's do: keep them
 * short. A callback added after the result is ready runs at once on that thread.
 *
 * @param <R> result type
 */
public interface AsyncResult<R> {

    /**
     * Waits for the result and returns it (Python's {@code get()}).
     *
     * @throws RemoteTaskException    the task threw in its worker
     * @throws SerializationException an argument or the result could not be serialized
     * @throws BrokenPoolException    its workers were lost past the retry limit, or the pool was terminated
     * @throws TaskTimeoutException   a task ran past the pool's {@link PoolOptions#taskTimeout(Duration)}
     * @throws java.util.concurrent.CancellationException it was {@linkplain #cancel() cancelled}
     */
    R get();

    /**
     * Waits at most {@code timeout} for the result (Python's {@code get(timeout)}).
     *
     * @throws TimeoutException the result is not ready in time; the work goes on
     */
    R get(Duration timeout) throws TimeoutException;

    /** Whether the work has completed, successfully or not. */
    boolean ready();

    /**
     * Whether the work completed without an exception (Python's {@code successful()}).
     *
     * @throws IllegalStateException the result is not ready yet, as Python raises {@code ValueError}
     */
    boolean successful();

    /** Waits at most {@code timeout} for the result to be ready (Python's {@code wait}); returns {@link #ready()}. */
    boolean await(Duration timeout);

    /**
     * Cancels the work, as {@link java.util.concurrent.Future#cancel}: work not started yet is
     * dropped and never runs; a task running now is stopped by stopping the worker JVM that
     * runs it (a thread cannot be stopped safely), which the pool replaces; the other tasks that
     * worker held run elsewhere, uncharged. For a {@code mapAsync} or {@code starmapAsync} it
     * cancels every task not finished yet. Afterwards {@link #get()} throws
     * {@link java.util.concurrent.CancellationException} and {@link #ready()} is true.
     *
     * @return whether this call cancelled it; false when it had completed already
     */
    boolean cancel();

    /** Whether {@link #cancel()} ended it. */
    boolean cancelled();

    /**
     * How many of the work's items have their result back here, as of now: a map's progress
     * (Dask's {@code progress}, tqdm around {@code imap}), e.g. {@code itemsDone() + "/" + itemsTotal()}.
     * Counted by chunks, as their results arrive; a failed or cancelled item does not count.
     */
    long itemsDone();

    /** How many items the work has: the items of a {@code mapAsync} or {@code starmapAsync}, 1 for an {@code applyAsync}. */
    long itemsTotal();

    /**
     * This result as a {@link java.util.concurrent.CompletableFuture}, to compose the usual Java
     * way ({@code thenApply}, {@code allOf}, ...); cancelling it cancels the work as {@link #cancel()}
     * does. A task's failure completes it exceptionally with the exception {@link #get()} throws.
     */
    java.util.concurrent.CompletableFuture<R> toCompletableFuture();

    /** Python's {@code callback}: called with the result once it succeeds. Returns this. */
    AsyncResult<R> onSuccess(Consumer<? super R> callback);

    /** Python's {@code error_callback}: called with the exception once the work fails. Returns this. */
    AsyncResult<R> onFailure(Consumer<? super Throwable> callback);
}
