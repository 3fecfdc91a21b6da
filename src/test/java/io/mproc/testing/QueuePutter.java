package io.mproc.testing;

import io.mproc.Multiprocessing;

/** A program for tests: connects to the cluster at {@code args[0]}, puts {@code args[2]} on named queue {@code args[1]}, and ends. */
public final class QueuePutter {
    private QueuePutter() {
    }

    public static void main(String[] args) {
        try (Multiprocessing mp = Multiprocessing.connect(args[0])) {
            mp.<String>queue(args[1]).put(args[2] + " from pid " + ProcessHandle.current().pid());
        }
        System.exit(0);
    }
}
