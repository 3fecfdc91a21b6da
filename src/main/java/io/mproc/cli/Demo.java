package io.mproc.cli;

import io.mproc.Multiprocessing;
import io.mproc.Pool;
import io.mproc.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code run.sh demo}: the seed's Pool, Process, Queue and Pipe examples on an embedded cluster, each result printed. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the Pool, Process, Queue, Pipe, shared Value, Array, Manager and Lock examples on an embedded cluster of worker JVMs and prints each result.")
public final class Demo implements Callable<Integer> {
    @Option(names = "--workers", description = "Tasks (and threads, and worker JVMs) of the CPU-bound comparison (default: cores of this machine).")
    int workers = Multiprocessing.cpuCount();

    @Option(names = "--count", description = "The CPU-bound loop counts to this (default ${DEFAULT-VALUE}).")
    long count = 10_000_000;

    @Option(names = "--rounds", description = "Rounds of that loop per task (default ${DEFAULT-VALUE}): Java counts to 10 million"
            + " in about 10 ms, Python in about 200 ms, so one round is too short to time.")
    int rounds = 50;

    @Override
    public Integer call() throws Exception {
        if (workers < 1 || count < 1 || rounds < 1) {
            throw new IllegalArgumentException("--workers, --count and --rounds must be >= 1: " + workers + ", " + count + ", " + rounds);
        }
        System.out.println("mproc demo: every worker below is a separate JVM process (this one is PID "
                + ProcessHandle.current().pid() + ")");
        long started = System.nanoTime();
        try (Multiprocessing mp = Multiprocessing.local()) {
            System.out.printf("embedded cluster up in %.2f s%n%n", seconds(started));
            int size = Math.max(3, workers);
            try (Pool pool = mp.pool(size)) { // one pool for the examples below: a pool's start costs a JVM start per worker
                pool.awaitWorkers(Duration.ofSeconds(60));
                System.out.println("pool.map(square, [1..5])     -> " + pool.map(Work::square, List.of(1, 2, 3, 4, 5)));
                System.out.println("pool.apply(cube, 3)          -> " + pool.apply(Work::cube, 3));
                System.out.println("pool.applyAsync(power, 5)    -> " + pool.applyAsync(Work::power, 5).get());
                for (String line : pool.map(Work::squareWithPid, List.of(1, 2, 3, 4, 5), 1)) {
                    System.out.println("    " + line);
                }
                long t = System.nanoTime();
                // on a terminal, a progress bar while they sleep (io.mproc.Progress)
                List<Integer> slept = Progress.show("tasks sleeping 3, 1, 2 s", pool.mapAsync(Work::sleepThenSquare, List.of(3, 1, 2)));
                System.out.printf("%npool of %d, tasks sleeping 3, 1, 2 s -> %s in %.1f s (serially: 6 s), input order kept%n",
                        size, slept, seconds(t));
                cpuBound(pool);
            }
            ProcessDemo.run(mp);
            SharedDemo.run(mp);
        }
        System.out.printf("%ndone in %.1f s; every worker JVM has exited%n", seconds(started));
        return 0;
    }

    /** Times {@code workers} tasks serially, in threads, and on {@code pool}'s worker JVMs (as many or more, each warmed up). */
    private void cpuBound(Pool pool) throws Exception {
        System.out.printf("%nCPU-bound: count to %,d (%d rounds) in %d tasks%n", count, rounds, workers);
        long t = System.nanoTime();
        for (int i = 0; i < workers; i++) {
            Work.count(count, rounds);
        }
        double serial = seconds(t);
        System.out.printf("  serially in this JVM:        %6.2f s%n", serial);

        t = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Thread thread = new Thread(() -> Work.count(count, rounds));
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double threaded = seconds(t);
        System.out.printf("  in %d threads of this JVM:    %6.2f s  speedup %.2fx%n", workers, threaded, serial / threaded);

        long n = count;
        int r = rounds;
        // the pool of the examples above, already up: no JVM starts beside the timed run. Its
        // workers warm up first, as this JVM is by now: a task each (with chunksize 1 and this
        // few tasks, a map hands each task to the least busy worker)
        pool.map(x -> Work.count(n, 2), Collections.nCopies(pool.processes(), 0), 1);
        t = System.nanoTime();
        List<Long> done = pool.map(x -> Work.count(n, r) == 0 ? 0L : ProcessHandle.current().pid(), Collections.nCopies(workers, 0), 1);
        double pooled = seconds(t);
        System.out.printf("  in %d worker JVMs of a Pool:  %6.2f s  speedup %.2fx (PIDs %s)%n", workers, pooled, serial / pooled,
                new LinkedHashSet<>(done));
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
