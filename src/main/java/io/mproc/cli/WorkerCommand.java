package io.mproc.cli;

import io.mproc.cluster.Addresses;
import io.mproc.cluster.ClusterAddress;
import io.mproc.cluster.Logs;
import io.mproc.cluster.Node;
import io.mproc.cluster.Nodes;
import io.mproc.cluster.Settings;
import io.mproc.cluster.Supervisor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code run.sh worker --join HOST:PORT}: adds this host's worker JVMs to a standing cluster.
 * This JVM joins as a lite member and supervises them (replaces those that die, scales them);
 * they serve the cluster's pools like the cluster's own. Ctrl-C, SIGTERM or {@code run.sh stop}
 * ends them; they also end when this JVM is killed, even by {@code kill -9}. When the cluster
 * itself dies (its JVM is killed), this JVM and its workers end within seconds, with exit code
 * {@link CliException#CLUSTER_GONE}, so that a service manager (systemd, Kubernetes) restarts it.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Adds this host's worker JVMs to a standing cluster, in the foreground.")
public final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--join", required = true, paramLabel = "[NAME@]HOST:PORT", description = "The cluster's address, as run.sh cluster prints it.")
    String join;

    @Option(names = "--workers", description = "Worker JVMs on this host (default: its cores).")
    Integer workers;

    @Option(names = "--host", description = "This host's address to bind and advertise (default: the one that reaches the cluster).")
    String host;

    @Override
    public Integer call() throws InterruptedException {
        ClusterAddress cluster = ClusterAddress.parse(join);
        int n = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        if (n < 0) {
            throw new IllegalArgumentException("--workers must be >= 0: " + n);
        }
        Settings settings = Settings.load();
        Logs.quiet(settings);
        String bind;
        try {
            bind = host != null ? host : cluster.reachFrom();
        } catch (ClusterAddress.Unreachable e) {
            throw new CliException(CliException.UNREACHABLE, e.getMessage());
        }
        Supervisor.Plan plan = new Supervisor.Plan(Addresses.SUPERVISOR + "." + UUID.randomUUID().toString().substring(0, 8), n,
                List.of(), bind + "-worker-", () -> System.exit(0));
        Node node = Supervisor.joinAsHost(settings, cluster.name(), bind, cluster.hostPort(), plan);
        node.onClusterGone(() -> {
            // nothing is left to flush to or hand work back to: end at once; the workers see their stdin close and end too
            System.err.println("mproc worker: the cluster at " + cluster + " is gone (its run.sh cluster JVM left or died); this host's "
                    + n + " worker(s) end with it. Exit code " + CliException.CLUSTER_GONE + ": restart this agent once the cluster is back");
            System.err.flush();
            Runtime.getRuntime().halt(CliException.CLUSTER_GONE);
        });
        return ClusterCommand.serve(cluster.name(), node, "mproc workers of cluster " + cluster + " on " + bind + ": " + n
                + "; Ctrl-C stops them");
    }
}
