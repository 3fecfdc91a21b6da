package io.mproc.cli;

import io.mproc.Barrier;
import io.mproc.DictProxy;
import io.mproc.Lock;
import io.mproc.Multiprocessing;
import io.mproc.Queue;
import io.mproc.RemoteProcess;
import io.mproc.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's shared-state figures (see {@link Bench}), measured as {@code mp_peer.py}
 * measures Python's: the processes start, meet at a barrier with the parent, and the clock
 * runs from the barrier until every process has said it is done (ours) or been joined
 * (Python's; a JVM leaving the cluster takes longer to exit than a Python process, and that
 * is not the work being measured).
 */
final class SharedBench {
    static final int PROCS = 4;
    static final int INCREMENTS = 10_000;
    static final int WRITERS = 2;
    static final int WRITES = 10_000;

    private SharedBench() {
    }

    /** What a process of the benchmark does, given its index. */
    interface Body extends java.io.Serializable {
        void run(int index) throws Exception;
    }

    /**
     * Operations per second of {@code procs} processes each doing {@code opsEach}, from the
     * barrier to the last "done". Each process first runs {@code warmup} untimed (on objects
     * of its own), so that the timed part measures compiled code, as in a long-running program.
     */
    static double opsPerSecond(Multiprocessing mp, int procs, int opsEach, Body warmup, Body body) {
        Barrier start = mp.barrier(procs + 1);
        Queue<Integer> done = mp.queue();
        List<RemoteProcess> children = new ArrayList<>();
        for (int i = 0; i < procs; i++) {
            int index = i;
            children.add(mp.process(() -> {
                warmup.run(index);
                start.await();
                body.run(index);
                done.put(index);
            }));
        }
        children.forEach(RemoteProcess::start);
        start.await();
        long t = System.nanoTime();
        for (int i = 0; i < procs; i++) {
            done.get();
        }
        double perSecond = (double) procs * opsEach / ((System.nanoTime() - t) / 1e9);
        children.forEach(RemoteProcess::join);
        return perSecond;
    }

    /** {@code {increments/s, final count}} with {@code v.set(v.get() + 1)} under the value's lock (or without it). */
    static double[] increments(Multiprocessing mp, boolean locked) {
        Value<Long> counter = mp.value(0L);
        List<Value<Long>> own = values(mp);
        double rate = opsPerSecond(mp, PROCS, INCREMENTS, index -> increment(own.get(index), locked),
                index -> increment(counter, locked));
        return new double[]{rate, counter.get()};
    }

    private static void increment(Value<Long> counter, boolean locked) {
        Lock lock = counter.getLock();
        for (int i = 0; i < INCREMENTS; i++) {
            if (locked) {
                try (Lock.Held held = lock.hold()) {
                    counter.set(counter.get() + 1);
                }
            } else {
                counter.set(counter.get() + 1);
            }
        }
    }

    private static void update(Value<Long> counter) {
        for (int i = 0; i < INCREMENTS; i++) {
            counter.update(x -> x + 1);
        }
    }

    /** One value per process, to warm up on. */
    private static List<Value<Long>> values(Multiprocessing mp) {
        List<Value<Long>> values = new ArrayList<>();
        for (int i = 0; i < PROCS; i++) {
            values.add(mp.value(0L));
        }
        return values;
    }

    /** Atomic {@code update(x -> x + 1)} per second; checks the final count. */
    static double atomicUpdates(Multiprocessing mp) {
        Value<Long> counter = mp.value(0L);
        List<Value<Long>> own = values(mp);
        double rate = opsPerSecond(mp, PROCS, INCREMENTS, index -> update(own.get(index)), index -> update(counter));
        if (counter.get() != (long) PROCS * INCREMENTS) {
            throw new IllegalStateException("atomic updates lost: " + counter.get());
        }
        return rate;
    }

    /** Distinct-key writes per second by {@link #WRITERS} processes, with {@code set} or {@code put}. */
    static double dictWrites(Multiprocessing mp, boolean put) {
        DictProxy<Integer, Integer> dict = mp.manager().dict();
        DictProxy<Integer, Integer> scratch = mp.manager().dict();
        double rate = opsPerSecond(mp, WRITERS, WRITES, index -> write(scratch, index, put), index -> write(dict, index, put));
        if (dict.size() != WRITERS * WRITES) {
            throw new IllegalStateException("dict has " + dict.size() + " keys, not " + WRITERS * WRITES);
        }
        return rate;
    }

    private static void write(DictProxy<Integer, Integer> dict, int index, boolean put) {
        for (int i = 0; i < WRITES; i++) {
            int key = index * WRITES + i;
            if (put) {
                dict.put(key, i);
            } else {
                dict.set(key, i);
            }
        }
    }
}
