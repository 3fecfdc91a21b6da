package io.mproc.cli;

import io.mproc.cluster.ClusterAddress;
import io.mproc.cluster.protocol.Request;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code run.sh stop}: ends a standing cluster: its supervisor, every host's, and every worker JVM. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops a standing cluster: every worker and supervisor JVM on every host.")
public final class StopCommand implements Callable<Integer> {
    private static final long GONE_PATIENCE_MS = 30_000;

    @Mixin
    ClusterOption cluster;

    @Override
    public Integer call() throws InterruptedException {
        ClusterAddress address;
        try (ClusterClient client = ClusterClient.connect(cluster.cluster)) {
            address = client.address();
            JsonObject reply = client.supervisor(new Request.Stop(), Duration.ofSeconds(15));
            System.out.println("stopping cluster " + address + ": " + reply.getInteger("hosts") + " host(s)");
        }
        long deadline = System.currentTimeMillis() + GONE_PATIENCE_MS;
        while (System.currentTimeMillis() < deadline) {
            try {
                address.reachFrom();
            } catch (ClusterAddress.Unreachable gone) {
                System.out.println("stopped");
                return 0;
            }
            Thread.sleep(200);
        }
        throw new CliException(CliException.TIMEOUT, "cluster " + address + " still listens " + GONE_PATIENCE_MS / 1000 + " s after stop");
    }
}
