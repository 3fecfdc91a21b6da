package io.mproc.cluster;

import io.mproc.ProcessException;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster members of this JVM, by cluster name: how a handle that crossed JVMs (a queue,
 * a pipe end) finds the Vert.x to talk through in the JVM it arrived in.
 */
public final class Nodes {
    private static final Map<String, Vertx> MEMBERS = new ConcurrentHashMap<>();

    private Nodes() {
    }

    public static void register(String cluster, Vertx vertx) {
        MEMBERS.put(cluster, vertx);
    }

    public static void unregister(String cluster) {
        MEMBERS.remove(cluster);
    }

    /** This JVM's member of {@code cluster}. @throws ProcessException this JVM is not (or no longer) in it */
    public static Vertx of(String cluster) {
        Vertx vertx = MEMBERS.get(cluster);
        if (vertx == null) {
            throw new ProcessException("this JVM is not a member of cluster " + cluster
                    + "; was its context closed, or the handle sent to a JVM outside the cluster?");
        }
        return vertx;
    }
}
