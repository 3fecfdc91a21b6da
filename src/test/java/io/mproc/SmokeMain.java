package io.mproc;

import java.util.List;

public class SmokeMain {
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        try (Multiprocessing mp = Multiprocessing.local()) {
            long t1 = System.nanoTime();
            System.out.println("context " + (t1 - t0) / 1e6 + " ms");
            try (Pool pool = mp.pool(2)) {
                System.out.println("apply " + pool.apply((Integer x) -> x * x, 3) + " after " + (System.nanoTime() - t1) / 1e6 + " ms");
                System.out.println(pool.map((Integer x) -> x * x, List.of(1, 2, 3, 4, 5)));
                System.out.println(pool.map((Integer x) -> ProcessHandle.current().pid(), List.of(1, 2, 3, 4, 5, 6, 7, 8), 1));
            }
            System.out.println("closed pool " + (System.nanoTime() - t1) / 1e6 + " ms");
        }
        System.out.println("done " + (System.nanoTime() - t0) / 1e6 + " ms");
    }
}
