package io.mproc.cli;

import io.mproc.cluster.protocol.Request;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code run.sh status}: one line per worker JVM of a standing cluster, over all its hosts. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Lists the workers of a standing cluster: worker, host, pid, state, tasks done, uptime, RSS, group.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    ClusterOption cluster;

    @Option(names = "--json", description = "Print the supervisor's JSON answer instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        java.util.Optional<BridgeClient> bridge = BridgeClient.of(cluster.cluster);
        java.util.Optional<BridgeClient.Answer> bridged = bridge.flatMap(BridgeClient::status)
                .filter(answer -> answer.status() == 200);
        if (bridged.isPresent()) {
            cluster.say("status", "via the HTTP bridge at " + bridge.get().base());
            return print(new JsonArray(bridged.get().body()), bridge.get().cluster().toString());
        }
        cluster.say("status", "joining the cluster (no bridge of it answered" + bridge.map(b -> " at " + b.base()).orElse("") + ")");
        try (ClusterClient client = ClusterClient.connect(cluster.cluster)) {
            return print(client.supervisor(new Request.Status(), Duration.ofSeconds(15)).getJsonArray("workers"), client.address().toString());
        }
    }

    private int print(JsonArray rows, String address) {
        if (json) {
            System.out.println(rows.encode());
            return 0;
        }
        String format = "%-24s %-15s %8s %-9s %8s %9s %8s  %s%n";
        System.out.printf(format, "WORKER", "HOST", "PID", "STATE", "TASKS", "UPTIME", "RSS", "GROUP");
        for (Object r : rows) {
            JsonObject row = (JsonObject) r;
            long rss = row.getLong("rssKb", -1L);
            System.out.printf(format, row.getString("worker"), row.getString("host"), row.getLong("pid"), row.getString("state"),
                    row.getLong("tasks", 0L), uptime(row.getLong("uptimeMs", 0L)), rss < 0 ? "?" : (rss + 512) / 1024 + " MB",
                    row.getString("group") == null ? "-" : row.getString("group"));
        }
        System.out.println(rows.size() + " worker(s) in cluster " + address);
        return 0;
    }

    private static String uptime(long millis) {
        long s = millis / 1000;
        return s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" + String.format("%02d", s % 60) + "s" : s / 3600 + "h" + String.format("%02d", s / 60 % 60) + "m";
    }
}
