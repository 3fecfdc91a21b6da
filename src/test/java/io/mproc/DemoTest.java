package io.mproc;

import io.mproc.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code run.sh demo}, run as its own JVM: it prints the seed results and leaves no JVM behind. */
@Timeout(240)
class DemoTest {

    @Test
    void theDemoPrintsTheSeedResultsAndLeavesNoJvmBehind() throws Exception {
        java.lang.Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "demo", "--rounds", "2")
                .redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Set<ProcessHandle> seen = new HashSet<>();
        while (demo.isAlive()) {
            demo.descendants().forEach(seen::add);
            Thread.sleep(20); // sampling the demo's children while it runs, not waiting for a result
        }
        String out = output.get();
        assertThat(demo.exitValue()).as(out).isZero();
        assertThat(out).contains("pool.map(square, [1..5])     -> [1, 4, 9, 16, 25]",
                "pool.apply(cube, 3)          -> 27", "pool.applyAsync(power, 5)    -> 25",
                "tasks sleeping 3, 1, 2 s -> [9, 1, 4]", "in a Pool of",
                "] Process 0 starting (PID=", "] Process 4 done", "All processes finished",
                "through a Pipe, the child said: Hello from child", "without join(): the parent goes on at once; the child is alive: true",
                "after join(): the child has finished; alive: false, exit code 0");
        assertThat(out).containsPattern("the parent got \\[(0|1|4|9|16)(, (0|1|4|9|16)){4}]");
        assertThat(seen).as("worker JVMs seen while the demo ran").hasSizeGreaterThanOrEqualTo(5);
        assertThat(seen).as("JVMs left behind by the demo").noneMatch(ProcessHandle::isAlive);
    }
}
