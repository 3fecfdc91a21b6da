package io.mproc;

import io.mproc.testing.EmbeddedDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every JVM mproc starts ends with its owner, also when the owner is killed with kill -9. */
@Timeout(180)
class NoOrphansTest {

    /**
     * Also their files: the driver and its workers get a temporary directory of their own, which
     * is empty once they are gone (Vert.x's file cache made a directory there in every JVM, and
     * a JVM that halts or is killed never deleted it).
     */
    @Test
    void workersOfADriverKilledWithSigkillExitWithinTenSeconds(@TempDir Path temporary) throws Exception {
        java.lang.Process driver = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + temporary, "-cp", System.getProperty("java.class.path"), EmbeddedDriver.class.getName())
                .redirectErrorStream(true).start();
        try {
            List<Long> pids = readPids(driver);
            assertThat(pids).hasSize(2);
            for (long pid : pids) {
                assertThat(ProcessHandle.of(pid)).as("worker %d", pid).isPresent();
                assertThat(ProcessHandle.of(pid).get().parent().map(ProcessHandle::pid)).contains(driver.pid());
            }
            driver.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook runs
            driver.waitFor();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(pids).noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
            try (Stream<Path> left = Files.list(temporary)) {
                assertThat(left).as("files the driver and its workers left in their temporary directory").isEmpty();
            }
        } finally {
            driver.destroyForcibly();
        }
    }

    @Test
    void closingAContextLeavesNoJvmBehind() {
        try (Multiprocessing mp = Multiprocessing.local()) {
            Pool pool = mp.pool(2);
            assertThat(pool.map(Tasks::square, List.of(1, 2, 3))).containsExactly(1, 4, 9);
            assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).as("2 workers and the spares").hasSizeGreaterThanOrEqualTo(2);
            // the pool is left open on purpose: closing the context ends it
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
    }

    private static List<Long> readPids(java.lang.Process driver) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("PIDS ")) {
                return Arrays.stream(line.substring(5).trim().split(" ")).map(Long::parseLong).toList();
            }
        }
        throw new AssertionError("the driver ended without printing its workers' PIDs");
    }
}
