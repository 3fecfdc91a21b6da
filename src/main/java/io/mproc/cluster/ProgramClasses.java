package io.mproc.cluster;

import io.mproc.codec.ProgramLoader;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.internal.VertxInternal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The classes of the programs whose code runs in this JVM (a worker's): one
 * {@link ProgramLoader} per program, named by its member id, which fetches what this JVM's class
 * path lacks from that program's {@link ClassServer}. When the program's member leaves the
 * cluster its loader is dropped, with everything kept for it ({@link #whenGone}), so that its
 * classes can be unloaded.
 *
 * <p>A fetch blocks the thread that loads the class (the task thread, a process's main
 * thread, an event loop deploying a verticle) for one event-bus round trip; its reply is
 * handled on a worker context of its own, so that a fetch from an event loop cannot wait on
 * itself.
 */
public final class ProgramClasses {
    /** How long a fetch waits for the program's answer. */
    static final long FETCH_TIMEOUT_MS = 30_000;

    private final Vertx vertx;
    private final Context fetching;
    private final Map<String, ProgramLoader> loaders = new ConcurrentHashMap<>();
    private final Map<String, List<Runnable>> onGone = new ConcurrentHashMap<>();
    /** Every loader made here and not yet collected: how the loaders of gone programs are seen to go. */
    private final Set<ProgramLoader> made = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    ProgramClasses(Node node) {
        this.vertx = node.vertx();
        this.fetching = ((VertxInternal) vertx).createWorkerContext();
        node.onMembership(() -> { }, this::left);
    }

    /** The loader of {@code program}'s classes, made on first use; null for no program (classes load as the JDK does). */
    public ProgramLoader loaderOf(String program) {
        if (program == null || program.isEmpty()) {
            return null;
        }
        return loaders.computeIfAbsent(program, p -> {
            ProgramLoader loader = new ProgramLoader(p, ProgramClasses.class.getClassLoader(), path -> fetch(p, path));
            made.add(loader);
            return loader;
        });
    }

    /** Runs {@code action} when {@code program} leaves the cluster (at once if it is not known here). */
    public void whenGone(String program, Runnable action) {
        onGone.computeIfAbsent(program, p -> Collections.synchronizedList(new ArrayList<>())).add(action);
        if (!loaders.containsKey(program)) {
            left(program);
        }
    }

    /** How many programs have a loader here now. */
    public int programs() {
        return loaders.size();
    }

    /** How many loaders made here are still in memory (those of gone programs go at a garbage collection that unloads classes). */
    public int loadersInMemory() {
        synchronized (made) {
            return made.size();
        }
    }

    private void left(String member) {
        loaders.remove(member);
        List<Runnable> actions = onGone.remove(member);
        if (actions != null) {
            synchronized (actions) {
                actions.forEach(Runnable::run);
            }
        }
    }

    /** The bytes of {@code path} from {@code program}'s class server; null if it has none. */
    private byte[] fetch(String program, String path) {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(FETCH_TIMEOUT_MS);
        fetching.runOnContext(v -> vertx.eventBus().<Buffer>request(Addresses.classes(program), path, options).onComplete(reply -> {
            if (reply.succeeded()) {
                answer.complete(reply.result().body().getBytes());
            } else if (reply.cause() instanceof ReplyException e && e.failureCode() == ClassServer.NOT_FOUND) {
                answer.complete(null);
            } else {
                answer.completeExceptionally(reply.cause());
            }
        }));
        try {
            return answer.get(FETCH_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new UncheckedIOException(new IOException(Patient.noHandlers(e.getCause())
                    ? "it has left the cluster" : String.valueOf(e.getCause().getMessage()), e.getCause()));
        } catch (TimeoutException e) {
            throw new UncheckedIOException(new IOException("no answer in " + FETCH_TIMEOUT_MS + " ms", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }
}
