package io.mproc.cluster;

import io.mproc.ProcessException;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The writes this JVM sent without waiting for them ({@code DictProxy.set}), and the fence
 * that orders them before anything else this process does that another process can see.
 *
 * <p>Every call that another process can observe (a queue or pipe operation, a lock, a
 * value, any other dict call, a task result, a process start or exit) first
 * {@link #drain drains} them: so a process that sets {@code d[k]} and then puts a message in a
 * queue, releases a lock or returns a result never lets another process see the message
 * without the write (release consistency). At most {@link #LIMIT} are in flight. A write that
 * failed is reported by the next drain.
 *
 * <p>Writes are kept in the order sent and waited for oldest first; no callback runs per
 * write (a callback per write costs a thread hand-off each, which is most of the cost of a
 * write on two cores).
 */
public final class Pending {
    static final int LIMIT = 512;
    private static final ArrayDeque<Write> WRITES = new ArrayDeque<>();

    private record Write(String what, CompletableFuture<?> future) {
    }

    private Pending() {
    }

    /** Sends a write with {@code send} and tracks it; waits first for the oldest when {@link #LIMIT} are in flight. */
    public static void track(String what, Supplier<CompletionStage<?>> send) {
        Write oldest = null;
        synchronized (WRITES) {
            while (!WRITES.isEmpty() && WRITES.peekFirst().future().isDone()) {
                check(WRITES.pollFirst());
            }
            if (WRITES.size() >= LIMIT) {
                oldest = WRITES.peekFirst();
            }
        }
        if (oldest != null) {
            await(oldest);
        }
        CompletableFuture<?> future = send.get().toCompletableFuture();
        synchronized (WRITES) {
            WRITES.addLast(new Write(what, future));
        }
    }

    /** Waits until every write sent so far is stored; throws if one failed. Cheap when none is in flight. */
    public static void drain() {
        while (true) {
            Write first;
            synchronized (WRITES) {
                first = WRITES.peekFirst();
            }
            if (first == null) {
                return;
            }
            await(first);
        }
    }

    /** Completes when every write sent so far is stored: for event loops, which must not wait. */
    public static CompletionStage<Void> drained() {
        synchronized (WRITES) {
            if (WRITES.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.allOf(WRITES.stream().map(Write::future).toArray(CompletableFuture[]::new))
                    .handle((v, e) -> null);
        }
    }

    /** Waits for {@code write}, takes it out, and throws if it failed. */
    private static void await(Write write) {
        try {
            write.future().join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            // reported by check below
        }
        synchronized (WRITES) {
            WRITES.remove(write);
        }
        check(write);
    }

    private static void check(Write write) {
        if (write.future().isCompletedExceptionally()) {
            Throwable cause;
            try {
                write.future().join();
                return;
            } catch (CompletionException e) {
                cause = e.getCause();
            } catch (RuntimeException e) {
                cause = e;
            }
            throw new ProcessException(write.what() + " failed: " + cause, cause);
        }
    }
}
