package io.mproc.cluster;

import io.mproc.ProcessException;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster members of this JVM, by cluster name: how a handle that crossed JVMs (a queue,
 * a pipe end) finds the Vert.x to talk through in the JVM it arrived in. A JVM may hold
 * several members of one cluster (two {@code connect()} calls): a handle uses the oldest
 * that is still open.
 */
public final class Nodes {
    private static final Map<String, List<Node>> MEMBERS = new ConcurrentHashMap<>();

    private Nodes() {
    }

    public static void register(String cluster, Node node) {
        MEMBERS.compute(cluster, (k, nodes) -> {
            List<Node> more = nodes == null ? new ArrayList<>() : new ArrayList<>(nodes);
            more.add(node);
            return List.copyOf(more);
        });
    }

    /** Forgets {@code node}, and only it: another member of the same cluster in this JVM stays. */
    public static void unregister(String cluster, Node node) {
        MEMBERS.computeIfPresent(cluster, (k, nodes) -> {
            List<Node> rest = new ArrayList<>(nodes);
            rest.remove(node);
            return rest.isEmpty() ? null : List.copyOf(rest);
        });
    }

    /** The fence of this JVM's member of {@code cluster}. @throws ProcessException this JVM is not (or no longer) in it */
    public static Pending pending(String cluster) {
        return member(cluster).pending();
    }

    /** This JVM's member of {@code cluster}. @throws ProcessException this JVM is not (or no longer) in it */
    public static Vertx of(String cluster) {
        return member(cluster).vertx();
    }

    /** The id of this JVM's member of {@code cluster}. @throws ProcessException this JVM is not (or no longer) in it */
    public static String memberId(String cluster) {
        return member(cluster).memberId();
    }

    /** This JVM's Hazelcast member of {@code cluster}. @throws ProcessException this JVM is not (or no longer) in it */
    public static HazelcastInstance hazelcast(String cluster) {
        return member(cluster).hazelcast();
    }

    private static Node member(String cluster) {
        List<Node> nodes = MEMBERS.get(cluster);
        if (nodes == null) {
            throw new ProcessException("this JVM is not a member of cluster " + cluster
                    + "; was its context closed, or the handle sent to a JVM outside the cluster?");
        }
        return nodes.get(0);
    }
}
