package io.mproc.cluster;

import io.mproc.ProcessException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** The one place where a public blocking call waits for a Vert.x future. */
public final class Blocking {
    private Blocking() {
    }

    /** Fails fast when called on an event loop, where waiting would deadlock. */
    public static void checkNotOnEventLoop(String call) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException(call + " blocks and must not be called on a Vert.x event-loop thread ("
                    + Thread.currentThread().getName() + "); use its async twin instead");
        }
    }

    /**
     * Makes something on {@code context} (so that, e.g., a consumer it registers is served there)
     * and returns it: at once when called on that context; from another event loop it fails
     * fast, as waiting there could deadlock.
     */
    public static <T> T onContext(Context context, Supplier<T> make) {
        if (Vertx.currentContext() == context) {
            return make.get();
        }
        checkNotOnEventLoop("making " + make);
        CompletableFuture<T> made = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                made.complete(make.get());
            } catch (RuntimeException e) {
                made.completeExceptionally(e);
            }
        });
        return made.join();
    }

    /** Waits for {@code future} at most {@code timeout}; {@code what} names the wait in errors. */
    public static <T> T await(Future<T> future, Duration timeout, String what) {
        checkNotOnEventLoop(what);
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r && cause instanceof ProcessException) {
                throw r;
            }
            throw new ProcessException(what + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new ProcessException(what + " did not complete within " + timeout.toSeconds() + " s", e);
        }
    }
}
