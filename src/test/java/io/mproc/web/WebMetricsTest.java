package io.mproc.web;

import io.mproc.cluster.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event-bus metrics' address label: a family of mproc's addresses, never an id; everything else is "other". */
@Timeout(10)
class WebMetricsTest {

    @Test
    void anAddressIsCountedAsItsFamily() {
        assertThat(WebMetrics.family("mproc.pool.ab12cd34-pool-3")).isEqualTo("mproc.pool");
        assertThat(WebMetrics.family("mproc.queue.9f0e7a1c-0000-4000-8000-000000000000")).isEqualTo("mproc.queue");
        assertThat(WebMetrics.family("mproc.worker.worker-12")).isEqualTo("mproc.worker");
        assertThat(WebMetrics.family("mproc.supervisor")).isEqualTo("mproc.supervisor");
        assertThat(WebMetrics.family("mproc.demo.square")).isEqualTo("mproc.demo");
        assertThat(WebMetrics.family("__vertx.reply.42")).isEqualTo("other");
        assertThat(WebMetrics.family("com.example.echo")).isEqualTo("other");
        assertThat(WebMetrics.family(null)).isEqualTo("other");
    }

    @Test
    void vertxMetricsAreOnByDefaultOffWhenAskedAndABadValueSaysSo() {
        assertThat(WebMetrics.create(Settings.load()).vertxMetrics()).isNotNull();
        try {
            System.setProperty("mproc.metrics", "off");
            assertThat(WebMetrics.create(Settings.load()).vertxMetrics()).isNull();
            System.setProperty("mproc.metrics", "yes");
            assertThatThrownBy(() -> WebMetrics.create(Settings.load()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mproc.metrics must be on or off: 'yes'");
        } finally {
            System.clearProperty("mproc.metrics");
        }
    }
}
