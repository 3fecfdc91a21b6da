package io.mproc.process;

import io.mproc.ProcessException;
import io.mproc.ProcessOptions;
import io.mproc.RemoteProcess;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A process whose start request fails, on a real (unclustered) event bus with no supervisor
 * on it: it is not alive afterwards and the table shuts down at once. Milliseconds, no JVM started.
 */
@Timeout(30)
class RemoteProcessStartTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void aProcessWhoseStartFailsIsNotAliveAndShutdownReturns() {
        ProcessTable table = new ProcessTable(vertx, new io.mproc.cluster.Pending(), "");
        RemoteProcess p = table.create(() -> { }, ProcessOptions.name("lonely"));
        assertThatThrownBy(p::start).isInstanceOf(ProcessException.class)
                .hasMessageContaining("process lonely could not be started");
        assertThat(p.isAlive()).isFalse();
        assertThat(p.exitCode()).isNull();
        assertThat(table.active()).isEmpty();
        long t = System.nanoTime();
        table.shutdown();
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(5));
    }
}
