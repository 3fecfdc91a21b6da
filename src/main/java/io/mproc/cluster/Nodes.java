package io.mproc.cluster;

import io.mproc.ProcessException;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster members of this JVM, by cluster name: how a handle that crossed JVMs (a queue,
 * a pipe end) finds the Vert.x to talk through in the JVM it arrived in.
 */
public final class Nodes {
    private static final Map<String, Node> MEMBERS = new ConcurrentHashMap<>();

    private Nodes() {
    }

    public static void register(String cluster, Node node) {
        MEMBERS.put(cluster, node);
    }

    public static void unregister(String cluster) {
        MEMBERS.remove(cluster);
    }

    /** This JVM's member of {@code cluster}. @throws ProcessException this JVM is not (or no longer) in it */
    public static Vertx of(String cluster) {
        return member(cluster).vertx();
    }

    /** This JVM's Hazelcast member of {@code cluster}. @throws ProcessException this JVM is not (or no longer) in it */
    public static HazelcastInstance hazelcast(String cluster) {
        return member(cluster).hazelcast();
    }

    private static Node member(String cluster) {
        Node node = MEMBERS.get(cluster);
        if (node == null) {
            throw new ProcessException("this JVM is not a member of cluster " + cluster
                    + "; was its context closed, or the handle sent to a JVM outside the cluster?");
        }
        return node;
    }
}
