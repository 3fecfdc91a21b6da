package io.mproc.cli;

import io.mproc.Connection;
import io.mproc.Multiprocessing;
import io.mproc.Pipe;
import io.mproc.Queue;
import io.mproc.RemoteProcess;

import java.util.Arrays;

/** The benchmark's Process, Queue and Pipe figures (see {@link Bench}). */
final class IpcBench {
    private static final int ITEMS = 200_000;
    private static final int ROUNDTRIPS = 10_000;
    private static final int WARMUP = 500;
    private static final int BIG = 1_000_000;
    private static final int BIG_COUNT = 500;
    private static final int BIG_WARMUP = 50;

    private IpcBench() {
    }

    /** Start to running: {@code start()} until the child's first message arrives. */
    static double processStartMs(Multiprocessing mp, boolean waitForSpare) throws InterruptedException {
        if (waitForSpare) {
            Thread.sleep(2500); // the supervisor refills its warm spare after each start
        }
        Queue<Integer> up = mp.queue();
        long t = System.nanoTime();
        RemoteProcess p = mp.process(() -> up.put(1));
        p.start();
        up.get();
        double ms = (System.nanoTime() - t) / 1e6;
        p.join();
        return ms;
    }

    static double queueItemsPerSecond(Multiprocessing mp) {
        Queue<Integer> q = mp.queue();
        RemoteProcess producer = mp.process(() -> {
            q.put(-1); // up
            for (int i = 0; i < ITEMS; i++) {
                q.put(i);
            }
        });
        producer.start();
        q.get();
        long t = System.nanoTime();
        for (int i = 0; i < ITEMS; i++) {
            if (q.get() != i) {
                throw new IllegalStateException("queue item " + i + " out of order");
            }
        }
        double perSecond = ITEMS / ((System.nanoTime() - t) / 1e9);
        producer.join();
        return perSecond;
    }

    /** p50 and p99 in µs of a round trip through two queues and an echoing child. */
    static double[] queuePingPong(Multiprocessing mp) {
        Queue<Integer> ping = mp.queue();
        Queue<Integer> pong = mp.queue();
        RemoteProcess echo = mp.process(() -> {
            for (int x = ping.get(); x >= 0; x = ping.get()) {
                pong.put(x);
            }
        });
        echo.start();
        double[] r = roundTrips(WARMUP, ROUNDTRIPS, i -> {
            ping.put(i);
            pong.get();
        });
        ping.put(-1);
        echo.join();
        return r;
    }

    static double[] pipePingPong(Multiprocessing mp) {
        Pipe pipe = mp.pipe();
        Connection parent = pipe.left();
        Connection child = pipe.right();
        RemoteProcess echo = mp.process(() -> {
            for (int x = child.<Integer>recv(); x >= 0; x = child.<Integer>recv()) {
                child.send(x);
            }
        });
        echo.start();
        double[] r = roundTrips(WARMUP, ROUNDTRIPS, i -> {
            parent.send(i);
            parent.recv();
        });
        parent.send(-1);
        echo.join();
        return r;
    }

    /** Small messages per second, child to parent. */
    static double pipeMessagesPerSecond(Multiprocessing mp) {
        Pipe pipe = mp.pipe(false);
        Connection receiver = pipe.left();
        Connection sender = pipe.right();
        RemoteProcess child = mp.process(() -> {
            sender.send(-1);
            for (int i = 0; i < ITEMS; i++) {
                sender.send(i);
            }
        });
        child.start();
        receiver.recv();
        long t = System.nanoTime();
        for (int i = 0; i < ITEMS; i++) {
            receiver.recv();
        }
        double perSecond = ITEMS / ((System.nanoTime() - t) / 1e9);
        child.join();
        return perSecond;
    }

    /** MB/s (10^6 bytes) of 1 MB messages sent with sendBytes, child to parent, after a warm-up. */
    static double pipeBigMegabytesPerSecond(Multiprocessing mp) {
        Pipe pipe = mp.pipe(false);
        Connection receiver = pipe.left();
        Connection sender = pipe.right();
        RemoteProcess child = mp.process(() -> {
            byte[] payload = new byte[BIG];
            for (int i = 0; i < BIG_COUNT; i++) {
                sender.sendBytes(payload);
            }
        });
        child.start();
        for (int i = 0; i < BIG_WARMUP; i++) {
            receiver.recvBytes();
        }
        long t = System.nanoTime();
        for (int i = BIG_WARMUP; i < BIG_COUNT; i++) {
            receiver.recvBytes();
        }
        double mbPerSecond = (double) (BIG_COUNT - BIG_WARMUP) * BIG / 1e6 / ((System.nanoTime() - t) / 1e9);
        child.join();
        return mbPerSecond;
    }

    interface RoundTrip {
        void run(int i);
    }

    /** p50 and p99 in µs (nearest rank) of {@code count} round trips after {@code warmup} untimed ones. */
    static double[] roundTrips(int warmup, int count, RoundTrip trip) {
        for (int i = 0; i < warmup; i++) {
            trip.run(i);
        }
        double[] samples = new double[count];
        for (int i = 0; i < samples.length; i++) {
            long t = System.nanoTime();
            trip.run(i);
            samples[i] = (System.nanoTime() - t) / 1e3;
        }
        Arrays.sort(samples);
        return new double[]{samples[samples.length / 2], samples[Math.max(0, (int) Math.ceil(0.99 * samples.length) - 1)]};
    }
}
