package io.mproc.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import io.mproc.codec.ProgramLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The classes of the programs whose code runs in this JVM (a worker's): one
 * {@link ProgramLoader} per program, named by its member id, which fetches what this JVM's class
 * path lacks from that program ({@link ClassServer}). When the program's member leaves the
 * cluster its loader is dropped, with everything kept for it ({@link #whenGone}), so that its
 * classes can be unloaded.
 *
 * <p>A fetch blocks the thread that loads the class (the task thread, a process's main
 * thread, an event loop running a verticle's code) for one round trip to the program, carried
 * by Hazelcast's threads; a program that is no member any more fails it at once.
 */
public final class ProgramClasses {
    /** How long a fetch waits for the program's answer. */
    static final long FETCH_TIMEOUT_MS = 30_000;

    private final Node node;
    private final Map<String, ProgramLoader> loaders = new ConcurrentHashMap<>();
    private final Map<String, List<Runnable>> onGone = new HashMap<>();
    /** Every loader made here and not yet collected: how the loaders of gone programs are seen to go. */
    private final Set<ProgramLoader> made = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    ProgramClasses(Node node) {
        this.node = node;
        node.onMembership(() -> { }, this::left);
    }

    /**
     * The loader of {@code program}'s classes, made on first use; null for no program (classes
     * load as the JDK does). A program that is no member of the cluster gets one that is not
     * kept: it can fetch nothing.
     */
    public ProgramLoader loaderOf(String program) {
        if (program == null || program.isEmpty()) {
            return null;
        }
        ProgramLoader known = loaders.get(program);
        if (known != null) {
            return known;
        }
        ProgramLoader loader = loaders.computeIfAbsent(program, p -> {
            ProgramLoader fresh = new ProgramLoader(p, ProgramClasses.class.getClassLoader(), path -> fetch(p, path));
            made.add(fresh);
            return fresh;
        });
        if (node.member(program) == null) {
            left(program); // it left before its first use here (a verticle listed for a program that is gone)
        }
        return loader;
    }

    /** Runs {@code action} when {@code program} leaves the cluster (at once if it is not a member). */
    public void whenGone(String program, Runnable action) {
        synchronized (onGone) {
            if (loaders.containsKey(program) && node.member(program) != null) {
                onGone.computeIfAbsent(program, p -> new ArrayList<>()).add(action);
                return;
            }
        }
        action.run();
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
        List<Runnable> actions;
        ProgramLoader gone;
        synchronized (onGone) {
            gone = loaders.remove(member);
            actions = onGone.remove(member);
        }
        if (actions != null) {
            actions.forEach(Runnable::run);
        }
        if (gone != null) {
            gone.close();
        }
    }

    /** The bytes of {@code path} from {@code program}; null if it has none. */
    private byte[] fetch(String program, String path) {
        Member target = node.member(program);
        if (target == null) {
            throw new UncheckedIOException(new IOException("it has left the cluster"));
        }
        Future<byte[]> answer = node.hazelcast().getExecutorService(ClassServer.EXECUTOR).submitToMember(new ClassServer.Fetch(program, path), target);
        try {
            return answer.get(FETCH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            boolean gone = cause instanceof MemberLeftException || cause instanceof TargetNotMemberException
                    || cause instanceof HazelcastInstanceNotActiveException;
            throw new UncheckedIOException(new IOException(gone ? "it has left the cluster" : String.valueOf(cause), cause));
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new UncheckedIOException(new IOException("no answer in " + FETCH_TIMEOUT_MS + " ms", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }
}
