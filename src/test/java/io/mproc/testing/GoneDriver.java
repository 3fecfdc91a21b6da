package io.mproc.testing;

import io.mproc.Multiprocessing;
import io.mproc.Pool;

import java.util.Iterator;
import java.util.stream.IntStream;

/**
 * A program for the cluster's-death test: connects to the cluster at {@code args[0]}, starts an
 * imap far too long to finish, prints "MAPPING" once results flow, then "FAILED class: message"
 * when the map fails, and "CLOSED ms" once its pool and context are closed.
 */
public final class GoneDriver {
    private GoneDriver() {
    }

    public static void main(String[] args) {
        Multiprocessing mp = Multiprocessing.connect(args[0]);
        Pool pool = mp.pool(2);
        Iterator<Integer> results = pool.imap(GoneDriver::slow, () -> IntStream.range(0, 1_000_000).boxed().iterator(), 1);
        results.next();
        System.out.println("MAPPING");
        try {
            while (results.hasNext()) {
                results.next();
            }
            System.out.println("FINISHED, which it should not");
        } catch (RuntimeException e) {
            System.out.println("FAILED " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        long closing = System.nanoTime();
        pool.close();
        mp.close();
        System.out.println("CLOSED " + (System.nanoTime() - closing) / 1_000_000);
        System.exit(0);
    }

    static int slow(int x) throws InterruptedException {
        Thread.sleep(20);
        return x;
    }
}
