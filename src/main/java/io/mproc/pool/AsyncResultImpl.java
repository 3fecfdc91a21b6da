package io.mproc.pool;

import io.mproc.AsyncResult;
import io.mproc.ProcessException;
import io.mproc.cluster.Blocking;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** An {@link AsyncResult} over a {@link CompletableFuture}; callbacks run on the pool's result thread. */
final class AsyncResultImpl<R> implements AsyncResult<R> {
    private static final System.Logger LOG = System.getLogger(AsyncResultImpl.class.getName());

    private final CompletableFuture<R> future = new CompletableFuture<>();
    private final Executor callbacks;
    /** Cancels the work's units that are not done; says whether there were any. Set once the work is submitted. */
    private volatile java.util.function.BooleanSupplier canceller = () -> false;

    private final java.util.concurrent.atomic.AtomicLong itemsDone = new java.util.concurrent.atomic.AtomicLong();
    private final long itemsTotal;

    /** @param itemsTotal how many items the work has */
    AsyncResultImpl(Executor callbacks, long itemsTotal) {
        this.callbacks = callbacks;
        this.itemsTotal = itemsTotal;
    }

    /** {@code items} more have their result here. */
    void itemsDone(int items) {
        itemsDone.addAndGet(items);
    }

    @Override
    public long itemsDone() {
        return itemsDone.get();
    }

    @Override
    public long itemsTotal() {
        return itemsTotal;
    }

    void complete(R value) {
        future.complete(value);
    }

    void fail(Throwable error) {
        future.completeExceptionally(error);
    }

    void cancelWith(java.util.function.BooleanSupplier canceller) {
        this.canceller = canceller;
    }

    @Override
    public boolean cancel() {
        if (future.isDone()) {
            return false;
        }
        canceller.getAsBoolean(); // fails each unit not done with CancellationException, and so this result
        return cancelled();
    }

    @Override
    public boolean cancelled() {
        return future.isCompletedExceptionally() && future.handle((v, e) -> e instanceof CancellationException).join();
    }

    @Override
    public CompletableFuture<R> toCompletableFuture() {
        CompletableFuture<R> view = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                AsyncResultImpl.this.cancel();
                return super.cancel(mayInterruptIfRunning) || AsyncResultImpl.this.cancelled();
            }
        };
        future.whenComplete((value, error) -> {
            if (error == null) {
                view.complete(value);
            } else {
                view.completeExceptionally(error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error);
            }
        });
        return view;
    }

    @Override
    public R get() {
        Blocking.checkNotOnEventLoop("AsyncResult.get()");
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessException("interrupted while waiting for a result", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    @Override
    public R get(Duration timeout) throws TimeoutException {
        Blocking.checkNotOnEventLoop("AsyncResult.get(Duration)");
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessException("interrupted while waiting for a result", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException("result not ready within " + timeout.toMillis() + " ms");
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        return cause instanceof RuntimeException r ? r : new ProcessException(String.valueOf(cause), cause);
    }

    @Override
    public boolean ready() {
        return future.isDone();
    }

    @Override
    public boolean successful() {
        if (!future.isDone()) {
            throw new IllegalStateException("result is not ready yet; call await() or get() first");
        }
        return !future.isCompletedExceptionally();
    }

    @Override
    public boolean await(Duration timeout) {
        Blocking.checkNotOnEventLoop("AsyncResult.await(Duration)");
        try {
            future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // ready() tells
        }
        return future.isDone();
    }

    @Override
    public AsyncResult<R> onSuccess(Consumer<? super R> callback) {
        future.thenAcceptAsync(value -> guarded(() -> callback.accept(value)), callbacks);
        return this;
    }

    @Override
    public AsyncResult<R> onFailure(Consumer<? super Throwable> callback) {
        future.whenCompleteAsync((value, error) -> {
            if (error != null) {
                guarded(() -> callback.accept(error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error));
            }
        }, callbacks);
        return this;
    }

    private static void guarded(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a result callback threw", e);
        }
    }
}
