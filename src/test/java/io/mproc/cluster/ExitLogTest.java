package io.mproc.cluster;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The recent worker exits the status page lists, and the reasons {@code /metrics} counts them by. */
@Timeout(10)
class ExitLogTest {

    @Test
    void aReasonSaysWhatEndedTheWorker() {
        assertThat(ExitLog.reason(-9, false, false, false)).isEqualTo("killed (SIGKILL)");
        assertThat(ExitLog.reason(-9, false, false, true)).isEqualTo("stopped (SIGKILL)");
        assertThat(ExitLog.reason(-9, false, true, true)).as("killed by its supervisor for silence").isEqualTo("silent, killed");
        assertThat(ExitLog.reason(0, false, false, true)).isEqualTo("stopped");
        assertThat(ExitLog.reason(0, false, false, false)).as("a process's job returned, or a worker retired").isEqualTo("ended");
        assertThat(ExitLog.reason(1, false, false, false)).isEqualTo("error");
        assertThat(ExitLog.reason(12, false, false, false)).isEqualTo("out of memory");
        assertThat(ExitLog.reason(13, false, false, false)).isEqualTo("task stopped");
        assertThat(ExitLog.reason(3, true, false, false)).isEqualTo("failed to start");
        assertThat(ExitLog.reason(-15, false, false, false)).isEqualTo("terminated (SIGTERM)");
        assertThat(ExitLog.reason(-6, false, false, false)).isEqualTo("signal 6");
        assertThat(ExitLog.reason(42, false, false, false)).isEqualTo("exit code 42");
    }

    @Test
    void theLastTwentyExitsAreKeptNewestFirstAndEveryOneIsCountedByReason() {
        ExitLog log = new ExitLog();
        for (int i = 0; i < ExitLog.KEPT + 5; i++) {
            log.exited("w" + i, 100 + i, "10.0.0.1", i % 2 == 0 ? "pool-1" : null, i % 2 == 0 ? -9 : 0,
                    i % 2 == 0 ? "killed (SIGKILL)" : "stopped", 1_000 + i);
        }
        assertThat(log.recent()).hasSize(ExitLog.KEPT);
        assertThat(log.recent().getJsonObject(0)).isEqualTo(new JsonObject().put("worker", "w24").put("pid", 124L).put("host", "10.0.0.1")
                .put("group", "pool-1").put("code", -9).put("reason", "killed (SIGKILL)").put("at", 1_024L));
        assertThat(log.counts()).isEqualTo(new JsonObject().put("killed (SIGKILL)", 13L).put("stopped", 12L));
    }
}
