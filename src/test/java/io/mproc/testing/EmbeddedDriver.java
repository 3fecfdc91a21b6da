package io.mproc.testing;

import io.mproc.Multiprocessing;
import io.mproc.Pool;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;

/**
 * A driver program for tests that need a separate JVM owning an embedded cluster: it starts
 * a pool of 2, prints "PIDS a b" (its workers, seen from inside tasks), then waits to be killed.
 */
public final class EmbeddedDriver {
    private EmbeddedDriver() {
    }

    public static void main(String[] args) throws InterruptedException {
        Multiprocessing mp = Multiprocessing.local();
        Pool pool = mp.pool(2);
        HashSet<Long> pids = new HashSet<>();
        while (pids.size() < 2) {
            List<Long> got = pool.map(EmbeddedDriver::slowPid, Collections.nCopies(8, 100), 1);
            pids.addAll(got);
        }
        System.out.println("PIDS " + String.join(" ", pids.stream().map(String::valueOf).toList()));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    static long slowPid(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return ProcessHandle.current().pid();
    }
}
