package com.example.launch;

import io.mproc.Multiprocessing;
import io.mproc.Pool;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Maps on a pool of worker JVMs with a lambda and a method reference of its own, and prints what came back. */
public class Main {
    public static void main(String[] args) {
        try (Multiprocessing mp = Multiprocessing.local(); Pool pool = mp.pool(2)) {
            List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3, 4, 5));
            Set<Long> pids = new HashSet<>(pool.map(Main::pid, Collections.nCopies(20, 20), 1));
            pids.remove(ProcessHandle.current().pid());
            System.out.println("squares " + squares);
            System.out.println("worker JVMs " + pids.size());
        }
    }

    static long pid(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return ProcessHandle.current().pid();
    }
}
