package io.mproc;

import io.mproc.testing.GoneDriver;
import io.mproc.testing.HostsDriver;
import io.mproc.testing.Netns;
import io.mproc.testing.StandingCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.mproc.testing.StandingCluster.runSh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A cluster across hosts: three network namespaces with their own addresses stand for three
 * machines. The cluster runs on host 0 (no workers of its own), {@code run.sh worker --join}
 * adds one worker on each of hosts 1 and 2; status, a map and stop are seen from host 0.
 * Needs root to make namespaces: under {@code CI=true} a machine that cannot fails the test.
 */
@Timeout(300)
class MultiHostTest {

    /** {@code n} hosts; aborts the test where namespaces cannot be made, but fails it under {@code CI=true}. */
    private static Netns hosts(int n) {
        try {
            return Netns.create(n);
        } catch (IllegalStateException e) {
            if ("true".equals(System.getenv("CI"))) {
                fail("cannot make network namespaces for the multi-host test (CI needs root and ip netns): " + e.getMessage());
            }
            Assumptions.abort("network namespaces cannot be made here (not root?): " + e.getMessage());
            throw e;
        }
    }

    /** Environment variables of the JVMs the test starts on its hosts. */
    private static final Map<String, String> ENVIRONMENT = new HashMap<>();

    /**
     * Also: a cluster on a host's network address, with no identity yet, does not start open: it
     * makes one and says where, its other hosts get in with that file, and a JVM with another
     * identity does not.
     */
    @Test
    void workersOnTwoOtherHostsJoinTakeTasksAndStopEndsEveryJvmOnEveryHost(@TempDir Path dir) throws Exception {
        Netns net = hosts(3);
        List<java.lang.Process> started = new ArrayList<>();
        Path identity = dir.resolve("identity.p12");
        ENVIRONMENT.put("MPROC_IDENTITY", identity.toString());
        try (net) {
            String cluster = "hosts@" + net.address(0) + ":5701";
            java.lang.Process founder = start(net, 0, started, "cluster", "--workers", "0", "--host", net.address(0), "--name", "hosts");
            List<String> founderSaid = awaitLine(founder, "connect with Multiprocessing.connect(\"" + cluster + "\")");
            assertThat(founderSaid).as("the founder made the identity and said where")
                    .anyMatch(line -> line.contains("made this cluster's identity, " + identity));
            // the other hosts have mproc alone: the program's task classes reach their workers from the program
            String mprocOnly = StandingCluster.classPathWithoutTests();
            java.lang.Process agent1 = startOn(net, 1, started, mprocOnly, "worker", "--join", cluster, "--workers", "1");
            java.lang.Process agent2 = startOn(net, 2, started, mprocOnly, "worker", "--join", cluster, "--workers", "1");
            awaitLine(agent1, "mproc workers of cluster " + cluster + " on " + net.address(1));
            awaitLine(agent2, "mproc workers of cluster " + cluster + " on " + net.address(2));

            // both hosts' workers appear in status, each with its host's address and a pid of that host
            JsonArray rows = null;
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                rows = new JsonArray(cli(net, 0, "status", "--cluster", cluster, "--json").trim());
                if (rows.stream().map(JsonObject.class::cast).filter(r -> "idle".equals(r.getString("state"))).count() == 2) {
                    break;
                }
                Thread.sleep(500);
            }
            Set<String> hosts = rows.stream().map(JsonObject.class::cast).filter(r -> "cluster".equals(r.getString("group")))
                    .map(r -> r.getString("host")).collect(Collectors.toSet());
            assertThat(hosts).as("status: " + rows).containsExactlyInAnyOrder(net.address(1), net.address(2));
            ProcessBuilder other = new ProcessBuilder(net.on(0, runSh("status", "--cluster", cluster))).redirectErrorStream(true);
            other.environment().putAll(ENVIRONMENT);
            other.environment().put("MPROC_IDENTITY", dir.resolve("another.p12").toString());
            java.lang.Process refused = other.start();
            String refusal = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(refused.exitValue()).as("status with another identity: " + refusal).isEqualTo(6);
            for (Object r : rows) {
                JsonObject row = (JsonObject) r;
                int host = List.of(net.address(0), net.address(1), net.address(2)).indexOf(row.getString("host"));
                assertThat(net.pids(host)).as(row + " runs on its host").contains(row.getLong("pid"));
            }

            // a program on host 0 maps tasks that run on both other hosts
            String driven = cliCommand(net, 0, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"), HostsDriver.class.getName(), cluster));
            assertThat(driven).contains("HOSTS " + String.join(",", new java.util.TreeSet<>(List.of(net.address(1), net.address(2)))));

            // stop, from host 0, ends every JVM on every host
            assertThat(cli(net, 0, "stop", "--cluster", cluster)).contains("stopped");
            for (java.lang.Process p : started) {
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("pid " + p.pid() + " ends").isTrue();
            }
            deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && !(net.pids(0).isEmpty() && net.pids(1).isEmpty() && net.pids(2).isEmpty())) {
                Thread.sleep(200);
            }
            for (int host = 0; host < 3; host++) {
                assertThat(net.pids(host)).as("processes left on host " + host).isEmpty();
            }
        } finally {
            ENVIRONMENT.clear();
            for (java.lang.Process p : started) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    @Test
    void killingTheClusterJvmFailsAConnectedProgramAndEndsEveryHostsAgentAndWorkers() throws Exception {
        Netns net = hosts(2);
        List<java.lang.Process> started = new ArrayList<>();
        try (net) {
            String cluster = "gone@" + net.address(0) + ":5701";
            java.lang.Process founder = start(net, 0, started, "cluster", "--workers", "1", "--host", net.address(0), "--name", "gone");
            awaitLine(founder, "connect with Multiprocessing.connect(\"" + cluster + "\")");
            java.lang.Process agent = start(net, 1, started, "worker", "--join", cluster, "--workers", "1");
            List<String> agentSaid = awaitLine(agent, "mproc workers of cluster " + cluster + " on " + net.address(1));
            ProcessBuilder gone = new ProcessBuilder(net.on(0, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), GoneDriver.class.getName(), cluster))).redirectErrorStream(true);
            gone.environment().putAll(ENVIRONMENT);
            java.lang.Process driver = gone.start();
            started.add(driver);
            List<String> driverSaid = awaitLine(driver, "MAPPING");

            long killed = System.nanoTime();
            founder.destroyForcibly(); // SIGKILL
            String failed = awaitSaid(driverSaid, "FAILED", 30);
            long failedAfter = (System.nanoTime() - killed) / 1_000_000;
            String closed = awaitSaid(driverSaid, "CLOSED", 30);
            System.out.printf("cluster killed: the connected map failed after %d ms; close took %s ms%n", failedAfter,
                    closed.substring("CLOSED ".length()));
            assertThat(failedAfter).as("the map fails within 10 s").isLessThan(10_000);
            assertThat(failed).contains("BrokenPoolException").contains("the cluster at " + cluster + " is gone");
            assertThat(Long.parseLong(closed.substring("CLOSED ".length()).trim())).as("close() returns").isLessThan(10_000);
            assertThat(driver.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(agent.waitFor(15_000 - (System.nanoTime() - killed) / 1_000_000, TimeUnit.MILLISECONDS)).as("the agent ends").isTrue();
            assertThat(agent.exitValue()).as("the agent's exit code says the cluster is gone").isEqualTo(8);
            assertThat(awaitSaid(agentSaid, "is gone", 5)).contains("the cluster at " + cluster + " is gone");
            while ((System.nanoTime() - killed) / 1_000_000 < 15_000 && !(net.pids(0).isEmpty() && net.pids(1).isEmpty())) {
                Thread.sleep(200);
            }
            assertThat(net.pids(0)).as("the cluster's workers end within 15 s").isEmpty();
            assertThat(net.pids(1)).as("the agent's workers end within 15 s").isEmpty();
        } finally {
            for (java.lang.Process p : started) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    /** Waits at most {@code seconds} until one of {@code said} (lines a process printed) contains {@code text}; returns it. */
    private static String awaitSaid(List<String> said, String text, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            synchronized (said) {
                for (String line : said) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            }
            Thread.sleep(50);
        }
        synchronized (said) {
            return fail("expected a line with '" + text + "' within " + seconds + " s; got " + said);
        }
    }

    private static java.lang.Process start(Netns net, int host, List<java.lang.Process> started, String... arguments) throws IOException {
        return startOn(net, host, started, System.getProperty("java.class.path"), arguments);
    }

    private static java.lang.Process startOn(Netns net, int host, List<java.lang.Process> started, String classPath, String... arguments)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(net.on(host, StandingCluster.runShOn(classPath, arguments))).redirectErrorStream(true);
        builder.environment().putAll(ENVIRONMENT);
        java.lang.Process p = builder.start();
        started.add(p);
        return p;
    }

    /**
     * Reads {@code process}'s output until a line contains {@code text}; the rest is drained in the
     * background, echoed and added to the returned list (guarded by itself).
     */
    private static List<String> awaitLine(java.lang.Process process, String text) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.add(line);
            if (line.contains(text)) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> {
                    System.out.println("[pid " + process.pid() + "] " + l);
                    synchronized (seen) {
                        seen.add(l);
                    }
                }));
                drain.setDaemon(true);
                drain.start();
                return seen;
            }
        }
        return fail("expected a line with '" + text + "'; got " + seen);
    }

    private static String cli(Netns net, int host, String... arguments) throws Exception {
        return cliCommand(net, host, runSh(arguments));
    }

    private static String cliCommand(Netns net, int host, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(net.on(host, command)).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(ENVIRONMENT);
        java.lang.Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
