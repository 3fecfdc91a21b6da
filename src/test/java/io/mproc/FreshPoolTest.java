package io.mproc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool of N uses N JVMs from its first task: a fresh context (its spare still starting, the
 * pool's other worker a cold JVM) and a short map, twenty times.
 */
@Timeout(300)
class FreshPoolTest {

    @Test
    void everyFreshPoolOfTwoRunsAShortMapOnTwoJvms() {
        for (int run = 0; run < 20; run++) {
            try (Multiprocessing mp = Multiprocessing.local(); Pool pool = mp.pool(2)) {
                Set<Long> pids = new HashSet<>(pool.map(Tasks::slowPid, Collections.nCopies(40, 20)));
                assertThat(pids).as("PIDs of run %d", run).hasSize(2).doesNotContain(ProcessHandle.current().pid());
            }
        }
    }

    @AfterAll
    static void noJvmLeft() {
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).as("JVMs left behind").isEmpty();
    }
}
