package io.mproc.cluster;

import io.mproc.cluster.protocol.Request;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the programs' maps stand, as their pools last said ({@link Request.Progress}), for the
 * status page. A pool that has said nothing for {@link #STALE_MS} (its program ended or was
 * killed) is forgotten, as is one whose maps are all done.
 */
final class MapBoard {
    /** A pool silent this long is left out. */
    static final long STALE_MS = 5_000;

    private record Said(Request.Progress progress, long at) {
    }

    private final Map<String, Said> pools = new LinkedHashMap<>();

    synchronized void said(Request.Progress progress, long now) {
        if (progress.maps().isEmpty()) {
            pools.remove(progress.pool());
        } else {
            pools.put(progress.pool(), new Said(progress, now));
        }
    }

    /** {@code [{pool, maps: [{map, done, total}]}]}, the pools heard from within {@link #STALE_MS}. */
    synchronized JsonArray rows(long now) {
        pools.values().removeIf(said -> now - said.at() > STALE_MS);
        JsonArray rows = new JsonArray();
        for (Said said : pools.values()) {
            JsonObject row = said.progress().toJson();
            row.remove("op");
            rows.add(row);
        }
        return rows;
    }
}
