package io.mproc.runtime;

import io.mproc.cluster.Blocking;
import io.mproc.cluster.Node;
import io.mproc.cluster.Settings;
import io.mproc.cluster.Supervisor;
import io.mproc.ipc.NamedQueues;
import io.mproc.shared.Reaper;

import java.time.Duration;
import java.util.List;

/**
 * How a JVM founds a cluster, the one way for both {@link io.mproc.Multiprocessing#local()} and
 * {@code run.sh cluster}: it becomes the first (data) member and hosts the supervisor
 * ({@link Supervisor#found}), the reaper that frees what a departed member held
 * ({@link Reaper}), and the directory of named queues ({@link NamedQueues}). If a step fails,
 * the member leaves again.
 */
public final class Founding {
    private Founding() {
    }

    /** Founds cluster {@code name} at {@code host}:{@code port} (0: any); see {@link Supervisor#found} for the rest. */
    public static Node found(Settings settings, String name, String host, int port, int spares, List<String> workerJvmOptions,
                             Supervisor.Plan plan, Node.Metrics metrics) {
        Node node = Supervisor.found(settings, name, host, port, spares, workerJvmOptions, plan, metrics);
        try {
            Reaper.watch(name, node.hazelcast());
            Blocking.await(NamedQueues.serve(node.vertx(), node.hazelcast(), name), Duration.ofSeconds(30), "serving named queues");
            return node;
        } catch (RuntimeException e) {
            node.close(Duration.ofSeconds(5));
            throw e;
        }
    }
}
