package io.mproc.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's Prometheus metrics ({@code GET /metrics}), read from the supervisor's status at
 * each scrape, in Micrometer's Prometheus registry:
 * <ul>
 * <li>{@code mproc_workers{state, host}}: worker JVMs by state, as {@code status} lists them;</li>
 * <li>{@code mproc_tasks_completed_total{pool}}, {@code mproc_tasks_failed_total{pool}}: tasks
 * the workers ran for each pool (by its address). A worker that left keeps its share: the last
 * counts each worker JVM (name and PID) reported are kept, so the totals never go down.</li>
 * </ul>
 */
final class ClusterMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Workers by "state host" in the last status. */
    private volatile Map<String, Integer> workers = Map.of();
    /** The last counts of each worker JVM ("name pid"), by pool: {completed, failed}. */
    private final Map<String, Map<String, long[]>> tasks = new ConcurrentHashMap<>();

    /** Takes in a status ({@code [{worker, host, pid, state, pools: {address: {completed, failed}}}]}). */
    synchronized void update(JsonArray rows) {
        Map<String, Integer> byState = new ConcurrentHashMap<>();
        for (Object r : rows) {
            JsonObject row = (JsonObject) r;
            String state = row.getString("state", "?");
            String host = row.getString("host", "?");
            if (byState.merge(state + " " + host, 1, Integer::sum) == 1) {
                Gauge.builder("mproc.workers", this, m -> m.workers.getOrDefault(state + " " + host, 0))
                        .description("worker JVMs by state and host").tags("state", state, "host", host).register(registry);
            }
            JsonObject pools = row.getJsonObject("pools");
            if (pools == null) {
                continue;
            }
            Map<String, long[]> mine = tasks.computeIfAbsent(row.getString("worker") + " " + row.getLong("pid"), w -> new ConcurrentHashMap<>());
            for (String pool : pools.fieldNames()) {
                JsonObject counts = pools.getJsonObject(pool);
                if (mine.put(pool, new long[]{counts.getLong("completed", 0L), counts.getLong("failed", 0L)}) == null) {
                    register(pool);
                }
            }
        }
        workers = byState;
    }

    private void register(String pool) {
        FunctionCounter.builder("mproc.tasks.completed", this, m -> m.total(pool, 0)).description("tasks completed, by pool")
                .tag("pool", pool).register(registry);
        FunctionCounter.builder("mproc.tasks.failed", this, m -> m.total(pool, 1)).description("tasks failed, by pool")
                .tag("pool", pool).register(registry);
    }

    private double total(String pool, int which) {
        return tasks.values().stream().mapToLong(byPool -> byPool.getOrDefault(pool, new long[2])[which]).sum();
    }

    /** The metrics in Prometheus' text format. */
    String scrape() {
        return registry.scrape();
    }
}
