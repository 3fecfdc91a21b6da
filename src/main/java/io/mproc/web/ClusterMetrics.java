package io.mproc.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mproc.cluster.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * The cluster's Prometheus metrics ({@code GET /metrics}), read from the supervisor's status at
 * each scrape, in Micrometer's Prometheus registry:
 * <ul>
 * <li>{@code mproc_workers{state, host}}: worker JVMs by state, as {@code status} lists them;</li>
 * <li>{@code mproc_tasks_submitted_total}, {@code _completed_total}, {@code _failed_total},
 * {@code _timed_out_total}, {@code _cancelled_total}, {@code _retried_total}, each
 * {@code {pool}} (the pool's event-bus address): what became of each pool's tasks (items), as
 * its program counts them and tells the supervisor once a second;</li>
 * <li>{@code mproc_queue_depth{queue, program}}: the items each queue holds;</li>
 * <li>{@code mproc_worker_exits_total{reason}}: worker JVMs that ended, by reason (every exit of
 * a pool's worker is followed by its replacement while the pool runs).</li>
 * </ul>
 * Also in the registry, unless {@code mproc.metrics=off}: Vert.x's event-bus metrics ({@link WebMetrics}).
 */
final class ClusterMetrics {
    private static final String[][] TASKS = {{"submitted", "submitted"}, {"completed", "completed"}, {"failed", "failed (the task raised, or was lost past the retry limit)"},
            {"timedOut", "timed out"}, {"cancelled", "cancelled"}, {"retried", "run again after their worker was lost"}};

    private final PrometheusMeterRegistry registry;
    /** Workers by "state host" in the last status. */
    private volatile Map<String, Integer> workers = Map.of();
    /** Every pool's task counts, as last told: {pool address: {submitted, ...}}. */
    private volatile JsonObject tasks = new JsonObject();
    private volatile JsonObject exits = new JsonObject();
    /** Queue depth by "program queue" in the last status, and the gauges registered for them. */
    private volatile Map<String, Long> queues = Map.of();
    private final Map<String, Meter> queueGauges = new HashMap<>();

    ClusterMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    ClusterMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Takes in the supervisor's status ({@code {workers, tasks, queues, exitCounts}}, see {@code Request.Status}). */
    synchronized void update(JsonObject status) {
        Map<String, Integer> byState = new HashMap<>();
        for (Object r : status.getJsonArray("workers", new JsonArray())) {
            JsonObject row = (JsonObject) r;
            String state = row.getString("state", "?");
            String host = row.getString("host", "?");
            if (byState.merge(state + " " + host, 1, Integer::sum) == 1) {
                Gauge.builder("mproc.workers", this, m -> m.workers.getOrDefault(state + " " + host, 0))
                        .description("worker JVMs by state and host").tags("state", state, "host", host).register(registry);
            }
        }
        workers = byState;

        JsonObject byPool = new JsonObject();
        status.getJsonObject("tasks", new JsonObject()).forEach(e -> byPool.put(Addresses.POOL_PREFIX + e.getKey(), e.getValue()));
        for (String pool : byPool.fieldNames()) {
            if (!tasks.containsKey(pool)) {
                for (String[] kind : TASKS) {
                    FunctionCounter.builder("mproc.tasks." + snake(kind[0]), this, m -> count(m.tasks, pool, kind[0]))
                            .description("tasks " + kind[1] + ", by pool").tag("pool", pool).register(registry);
                }
            }
        }
        JsonObject merged = tasks.copy().mergeIn(byPool); // a pool the supervisor no longer keeps keeps its last counts
        tasks = merged;

        JsonObject counts = status.getJsonObject("exitCounts", new JsonObject());
        for (String reason : counts.fieldNames()) {
            if (!exits.containsKey(reason)) {
                FunctionCounter.builder("mproc.worker.exits", this, m -> m.exits.getLong(reason, 0L))
                        .description("worker JVMs that ended, by reason").tag("reason", reason).register(registry);
            }
        }
        exits = counts.copy();

        Map<String, Long> depths = new HashMap<>();
        for (Object q : status.getJsonArray("queues", new JsonArray())) {
            JsonObject queue = (JsonObject) q;
            String program = queue.getString("program", "?");
            String name = queue.getString("queue", "?");
            String key = program + " " + name;
            depths.put(key, queue.getLong("depth", 0L));
            queueGauges.computeIfAbsent(key, k -> Gauge.builder("mproc.queue.depth", this, m -> m.queues.getOrDefault(key, 0L))
                    .description("items in each queue").tags("queue", name, "program", program).register(registry));
        }
        queues = depths;
        queueGauges.entrySet().removeIf(gauge -> {
            if (depths.containsKey(gauge.getKey())) {
                return false;
            }
            registry.remove(gauge.getValue()); // the queue is gone: so is its series
            return true;
        });
    }

    private static double count(JsonObject tasks, String pool, String kind) {
        JsonObject counts = tasks.getJsonObject(pool);
        return counts == null ? 0 : counts.getLong(kind, 0L);
    }

    /** {@code timedOut} to {@code timed.out}, as Micrometer names (Prometheus then writes {@code timed_out}). */
    private static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1.$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** The metrics in Prometheus' text format. */
    String scrape() {
        return registry.scrape();
    }
}
