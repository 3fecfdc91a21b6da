package io.mproc;

import io.mproc.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code run.sh cluster} in a JVM of its own, and a program that connects to it. */
@Timeout(180)
class StandingClusterTest {

    @Test
    void aProgramConnectsToAStandingClusterAndItsTasksRunOnTheClustersWorkers() throws Exception {
        String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
        java.lang.Process cluster = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "cluster", "--workers", "2", "--port", "0", "--name", name)
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(cluster.getInputStream(), StandardCharsets.UTF_8));
            String address = null;
            Pattern banner = Pattern.compile("connect with Multiprocessing\\.connect\\(\"([^\"]+)\"\\)");
            while (address == null) {
                String line = out.readLine();
                if (line == null) {
                    break;
                }
                Matcher m = banner.matcher(line);
                if (m.find()) {
                    address = m.group(1);
                }
            }
            assertThat(address).as("the address the cluster printed").startsWith(name + "@");
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
            drain.setDaemon(true);
            drain.start();

            try (Multiprocessing mp = Multiprocessing.connect(address); Pool pool = mp.pool(2)) {
                List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), IntStream.range(0, 1000).boxed().toList());
                Set<Long> workers = cluster.descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
                assertThat(pids).hasSize(1000);
                assertThat(workers).containsAll(new HashSet<>(pids));
                assertThat(pids).doesNotContain(ProcessHandle.current().pid(), cluster.pid());
            }
        } finally {
            List<ProcessHandle> jvms = cluster.descendants().toList();
            cluster.destroy(); // SIGTERM, as Ctrl-C
            assertThat(cluster.waitFor(60, TimeUnit.SECONDS)).as("the cluster stops on SIGTERM").isTrue();
            for (ProcessHandle jvm : jvms) {
                jvm.onExit().get(30, TimeUnit.SECONDS);
            }
            assertThat(jvms).noneMatch(ProcessHandle::isAlive);
        }
    }
}
