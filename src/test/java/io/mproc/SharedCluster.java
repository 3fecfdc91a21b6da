package io.mproc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One embedded cluster for all the tests of a class (a JVM and a Hazelcast join cost about a
 * second each), closed after them, with a check that no JVM it started is left behind.
 */
abstract class SharedCluster {
    static Multiprocessing mp;

    @BeforeAll
    static void startCluster() {
        mp = Multiprocessing.local(ClusterOptions.defaults().statusPage(0)); // as a user may ask: PoolTest reads it
    }

    @AfterAll
    static void stopCluster() {
        if (mp != null) {
            mp.close();
            mp = null;
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).as("JVMs left behind").isEmpty();
    }
}
