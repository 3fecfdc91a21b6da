package io.mproc.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class StallReportTest {

    private static StackTraceElement frame(String cls, String method) {
        return new StackTraceElement(cls, method, cls.substring(cls.lastIndexOf('.') + 1) + ".java", 42);
    }

    @Test
    void aStartThatHangsNamesTheThreadsInItsCodeAndWhereTheyWait() {
        Map<Thread, StackTraceElement[]> stacks = new LinkedHashMap<>();
        stacks.put(new Thread("vert.x-worker-thread-1"), new StackTraceElement[]{
                frame("jdk.internal.misc.Unsafe", "park"),
                frame("com.hazelcast.internal.util.FutureUtil", "getValue"),
                frame("com.hazelcast.spi.impl.eventservice.impl.EventServiceImpl", "registerListener"),
                frame("io.vertx.spi.cluster.hazelcast.impl.SubsMapHelper", "<init>")});
        stacks.put(new Thread("hz.idle.thread"), new StackTraceElement[]{
                frame("jdk.internal.misc.Unsafe", "park"),
                frame("com.hazelcast.internal.util.executor.StripedExecutor$Worker", "run")});

        String report = StallReport.of(stacks);

        assertThat(report).contains("thread \"vert.x-worker-thread-1\" NEW")
                .contains("at com.hazelcast.spi.impl.eventservice.impl.EventServiceImpl.registerListener(EventServiceImpl.java:42)")
                .contains("SubsMapHelper.<init>")
                .doesNotContain("hz.idle.thread");
    }

    @Test
    void aLongStackIsCutToItsTopFrames() {
        StackTraceElement[] deep = IntStream.range(0, StallReport.DEPTH + 5)
                .mapToObj(i -> frame("io.vertx.core.net.impl.Step" + i, "run")).toArray(StackTraceElement[]::new);

        String report = StallReport.of(Map.of(new Thread("vert.x-eventloop-thread-0"), deep));

        assertThat(report).contains("Step0.run").contains("Step" + (StallReport.DEPTH - 1) + ".run")
                .doesNotContain("Step" + StallReport.DEPTH + ".run").contains("... 5 more");
    }

    @Test
    void withNoThreadInTheStartItSaysItWaitsForAReply() {
        String report = StallReport.of(Map.of(new Thread("main"), new StackTraceElement[]{frame("java.lang.Thread", "sleep")}));

        assertThat(report).contains("no thread is in the start's code: it waits for a reply");
    }

    @Test
    void theStartWaitsLongerThanAFrozenMemberTakesToBeDeclaredDead() {
        System.setProperty("mproc.max.no.heartbeat.seconds", "30");
        try {
            assertThat(Node.startPatience(Settings.load())).isEqualTo(Duration.ofSeconds(45));
        } finally {
            System.clearProperty("mproc.max.no.heartbeat.seconds");
        }
        assertThat(Node.startPatience(Settings.load())).isEqualTo(Duration.ofSeconds(20));
    }
}
