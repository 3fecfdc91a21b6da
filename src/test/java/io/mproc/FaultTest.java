package io.mproc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Faults beyond a clean death: stopped (SIGSTOP) workers, cancelled and timed-out tasks. Real JVMs, real signals. */
@Timeout(240)
class FaultTest extends SharedCluster {

    static void signal(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start().waitFor()).isZero();
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Its argument squared, after {@code 10} ms. */
    static long slowSquare(int x) throws InterruptedException {
        Thread.sleep(10);
        return (long) x * x;
    }

    @Test
    void aStoppedWorkerIsKilledAndReplacedAndItsWorkRerunSoTheMapCompletesAndCloseReturns() throws Exception {
        Pool pool = mp.pool(3);
        long stopped = 0;
        try {
            Set<Long> pids = new HashSet<>(pool.map(Tasks::slowPid, Collections.nCopies(30, 20), 1));
            assertThat(pids).hasSize(3);
            stopped = pids.iterator().next();
            AsyncResult<List<Long>> squares = pool.mapAsync(FaultTest::slowSquare, IntStream.range(0, 600).boxed().toList(), 1);
            Thread.sleep(500);
            signal("STOP", stopped);
            long at = System.nanoTime();
            List<Long> got = squares.get(Duration.ofSeconds(30));
            System.out.printf("stopped worker: map done %d ms after SIGSTOP%n", (System.nanoTime() - at) / 1_000_000);
            for (int i = 0; i < 600; i++) {
                assertThat(got.get(i)).as("result %d", i).isEqualTo((long) i * i);
            }
            long closing = System.nanoTime();
            pool.close();
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(10));
            long victim = stopped;
            await().atMost(Duration.ofSeconds(10)).until(() -> !alive(victim));
        } finally {
            pool.terminate();
            if (stopped != 0 && alive(stopped)) {
                ProcessHandle.of(stopped).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
