package io.mproc.cli;

import io.mproc.Barrier;
import io.mproc.DictProxy;
import io.mproc.Lock;
import io.mproc.LongArray;
import io.mproc.Multiprocessing;
import io.mproc.ProcessOptions;
import io.mproc.RemoteProcess;
import io.mproc.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/** The demo's third part: the seed's shared Value, Array, Manager dict and Lock examples, across JVMs. */
final class SharedDemo {
    private static final int PROCS = 4;
    private static final int INCREMENTS = 10_000;
    /**
     * Unlocked, each increment is two round trips to the cluster (1-5 ms in a fresh JVM on 2 busy
     * cores): 300 per process keep the four racing for a second or more, and lose about half.
     */
    private static final int UNLOCKED_INCREMENTS = 300;

    private SharedDemo() {
    }

    static void run(Multiprocessing mp) {
        System.out.println();
        Value<Long> locked = mp.value(0L);
        runAll(mp, PROCS, i -> {
            for (int n = 0; n < INCREMENTS; n++) {
                try (Lock.Held held = locked.getLock().hold()) {
                    locked.set(locked.get() + 1);
                }
            }
        });
        System.out.println(PROCS + " processes x " + INCREMENTS + " increments under the Value's lock -> " + locked.get());

        Value<Long> unlocked = mp.value(0L);
        runAll(mp, PROCS, i -> {
            for (int n = 0; n < UNLOCKED_INCREMENTS; n++) {
                unlocked.set(unlocked.get() + 1); // read, then write: another process may write in between
            }
        });
        long lost = (long) PROCS * UNLOCKED_INCREMENTS - unlocked.get();
        System.out.println(PROCS + " processes x " + UNLOCKED_INCREMENTS + " increments without the lock -> " + unlocked.get()
                + " (" + lost + " updates lost)");

        // as Python's docs example: one child is given both the Value and the Array
        Value<Integer> ten = mp.value(10);
        LongArray array = mp.array(new long[]{1, 2, 3});
        runAll(mp, 1, i -> {
            ten.set(ten.get() + 1);
            array.set(0, 100);
        });
        System.out.println("Value 10, incremented by a child -> " + ten.get());
        System.out.println("Array [1, 2, 3], a[0] = 100 in the same child -> " + Arrays.toString(array.toArray()));

        DictProxy<Integer, Integer> squares = mp.manager().dict();
        runAll(mp, 5, i -> squares.set(i, i * i));
        System.out.println("Manager dict filled by 5 processes -> " + python(new TreeMap<>(squares)));

        System.out.println();
        Lock lock = mp.lock();
        List<RemoteProcess> printers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            printers.add(mp.process(() -> {
                try (Lock.Held held = lock.hold()) {
                    System.out.println("process " + n + " has the lock (fencing token " + held.fencingToken() + ")");
                    System.out.println("process " + n + " lets it go");
                    System.out.flush();
                    Thread.sleep(100); // the lines reach the parent (through this JVM's stdout) before the next holder's
                }
            }, ProcessOptions.name("printer-" + i)));
        }
        printers.forEach(RemoteProcess::start);
        printers.forEach(RemoteProcess::join);
        System.out.println("5 processes printed under a Lock: each one's two lines stay together");
    }

    /** Runs {@code count} processes that start {@code body} together (at a barrier) and waits for them. */
    private static void runAll(Multiprocessing mp, int count, SharedBench.Body body) {
        Barrier start = mp.barrier(count);
        List<RemoteProcess> children = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            children.add(mp.process(() -> {
                start.await();
                body.run(index);
            }));
        }
        children.forEach(RemoteProcess::start);
        children.forEach(RemoteProcess::join);
    }

    /** {@code {0: 0, 1: 1}}, as Python prints a dict. */
    private static String python(TreeMap<Integer, Integer> map) {
        return map.toString().replace('=', ':').replace(":", ": ");
    }
}
