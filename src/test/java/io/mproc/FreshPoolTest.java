package io.mproc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool of N uses N JVMs from its first task: a fresh context and a short map, twenty times.
 * Without warm spares both workers start cold, and the second joins about a second after the
 * first: a pool that did not wait for both ran the whole map on the first.
 */
@Timeout(300)
class FreshPoolTest {

    @BeforeAll
    static void noSpares() {
        System.setProperty("mproc.spares", "0"); // no spare JVM refilled in the background: fewer JVM starts per run
    }

    @Test
    void everyFreshPoolOfTwoRunsAShortMapOnTwoJvms() {
        long threadsBefore = throttlingThreads();
        for (int run = 0; run < 20; run++) {
            try (Multiprocessing mp = Multiprocessing.local(); Pool pool = mp.pool(2)) {
                Set<Long> pids = new HashSet<>(pool.map(Tasks::slowPid, Collections.nCopies(40, 20)));
                assertThat(pids).as("PIDs of run %d", run).hasSize(2).doesNotContain(ProcessHandle.current().pid());
            }
        }
        assertThat(throttlingThreads()).as("threads the 20 closed contexts' cluster managers left in this JVM").isLessThanOrEqualTo(threadsBefore);
    }

    /** The live threads vertx-hazelcast starts per cluster manager, which its own close leaves running. */
    private static long throttlingThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().equals("vertx-hazelcast-service-throttling-thread")).count();
    }

    @AfterAll
    static void noJvmLeft() {
        System.clearProperty("mproc.spares");
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).as("JVMs left behind").isEmpty();
    }
}
