package io.mproc.cluster;

import io.mproc.ProcessException;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The writes this member of a cluster (one per {@link Node}, so two contexts in one JVM never
 * see each other's) sent without waiting for them ({@code DictProxy.set}), and the fence
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
    private final ArrayDeque<Write> writes = new ArrayDeque<>();

    private record Write(String what, CompletableFuture<?> future) {
    }

    /** An empty fence; each {@link Node} has one. */
    public Pending() {
    }

    /** The fence of this JVM's member of {@code cluster}. @throws io.mproc.ProcessException this JVM is not in it */
    public static Pending of(String cluster) {
        return Nodes.pending(cluster);
    }

    /** Sends a write with {@code send} and tracks it; waits first for the oldest when {@link #LIMIT} are in flight. */
    public void track(String what, Supplier<CompletionStage<?>> send) {
        Write oldest = null;
        synchronized (writes) {
            while (!writes.isEmpty() && writes.peekFirst().future().isDone()) {
                check(writes.pollFirst());
            }
            if (writes.size() >= LIMIT) {
                oldest = writes.peekFirst();
            }
        }
        if (oldest != null) {
            await(oldest);
        }
        CompletableFuture<?> future = send.get().toCompletableFuture();
        synchronized (writes) {
            writes.addLast(new Write(what, future));
        }
    }

    /** Waits until every write sent so far is stored; throws if one failed. Cheap when none is in flight. */
    public void drain() {
        while (true) {
            Write first;
            synchronized (writes) {
                first = writes.peekFirst();
            }
            if (first == null) {
                return;
            }
            await(first);
        }
    }

    /** Completes when every write sent so far is stored: for event loops, which must not wait. */
    public CompletionStage<Void> drained() {
        synchronized (writes) {
            if (writes.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.allOf(writes.stream().map(Write::future).toArray(CompletableFuture[]::new))
                    .handle((v, e) -> null);
        }
    }

    /** Waits for {@code write}, takes it out, and throws if it failed. */
    private void await(Write write) {
        try {
            write.future().join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            // reported by check below
        }
        synchronized (writes) {
            writes.remove(write);
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
