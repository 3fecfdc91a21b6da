package io.mproc.cluster;

import io.mproc.cluster.protocol.Request;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the programs told the supervisor, for the status page and {@code /metrics}: how each
 * pool's maps stand ({@link Request.Progress}), what became of each pool's tasks, and the
 * queues each program hosts ({@link Request.Queues}). Maps and queues are shown as last said:
 * a pool or program silent for {@link #STALE_MS} (it ended or was killed) is left out, as is
 * one that said it has none. Task counts only grow and outlive their pool (a Prometheus
 * counter must not go down); the last {@link #TALLIES_KEPT} pools' are kept.
 */
final class ProgramBoard {
    /** A pool or program silent this long is left out. */
    static final long STALE_MS = 5_000;
    /** The task counts of this many pools are kept, the least recently heard from dropped first. */
    static final int TALLIES_KEPT = 1_000;

    private record Said<V>(V value, long at) {
    }

    private final Map<String, Said<Request.Progress>> maps = new LinkedHashMap<>();
    private final Map<String, Said<Request.Queues>> queues = new LinkedHashMap<>();
    private final Map<String, Request.Progress.Tally> tallies = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Request.Progress.Tally> eldest) {
            return size() > TALLIES_KEPT;
        }
    };

    synchronized void progress(Request.Progress progress, long now) {
        tallies.put(progress.pool(), progress.tasks());
        if (progress.maps().isEmpty()) {
            maps.remove(progress.pool());
        } else {
            maps.put(progress.pool(), new Said<>(progress, now));
        }
    }

    synchronized void queues(Request.Queues said, long now) {
        if (said.queues().isEmpty()) {
            queues.remove(said.program());
        } else {
            queues.put(said.program(), new Said<>(said, now));
        }
    }

    /** {@code [{pool, maps: [{map, done, total, failed, retried, cancelled}], tasks}]}: the pools with maps running. */
    synchronized JsonArray pools(long now) {
        JsonArray rows = new JsonArray();
        for (Said<Request.Progress> said : fresh(maps, now)) {
            JsonObject row = said.value().toJson();
            row.remove("op");
            rows.add(row);
        }
        return rows;
    }

    /** What was said within {@link #STALE_MS} of {@code now}; the rest is forgotten. */
    private static <V> java.util.Collection<Said<V>> fresh(Map<String, Said<V>> said, long now) {
        said.values().removeIf(s -> now - s.at() > STALE_MS);
        return said.values();
    }

    /** {@code {pool: {submitted, completed, failed, timedOut, cancelled, retried}}}: every pool's task counts kept. */
    synchronized JsonObject tasks() {
        JsonObject all = new JsonObject();
        tallies.forEach((pool, tally) -> all.put(pool, tally.toJson()));
        return all;
    }

    /** {@code [{queue, depth, maxsize, program}]}: the queues the programs heard from within {@link #STALE_MS} host. */
    synchronized JsonArray queues(long now) {
        JsonArray rows = new JsonArray();
        for (Said<Request.Queues> said : fresh(queues, now)) {
            for (Request.Queues.QueueState queue : said.value().queues()) {
                rows.add(new JsonObject().put("queue", queue.queue()).put("depth", queue.depth()).put("maxsize", queue.maxsize())
                        .put("program", said.value().program()));
            }
        }
        return rows;
    }
}
