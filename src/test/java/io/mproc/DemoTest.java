package io.mproc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.mproc.testing.StandingCluster.runSh;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code run.sh demo}, run as its own JVM: it prints the seed results and leaves no JVM behind. */
@Timeout(240)
class DemoTest {

    @Test
    void theDemoPrintsTheSeedResultsAndLeavesNoJvmBehind() throws Exception {
        java.lang.Process demo = new ProcessBuilder(runSh("demo", "--rounds", "2"))
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
            Thread.sleep(100); // sampling the demo's children (each lives > 1 s) while it runs, not waiting for a result
        }
        String out = output.get();
        assertThat(demo.exitValue()).as(out).isZero();
        assertThat(out).contains("pool.map(square, [1..5])     -> [1, 4, 9, 16, 25]",
                "pool.apply(cube, 3)          -> 27", "pool.applyAsync(power, 5)    -> 25",
                "tasks sleeping 3, 1, 2 s -> [9, 1, 4]", "worker JVMs of a Pool:",
                "] Process 0 starting (PID=", "] Process 4 done", "All processes finished",
                "through a Pipe, the child said: Hello from child", "without join(): the parent goes on at once; the child is alive: true",
                "after join(): the child has finished; alive: false, exit code 0",
                "4 processes x 10000 increments under the Value's lock -> 40000",
                "Value 10, incremented by a child -> 11", "Array [1, 2, 3], a[0] = 100 in the same child -> [100, 2, 3]",
                "Manager dict filled by 5 processes -> {0: 0, 1: 1, 2: 4, 3: 9, 4: 16}",
                "5 processes printed under a Lock");
        java.util.regex.Matcher unlocked = java.util.regex.Pattern.compile("4 processes x 300 increments without the lock -> \\d+ \\((\\d+) updates lost\\)").matcher(out);
        assertThat(unlocked.find()).as(out).isTrue();
        assertThat(Integer.parseInt(unlocked.group(1))).as("updates lost without the lock").isPositive();
        for (int i = 0; i < 5; i++) {
            assertThat(out).containsPattern("\\[printer-" + i + "] process " + i + " has the lock \\(fencing token \\d+\\)\\R"
                    + "\\[printer-" + i + "] process " + i + " lets it go");
        }
        assertThat(out).containsPattern("the parent got \\[(0|1|4|9|16)(, (0|1|4|9|16)){4}]");
        assertThat(seen).as("worker JVMs seen while the demo ran").hasSizeGreaterThanOrEqualTo(5);
        assertThat(seen).as("JVMs left behind by the demo").noneMatch(ProcessHandle::isAlive);
    }
}
