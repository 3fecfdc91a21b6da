package io.mproc;

import java.util.Collections;
import java.util.List;

/** A program that maps with {@link Progress#show}: run by {@link ProgressTest} on a terminal. */
public final class ProgressMain {
    private ProgressMain() {
    }

    public static void main(String[] args) {
        try (Multiprocessing mp = Multiprocessing.local(); Pool pool = mp.pool(2)) {
            List<Integer> slept = Progress.show("sleepy", pool.mapAsync(Tasks::sleepy, Collections.nCopies(40, 60), 1));
            System.out.println("mapped " + slept.size());
        }
    }
}
