package io.mproc.web;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mproc.cluster.Node;
import io.mproc.cluster.Settings;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The registry a cluster's {@code /metrics} shows: mproc's own metrics ({@link ClusterMetrics})
 * and, with {@code mproc.metrics=on} (the default), Vert.x's event-bus metrics of the cluster's
 * JVM ({@code vertx_eventbus_*}, by vertx-micrometer-metrics). Their {@code address} label names
 * an address family, never an address: mproc's addresses carry ids (a pool's, a queue's, a
 * worker's), so {@code mproc.pool.ab12-pool-3} is counted as {@code mproc.pool}; every address
 * outside mproc's ({@code __vertx.reply.*}, your verticles') as {@code other}. The number of
 * series stays bounded however many pools and queues come and go.
 */
public final class WebMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final boolean withVertx;

    private WebMetrics(boolean withVertx) {
        this.withVertx = withVertx;
        registry.config().meterFilter(MeterFilter.replaceTagValues(Label.EB_ADDRESS.toString(), WebMetrics::family));
    }

    /** For a cluster that serves HTTP: Vert.x's metrics unless {@code mproc.metrics=off}. */
    public static WebMetrics create(Settings settings) {
        String on = settings.get("mproc.metrics", "on");
        if (!on.equals("on") && !on.equals("off")) {
            throw new IllegalArgumentException("mproc.metrics must be on or off: '" + on + "'");
        }
        return new WebMetrics(on.equals("on"));
    }

    /** What the cluster's Vert.x is built with to feed this registry; null when Vert.x's metrics are off. */
    public Node.Metrics vertxMetrics() {
        if (!withVertx) {
            return null;
        }
        Set<String> others = Arrays.stream(MetricsDomain.values()).filter(d -> d != MetricsDomain.EVENT_BUS)
                .map(MetricsDomain::toCategory).collect(Collectors.toSet());
        return new Node.Metrics(new MicrometerMetricsFactory(registry), new MicrometerMetricsOptions().setEnabled(true)
                .setLabels(Set.of(Label.EB_ADDRESS, Label.EB_SIDE, Label.EB_FAILURE)).setDisabledMetricsCategories(others));
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The family of event-bus address {@code address}: {@code mproc.} and its next part, or {@code other}. */
    static String family(String address) {
        if (address == null || !address.startsWith("mproc.")) {
            return "other";
        }
        int end = address.indexOf('.', "mproc.".length());
        return end < 0 ? address : address.substring(0, end);
    }
}
