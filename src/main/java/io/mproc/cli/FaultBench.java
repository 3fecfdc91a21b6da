package io.mproc.cli;

import io.mproc.AsyncResult;
import io.mproc.Multiprocessing;
import io.mproc.Pool;
import io.mproc.pool.PoolImpl;

import java.io.IOException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The benchmark's fault figures (see {@link Bench}): how long a pool takes to notice a worker
 * that stopped answering (SIGSTOP), and how long after {@code cancel()} of a running task a
 * new worker takes work. Python has neither: its Pool hangs on a lost worker and cannot stop
 * a running task.
 */
final class FaultBench {
    private static final long MS = 1_000_000;

    private FaultBench() {
    }

    /**
     * Stops (SIGSTOP) one of a pool's two workers while it maps; returns {ms until the pool took
     * it for gone, ms until its process was killed, ms until the map completed}, from the stop.
     */
    static double[] stoppedWorker(Multiprocessing mp) {
        try (Pool pool = mp.pool(2)) {
            long victim = pool.map(Work::pid, Collections.nCopies(20, 0), 1).get(0);
            AsyncResult<List<Integer>> work = pool.mapAsync(FaultBench::nap, Collections.nCopies(2_000, 10), 1);
            sleep(300);
            signal("STOP", victim);
            long stopped = System.nanoTime();
            long noticed = 0;
            long killed = 0;
            while (killed == 0 || noticed == 0) {
                if (noticed == 0 && ((PoolImpl) pool).connectedWorkers() < 2) {
                    noticed = System.nanoTime();
                }
                if (killed == 0 && ProcessHandle.of(victim).map(p -> !p.isAlive()).orElse(true)) {
                    killed = System.nanoTime();
                }
                sleep(10);
                if (System.nanoTime() - stopped > 60_000 * MS) {
                    throw new IllegalStateException("a stopped worker was not taken for gone within 60 s");
                }
            }
            List<Integer> done = work.get();
            if (done.size() != 2_000) {
                throw new IllegalStateException("wrong result in the stopped-worker map");
            }
            long completed = System.nanoTime();
            return new double[]{(noticed - stopped) / 1e6, (killed - stopped) / 1e6, (completed - stopped) / 1e6};
        }
    }

    /** Cancels a running never-ending task of a pool of two; returns ms from cancel() until a new worker ran a task. */
    static double cancelToReplacement(Multiprocessing mp) {
        try (Pool pool = mp.pool(2)) {
            Set<Long> before = new HashSet<>(pool.map(Work::pid, Collections.nCopies(20, 0), 1));
            AsyncResult<Integer> endless = pool.applyAsync(FaultBench::nap, Integer.MAX_VALUE);
            sleep(300);
            long cancelled = System.nanoTime();
            if (!endless.cancel()) {
                throw new IllegalStateException("a running task could not be cancelled");
            }
            while (before.containsAll(pool.map(FaultBench::napPid, Collections.nCopies(4, 5), 1))) {
                if (System.nanoTime() - cancelled > 60_000 * MS) {
                    throw new IllegalStateException("no new worker took work within 60 s of a cancel");
                }
            }
            return (System.nanoTime() - cancelled) / 1e6;
        }
    }

    static int nap(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return millis;
    }

    static long napPid(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return ProcessHandle.current().pid();
    }

    private static void signal(String signal, long pid) {
        try {
            if (new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start().waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
