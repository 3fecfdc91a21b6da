package io.mproc.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The metrics from fake status rows: gauges by state and host, task totals that never go down. */
@Timeout(10)
class ClusterMetricsTest {

    private static JsonObject row(String worker, long pid, String state, String pool, long completed, long failed) {
        JsonObject row = new JsonObject().put("worker", worker).put("pid", pid).put("host", "10.0.0.5").put("state", state);
        return pool == null ? row : row.put("pools", new JsonObject().put(pool, new JsonObject().put("completed", completed).put("failed", failed)));
    }

    @Test
    void workersByStateFollowTheLastStatusAndTaskTotalsKeepTheShareOfWorkersThatLeft() {
        ClusterMetrics metrics = new ClusterMetrics();
        metrics.update(new JsonArray().add(row("worker-1", 11, "busy", "mproc.pool.a", 600, 1)).add(row("worker-2", 12, "busy", "mproc.pool.a", 400, 0))
                .add(row("w3", 13, "spare", null, 0, 0)));
        String first = metrics.scrape();
        assertThat(first).contains("mproc_workers{host=\"10.0.0.5\",state=\"busy\"} 2.0", "mproc_workers{host=\"10.0.0.5\",state=\"spare\"} 1.0",
                "mproc_tasks_completed_total{pool=\"mproc.pool.a\"} 1000.0", "mproc_tasks_failed_total{pool=\"mproc.pool.a\"} 1.0");

        // worker-2 left; worker-1 went on; a new JVM took the name worker-2
        metrics.update(new JsonArray().add(row("worker-1", 11, "idle", "mproc.pool.a", 700, 1)).add(row("worker-2", 14, "idle", "mproc.pool.a", 5, 0)));
        String second = metrics.scrape();
        assertThat(second).contains("mproc_workers{host=\"10.0.0.5\",state=\"idle\"} 2.0", "mproc_workers{host=\"10.0.0.5\",state=\"busy\"} 0.0",
                "mproc_workers{host=\"10.0.0.5\",state=\"spare\"} 0.0", "mproc_tasks_completed_total{pool=\"mproc.pool.a\"} 1105.0");
    }
}
