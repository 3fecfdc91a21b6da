package io.mproc.cluster;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** When a worker whose cluster member left counts as silent (and is killed), with small shell processes for workers. */
class WorkerProcessTest {

    @Test
    void aWorkerThatWroteItsExitNoteIsEndingNotSilentEvenWhileItsJvmLivesOn() throws IOException {
        // as the first worker of a class path: it notes its exit, then writes the AppCDS archive for seconds
        WorkerProcess ending = worker("echo '" + ExitNote.line(ExitNote.Kind.CODE, 0) + "'; sleep 5");
        WorkerProcess frozen = worker("sleep 5");
        try {
            await().atMost(Duration.ofSeconds(5)).until(ending::endedItself);
            assertThat(ending.isAlive()).isTrue();
            assertThat(ending.silent()).isFalse();
            assertThat(frozen.silent()).isTrue();
            frozen.signal(false);
            assertThat(frozen.silent()).isFalse(); // told to end: given its grace, not killed
        } finally {
            ending.process().destroyForcibly();
            frozen.process().destroyForcibly();
        }
    }

    private static WorkerProcess worker(String script) throws IOException {
        return new WorkerProcess("w1", null, new ProcessBuilder("sh", "-c", script).start());
    }
}
