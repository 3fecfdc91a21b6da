package io.mproc.cli;

import io.mproc.cluster.protocol.Request;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code run.sh scale N}: sets how many workers of a standing cluster run on one host. More
 * start at once and take work from the running pools; fewer drain first (take no more work,
 * finish and return what they hold) and then leave, so no task is lost.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "Sets how many cluster workers run on one host (default: the cluster's own); a shrink drains workers before they stop.")
public final class ScaleCommand implements Callable<Integer> {
    @Mixin
    ClusterOption cluster;

    @Parameters(paramLabel = "N", description = "Workers to run on the host.")
    int workers;

    @Option(names = "--host", description = "The host whose workers to scale (as status shows it; default: the cluster's own).")
    String host;

    @Override
    public Integer call() {
        if (workers < 0) {
            throw new IllegalArgumentException("N must be >= 0: " + workers);
        }
        try (ClusterClient client = ClusterClient.connect(cluster.cluster)) {
            JsonObject reply = client.supervisor(new Request.Scale(workers, host), Duration.ofSeconds(30));
            System.out.println("workers on " + reply.getString("host") + ": " + reply.getInteger("workers")
                    + (reply.getJsonArray("added").isEmpty() ? "" : "; starting " + String.join(", ", reply.getJsonArray("added").stream().map(String::valueOf).toList()))
                    + (reply.getJsonArray("retiring").isEmpty() ? "" : "; draining " + String.join(", ", reply.getJsonArray("retiring").stream().map(String::valueOf).toList())));
            return 0;
        }
    }
}
