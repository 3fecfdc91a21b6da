package io.mproc.cluster;

import io.mproc.codec.SentClasses;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A program's side of classes on demand: a worker's request for a class file or resource
 * ({@code com/example/Shape.class}) runs in the program's JVM as a {@link Fetch} on Hazelcast's
 * executor {@link #EXECUTOR}, and is answered with its bytes as the program sees them
 * ({@link SentClasses}: the loaders its tasks, arguments and jobs came from, then its class
 * path), or null. Hazelcast's own threads carry it both ways, not Vert.x's event loops: a worker
 * that loads a class on an event loop (a verticle's code) waits for the answer without
 * standing in its way. Only members of the cluster can ask: Hazelcast runs tasks for members
 * only, and a member proved it holds the cluster's identity when it joined.
 */
public final class ClassServer {
    /** The Hazelcast executor class requests run on. */
    static final String EXECUTOR = "mproc.classes";
    private static final Map<String, SentClasses> SERVED = new ConcurrentHashMap<>();

    private ClassServer() {
    }

    /** Serves {@code sent} as the classes of the program whose member is {@code member}, in this JVM, until {@link #stop}. */
    public static void serve(String member, SentClasses sent) {
        SERVED.put(member, sent);
    }

    /** Stops serving {@code member}'s classes (its context closes). */
    public static void stop(String member) {
        SERVED.remove(member);
    }

    /** The bytes of {@code path} in program {@code member}'s classes; null if it has none. */
    static byte[] answer(String member, String path) {
        String problem = problem(path);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        SentClasses sent = SERVED.get(member);
        if (sent == null) {
            throw new IllegalStateException("no program of member " + member + " runs in this JVM (its context closed)");
        }
        return sent.bytes(path);
    }

    /** What is wrong with a requested path, or null: a relative path in a class path, as {@code ClassLoader.getResource} takes. */
    static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "a class request is the path of a class file or resource, e.g. com/example/Shape.class";
        }
        if (path.startsWith("/") || path.contains("\\") || path.contains("..") || path.indexOf('\0') >= 0) {
            return "not a class path resource: '" + path + "' (a relative path without '..', e.g. com/example/Shape.class)";
        }
        return null;
    }

    /** A worker's request, run in the program's JVM. */
    record Fetch(String member, String path) implements Callable<byte[]>, Serializable {
        @Override
        public byte[] call() {
            return answer(member, path);
        }
    }
}
