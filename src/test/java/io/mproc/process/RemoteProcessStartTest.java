package io.mproc.process;

import io.mproc.ProcessException;
import io.mproc.ProcessOptions;
import io.mproc.RemoteProcess;
import io.mproc.cluster.Addresses;
import io.mproc.cluster.protocol.Event;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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

    @Test
    void aProcessThatExitedIsForgottenWithItsJob() throws Exception {
        // a fake supervisor: it says the process runs in pid 42 and keeps no record (the real one lives in the cluster)
        vertx.eventBus().<JsonObject>consumer(Addresses.SUPERVISOR, m -> m.reply(new JsonObject()
                .put("workers", new JsonArray().add(new JsonObject().put("name", "Process-1").put("pid", 42))))).completion().await();
        ProcessTable table = new ProcessTable(vertx, new io.mproc.cluster.Pending(), "");
        RemoteProcessImpl p = (RemoteProcessImpl) table.create(() -> { }, ProcessOptions.defaults());
        p.start();
        assertThat(p.pid()).isEqualTo(42L);
        assertThat(p.job()).isNotEmpty();
        assertThat(table.size()).isEqualTo(1);
        vertx.eventBus().publish(Addresses.EVENTS, new Event.WorkerExit("Process-1", p.id(), 42, 0, "127.0.0.1", "ended").toJson());
        assertThat(p.join(Duration.ofSeconds(5))).isTrue();
        assertThat(p.exitCode()).isZero();
        assertThat(p.job()).as("the job's bytes are dropped").isEmpty();
        assertThat(table.size()).as("the table forgets it").isZero();
        assertThat(p.isAlive()).isFalse();
        table.shutdown();
    }
}
