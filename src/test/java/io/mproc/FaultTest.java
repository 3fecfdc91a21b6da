package io.mproc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

    /** Never returns: sets {@code pid} to its JVM's pid, then sleeps. */
    static int endless(Value<Long> pid) throws InterruptedException {
        pid.set(ProcessHandle.current().pid());
        while (true) {
            Thread.sleep(1_000);
        }
    }

    @Test
    void cancellingARunningTaskStopsItsWorkerWhichIsReplacedWhileAMapOnThePoolCompletes() {
        Value<Long> pid = mp.value(0L);
        try (Pool pool = mp.pool(2)) {
            Set<Long> before = new HashSet<>(pool.map(Tasks::slowPid, Collections.nCopies(20, 20), 1));
            AsyncResult<Integer> running = pool.applyAsync(x -> endless(pid), 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> pid.get() != 0L);
            long victim = pid.get();
            AsyncResult<List<Long>> squares = pool.mapAsync(FaultTest::slowSquare, IntStream.range(0, 200).boxed().toList(), 1);
            long at = System.nanoTime();
            assertThat(running.cancel()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - at)).isLessThan(Duration.ofSeconds(5));
            assertThat(running.ready()).isTrue();
            assertThat(running.cancelled()).isTrue();
            assertThatThrownBy(running::get).isInstanceOf(CancellationException.class);
            assertThat(running.cancel()).as("once").isFalse();

            List<Long> got = squares.get();
            for (int i = 0; i < 200; i++) {
                assertThat(got.get(i)).as("result %d", i).isEqualTo((long) i * i);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !alive(victim));
            long replacing = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    pool.map(Tasks::slowPid, Collections.nCopies(20, 20), 1)).anyMatch(p -> !before.contains(p)));
            System.out.printf("cancel: worker gone and replaced, taking work %d ms after its death%n",
                    (System.nanoTime() - replacing) / 1_000_000);
        }
    }

    @Test
    void aQueuedTaskCancelledThroughItsCompletableFutureNeverRuns() throws Exception {
        Value<Integer> ran = mp.value(0);
        try (Pool pool = mp.pool(2)) {
            List<AsyncResult<Integer>> busy = List.of(pool.applyAsync(Tasks::sleepy, 1_500), pool.applyAsync(Tasks::sleepy, 1_500));
            AsyncResult<Integer> queued = pool.applyAsync(x -> {
                ran.set(1);
                return x;
            }, 5);
            CompletableFuture<Integer> future = queued.toCompletableFuture();
            CompletableFuture<Integer> composed = future.thenApply(x -> x + 1);
            assertThat(future.cancel(true)).isTrue();
            assertThat(queued.cancelled()).isTrue();
            assertThatThrownBy(queued::get).isInstanceOf(CancellationException.class);
            assertThat(composed).isCompletedExceptionally();
            for (AsyncResult<Integer> b : busy) {
                assertThat(b.toCompletableFuture().thenApply(x -> x * 2).get()).isEqualTo(3_000);
            }
            assertThat(pool.map(Tasks::square, List.of(1, 2, 3))).containsExactly(1, 4, 9);
            assertThat(ran.get()).as("the cancelled task never ran").isZero();
        }
    }

    @Test
    void aTaskPastTheTimeLimitFailsAloneAndItsWorkerIsReplaced() {
        Value<Long> pid = mp.value(0L);
        try (Pool pool = mp.pool(PoolOptions.processes(2).taskTimeout(Duration.ofSeconds(1)))) {
            List<AsyncResult<Integer>> quick = new ArrayList<>();
            AsyncResult<Integer> stuck = pool.applyAsync(x -> endless(pid), 0);
            for (int i = 0; i < 3; i++) {
                quick.add(pool.applyAsync(Tasks::sleepy, 100));
            }
            long at = System.nanoTime();
            assertThatThrownBy(stuck::get).isInstanceOf(TaskTimeoutException.class)
                    .hasMessageContaining("apply on").hasMessageContaining("taskTimeout of 1000 ms").hasMessageContaining("worker");
            assertThat(Duration.ofNanos(System.nanoTime() - at)).isLessThan(Duration.ofSeconds(10));
            for (AsyncResult<Integer> q : quick) {
                assertThat(q.get()).isEqualTo(100);
            }
            long victim = pid.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> !alive(victim));
            assertThatThrownBy(() -> pool.map(x -> x == 3 ? endless(pid) : x, IntStream.range(0, 8).boxed().toList(), 1))
                    .isInstanceOf(TaskTimeoutException.class).hasMessageContaining("item 3 of map");
            assertThat(pool.map(Tasks::square, List.of(1, 2, 3))).as("the pool goes on").containsExactly(1, 4, 9);
        }
    }
}
