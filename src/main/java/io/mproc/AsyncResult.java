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

    /** Python's {@code callback}: called with the result once it succeeds. Returns this. */
    AsyncResult<R> onSuccess(Consumer<? super R> callback);

    /** Python's {@code error_callback}: called with the exception once the work fails. Returns this. */
    AsyncResult<R> onFailure(Consumer<? super Throwable> callback);
}
