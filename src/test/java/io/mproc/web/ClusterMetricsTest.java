package io.mproc.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The metrics from fake supervisor statuses: gauges by state and host, task and exit counts that never go down, queue depths. */
@Timeout(10)
class ClusterMetricsTest {

    private static JsonObject row(String worker, long pid, String state) {
        return new JsonObject().put("worker", worker).put("pid", pid).put("host", "10.0.0.5").put("state", state);
    }

    private static JsonObject tally(long submitted, long completed, long failed, long timedOut, long cancelled, long retried) {
        return new JsonObject().put("submitted", submitted).put("completed", completed).put("failed", failed).put("timedOut", timedOut)
                .put("cancelled", cancelled).put("retried", retried);
    }

    @Test
    void eachScrapeShowsTheLastStatusAndCountsNeverGoDown() {
        ClusterMetrics metrics = new ClusterMetrics();
        metrics.update(new JsonObject()
                .put("workers", new JsonArray().add(row("worker-1", 11, "busy")).add(row("worker-2", 12, "busy")).add(row("w3", 13, "spare")))
                .put("tasks", new JsonObject().put("a", tally(1200, 1000, 1, 2, 3, 4)))
                .put("queues", new JsonArray().add(new JsonObject().put("queue", "jobs").put("program", "program-1").put("depth", 7).put("maxsize", 0)))
                .put("exitCounts", new JsonObject().put("killed (SIGKILL)", 2)));
        String first = metrics.scrape();
        assertThat(first).contains("mproc_workers{host=\"10.0.0.5\",state=\"busy\"} 2.0", "mproc_workers{host=\"10.0.0.5\",state=\"spare\"} 1.0",
                "mproc_tasks_submitted_total{pool=\"mproc.pool.a\"} 1200.0", "mproc_tasks_completed_total{pool=\"mproc.pool.a\"} 1000.0",
                "mproc_tasks_failed_total{pool=\"mproc.pool.a\"} 1.0", "mproc_tasks_timed_out_total{pool=\"mproc.pool.a\"} 2.0",
                "mproc_tasks_cancelled_total{pool=\"mproc.pool.a\"} 3.0", "mproc_tasks_retried_total{pool=\"mproc.pool.a\"} 4.0",
                "mproc_queue_depth{program=\"program-1\",queue=\"jobs\"} 7.0", "mproc_worker_exits_total{reason=\"killed (SIGKILL)\"} 2.0");

        // pool a is no longer in the status (the supervisor dropped it), b is new; the queue is gone
        metrics.update(new JsonObject().put("workers", new JsonArray().add(row("worker-1", 11, "idle")).add(row("worker-2", 14, "idle")))
                .put("tasks", new JsonObject().put("b", tally(5, 5, 0, 0, 0, 0)))
                .put("exitCounts", new JsonObject().put("killed (SIGKILL)", 2).put("stopped", 1)));
        String second = metrics.scrape();
        assertThat(second).contains("mproc_workers{host=\"10.0.0.5\",state=\"idle\"} 2.0", "mproc_workers{host=\"10.0.0.5\",state=\"busy\"} 0.0",
                "mproc_workers{host=\"10.0.0.5\",state=\"spare\"} 0.0", "mproc_tasks_completed_total{pool=\"mproc.pool.a\"} 1000.0",
                "mproc_tasks_completed_total{pool=\"mproc.pool.b\"} 5.0", "mproc_worker_exits_total{reason=\"stopped\"} 1.0")
                .doesNotContain("mproc_queue_depth{");
    }
}
