package io.mproc;

import io.mproc.pool.PoolImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Workers that die, retire or are stopped: real JVMs killed for real. */
@Timeout(240)
class PoolFailureTest extends SharedCluster {

    static Pool readyPool(PoolOptions options) {
        Pool pool = mp.pool(options);
        assertThat(pool.awaitWorkers(Duration.ofSeconds(60))).isTrue();
        return pool;
    }

    /** Returns {x * x, pid} after a short sleep. */
    static long[] squareAndPid(int x) throws InterruptedException {
        Thread.sleep(15);
        return new long[]{(long) x * x, ProcessHandle.current().pid()};
    }

    @Test
    void aWorkerKilledMidMapIsReplacedAndTheMapCompletesCorrectly() {
        try (Pool pool = readyPool(PoolOptions.processes(2))) {
            Set<Long> original = new HashSet<>(pool.map(Tasks::slowPid, Collections.nCopies(10, 30), 1));
            assertThat(original).hasSize(2);
            long victim = original.iterator().next();

            Iterator<long[]> results = pool.imap(PoolFailureTest::squareAndPid, IntStream.range(0, 200).boxed().toList());
            List<long[]> got = new ArrayList<>();
            while (results.hasNext()) {
                got.add(results.next());
                if (got.size() == 40) {
                    assertThat(ProcessHandle.of(victim).orElseThrow().destroyForcibly()).isTrue(); // SIGKILL
                }
            }
            assertThat(got).hasSize(200);
            for (int i = 0; i < 200; i++) {
                assertThat(got.get(i)[0]).as("result %d", i).isEqualTo((long) i * i);
            }
            assertThat(ProcessHandle.of(victim).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    pool.map(Tasks::slowPid, Collections.nCopies(10, 30), 1)).anyMatch(pid -> !original.contains(pid)));
        }
    }

    @Test
    void pastTheRetryLimitOnlyTheAffectedResultFails() {
        try (Pool pool = readyPool(PoolOptions.processes(2).maxRetries(0))) {
            AsyncResult<Integer> killer = pool.applyAsync(x -> {
                Runtime.getRuntime().halt(9);
                return x;
            }, 1);
            AsyncResult<Integer> bystander = pool.applyAsync(Tasks::sleepy, 200);
            assertThatThrownBy(killer::get).isInstanceOf(BrokenPoolException.class)
                    .hasMessageContaining("exit code 9").hasMessageContaining("retry limit is 0");
            assertThat(bystander.get()).isEqualTo(200);
            assertThat(pool.map(Tasks::square, List.of(1, 2, 3))).containsExactly(1, 4, 9);
        }
    }

    /** Kills its own JVM with SIGKILL when given {@code poison}; else returns x * x. */
    static int squareUnless(int x, int poison) throws Exception {
        if (x == poison) {
            new ProcessBuilder("kill", "-9", String.valueOf(ProcessHandle.current().pid())).start().waitFor();
            Thread.sleep(60_000);
        }
        return x * x;
    }

    @Test
    void withNoRetriesAWorkerKilledMidBatchFailsOnlyTheUnitThatWasRunning() throws Exception {
        try (Pool pool = readyPool(PoolOptions.processes(2).maxRetries(0))) {
            pool.map(Tasks::square, IntStream.range(0, 2000).boxed().toList()); // units are known to be short: batches of many
            int poison = 300;
            List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                results.add(pool.applyAsync(x -> squareUnless(x, poison), i));
            }
            List<Integer> failed = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                try {
                    assertThat(results.get(i).get(Duration.ofSeconds(120))).isEqualTo(i * i);
                } catch (BrokenPoolException e) {
                    failed.add(i);
                    assertThat(e).hasMessageContaining("retry limit is 0");
                }
            }
            assertThat(failed).as("only the task that was running when its worker died fails").containsExactly(poison);
        }
    }

    @Test
    void aWorkerWhoseTaskRanOutOfMemoryReportsItAndIsReplaced() {
        Value<Long> pid = mp.value(0L);
        try (Pool pool = readyPool(PoolOptions.processes(2))) {
            assertThatThrownBy(() -> pool.<Integer, Integer>apply(x -> {
                pid.set(ProcessHandle.current().pid());
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]); // 8 MB at a time, up to the worker's -Xmx
                }
            }, 0)).isInstanceOf(RemoteTaskException.class).hasCauseInstanceOf(OutOfMemoryError.class);
            long victim = pid.get();
            assertThat(victim).isPositive();
            await().atMost(Duration.ofSeconds(30)).until(() -> !ProcessHandle.of(victim).map(ProcessHandle::isAlive).orElse(false));
            assertThat(pool.awaitWorkers(Duration.ofSeconds(60))).isTrue();

            List<long[]> mapped = pool.map(PoolFailureTest::squareAndPid, IntStream.range(0, 40).boxed().toList(), 1);
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                assertThat(mapped.get(i)[0]).isEqualTo((long) i * i);
                pids.add(mapped.get(i)[1]);
            }
            assertThat(pids).as("the replacement serves, the worker that ran out of memory does not").doesNotContain(victim).hasSize(2);
        }
    }

    @Test
    void maxTasksPerChildReplacesWorkersAndKeepsResultsCorrect() {
        PoolOptions options = PoolOptions.processes(2).maxTasksPerChild(5)
                .initializer(() -> System.setProperty("mproc.test.initialized", "yes"));
        try (Pool pool = mp.pool(options)) {
            List<AsyncResult<long[]>> async = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                async.add(pool.applyAsync(PoolFailureTest::squareAndPid, i));
            }
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                long[] r = async.get(i).get();
                assertThat(r[0]).isEqualTo((long) i * i);
                pids.add(r[1]);
            }
            assertThat(pids).hasSizeGreaterThan(2);

            List<long[]> mapped = pool.map(PoolFailureTest::squareAndPid, IntStream.range(0, 40).boxed().toList(), 1);
            Set<Long> mapPids = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                assertThat(mapped.get(i)[0]).isEqualTo((long) i * i);
                mapPids.add(mapped.get(i)[1]);
            }
            assertThat(mapPids).hasSizeGreaterThan(2);
            assertThat(pool.<Integer, String>map(x -> System.getProperty("mproc.test.initialized"), List.of(1, 2, 3)))
                    .containsOnly("yes");
        }
    }

    @Test
    void terminateFailsOutstandingWorkAndStopsTheWorkers() {
        Pool pool = readyPool(PoolOptions.processes(1));
        AsyncResult<Integer> outstanding = pool.applyAsync(Tasks::sleepy, 60_000);
        pool.terminate();
        assertThatThrownBy(outstanding::get).isInstanceOf(BrokenPoolException.class).hasMessageContaining("terminated");
        pool.join();
        assertThatThrownBy(() -> pool.apply(Tasks::square, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("terminated");
        pool.close();
    }

    @Test
    void closeWaitsForSubmittedWork() {
        Pool pool = mp.pool(2);
        AsyncResult<List<Integer>> pending = pool.mapAsync(Tasks::sleepy, List.of(300, 300, 300, 300), 1);
        pool.close();
        assertThat(pending.ready()).isTrue();
        assertThat(pending.get()).containsExactly(300, 300, 300, 300);
        pool.join();
        pool.close();
        assertThatThrownBy(() -> pool.map(Tasks::square, List.of(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void workersThatCannotStartBreakThePoolWithTheirReason() {
        try (Multiprocessing bad = Multiprocessing.local(ClusterOptions.defaults().workerJvmOption("-XX:+NoSuchMprocOption"))) {
            assertThatThrownBy(() -> bad.pool(1)).isInstanceOf(BrokenPoolException.class)
                    .hasMessageContaining("NoSuchMprocOption");
        }
    }
}
