package io.mproc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Python's Process across real JVMs: one context shared by the class. */
@Timeout(180)
class ProcessTest extends SharedCluster {

    /** Waits (inside the child) until {@code file} exists. */
    static void awaitFile(String file) throws InterruptedException {
        while (!Files.exists(Path.of(file))) {
            Thread.sleep(10);
        }
    }

    @Test
    void aNamedProcessReportsItsArgumentsAndPidAndItsStateFollowsPython(@TempDir Path dir) throws Exception {
        String report = dir.resolve("report").toString();
        String go = dir.resolve("go").toString();
        int a = 6;
        String b = "seven";
        RemoteProcess p = mp.process(() -> {
            awaitFile(go);
            ProcessInfo me = Multiprocessing.currentProcess();
            Files.writeString(Path.of(report), me.name() + " " + me.pid() + " " + a + " " + b);
        }, ProcessOptions.name("w"));

        assertThat(p.isAlive()).isFalse();
        assertThat(p.exitCode()).isNull();
        assertThat(p.pid()).isNull();
        assertThat(mp.activeChildren()).doesNotContain(p);

        p.start();
        assertThat(p.isAlive()).isTrue();
        assertThat(p.exitCode()).isNull();
        assertThat(mp.activeChildren()).contains(p);
        assertThat(p.pid()).isNotNull().isNotEqualTo(ProcessHandle.current().pid());

        Files.writeString(Path.of(go), "go");
        p.join();
        assertThat(p.isAlive()).isFalse();
        assertThat(p.exitCode()).isZero();
        assertThat(mp.activeChildren()).doesNotContain(p);
        assertThat(Files.readString(Path.of(report))).isEqualTo("w " + p.pid() + " 6 seven");
        assertThat(p.name()).isEqualTo("w");
        assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("started already");
        p.close();
    }

    @Test
    void joinWithZeroReturnsAtOnceAndSignalsGivePythonsExitCodes() {
        RemoteProcess sleeper = mp.process(() -> Thread.sleep(60_000));
        sleeper.start();
        long t = System.nanoTime();
        assertThat(sleeper.join(Duration.ZERO)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(1));
        assertThat(sleeper.isAlive()).isTrue();
        assertThatThrownBy(sleeper::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("still running");
        sleeper.terminate();
        assertThat(sleeper.join(Duration.ofSeconds(30))).isTrue();
        assertThat(sleeper.exitCode()).isEqualTo(-15);

        RemoteProcess victim = mp.process(() -> Thread.sleep(60_000));
        victim.start();
        victim.kill();
        assertThat(victim.join(Duration.ofSeconds(30))).isTrue();
        assertThat(victim.exitCode()).isEqualTo(-9);
    }

    @Test
    void exitCodesFollowPython() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            RemoteProcess ok = mp.process(() -> { });
            RemoteProcess failing = mp.process(() -> {
                throw new IllegalStateException("it went wrong");
            }, ProcessOptions.name("failing"));
            RemoteProcess exiting = mp.process(() -> System.exit(8));
            RemoteProcess three = mp.process(() -> System.exit(3)); // once mproc's own start-failure code
            RemoteProcess high = mp.process(() -> System.exit(130)); // 128 + 2, as a JVM killed by SIGINT reports
            List<RemoteProcess> all = List.of(ok, failing, exiting, three, high);
            all.forEach(RemoteProcess::start);
            all.forEach(RemoteProcess::join);
            assertThat(ok.exitCode()).isZero();
            assertThat(failing.exitCode()).isEqualTo(1);
            assertThat(exiting.exitCode()).isEqualTo(8);
            assertThat(three.exitCode()).isEqualTo(3);
            assertThat(high.exitCode()).isEqualTo(130);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(err.toString())
                    .contains("[failing] java.lang.IllegalStateException: it went wrong")
                    .containsPattern("\\[failing] \\s+at io\\.mproc\\.ProcessTest\\.lambda"));
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void anUnserializableJobFailsAtStartNamingTheClass() {
        Thread notSerializable = new Thread(() -> { });
        RemoteProcess p = mp.process(() -> notSerializable.start());
        assertThatThrownBy(p::start).isInstanceOf(SerializationException.class).hasMessageContaining("java.lang.Thread");
        assertThatThrownBy(p::join).isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");
    }

    /**
     * A process's JVM registers event-bus addresses in the cluster's subscription map; when it
     * ends, the oldest member drops them (the others only hear of it), so nothing is left that
     * would route messages to a JVM that is gone.
     */
    @Test
    void theAddressesOfProcessesThatEndedLeaveTheClustersSubscriptionMap() {
        List<RemoteProcess> ended = List.of(mp.process(() -> { }), mp.process(() -> { }), mp.process(() -> { }));
        ended.forEach(RemoteProcess::start);
        ended.forEach(RemoteProcess::join);
        com.hazelcast.core.HazelcastInstance hazelcast = com.hazelcast.core.Hazelcast.getAllHazelcastInstances().iterator().next();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            java.util.Set<String> members = hazelcast.getCluster().getMembers().stream()
                    .map(m -> m.getAttribute("__vertx.nodeId")).collect(java.util.stream.Collectors.toSet());
            java.util.Set<String> registered = hazelcast.<String, io.vertx.spi.cluster.hazelcast.impl.HazelcastRegistrationInfo>getMultiMap("__vertx.subs")
                    .values().stream().map(r -> r.unwrap().nodeId()).collect(java.util.stream.Collectors.toSet());
            assertThat(registered).as("nodes with addresses in the subscription map").isNotEmpty();
            assertThat(members).as("live members").containsAll(registered);
        });
    }
}
