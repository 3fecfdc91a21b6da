package io.mproc.testing;

import io.mproc.Multiprocessing;
import io.mproc.Pool;

import java.util.Collections;

/**
 * A program connected to a standing cluster, for tests that kill it: it maps long tasks on
 * the cluster's workers, prints "MAPPING" once the first results are back, and goes on
 * mapping until it is killed.
 */
public final class ConnectedDriver {
    private ConnectedDriver() {
    }

    public static void main(String[] args) {
        Multiprocessing mp = Multiprocessing.connect(args[0]);
        Pool pool = mp.pool(2);
        pool.map(ConnectedDriver::sleepy, Collections.nCopies(2, 10), 1);
        System.out.println("MAPPING");
        System.out.flush();
        while (true) {
            pool.map(ConnectedDriver::sleepy, Collections.nCopies(1000, 100), 1);
        }
    }

    static int sleepy(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return millis;
    }
}
