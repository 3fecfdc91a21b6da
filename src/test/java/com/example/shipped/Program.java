package com.example.shipped;

import io.mproc.Job;
import io.mproc.Multiprocessing;
import io.mproc.Queue;
import io.mproc.Task;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A user's program for tests of classes on demand: its package is on no cluster's class path
 * (the test starts the cluster without the test classes), so every class here reaches the
 * workers only by being fetched from the program.
 */
public final class Program {
    private Program() {
    }

    /** An argument class. */
    public record Point(int x, int y) implements Serializable {
    }

    /** An interface of the program's own, for dynamic proxies. */
    public interface Greeter {
        String greet(String name);
    }

    /** A result class, with the PID of the JVM that made it. */
    public record Area(long value, long pid) implements Serializable {
    }

    /** A lambda that captures a value of the program's own class. */
    public static Task<Integer, String> labelled(Point origin) {
        return n -> "(" + (origin.x() + n) + "," + origin.y() + ")";
    }

    /** A method reference, from argument class to result class. */
    public static Task<Point, Area> area() {
        return Program::areaOf;
    }

    static Area areaOf(Point p) {
        return new Area((long) p.x() * p.y(), ProcessHandle.current().pid());
    }

    /** A method reference that names the host (its non-loopback IPv4 address) it ran on, after {@code millis}. */
    public static Task<Integer, String> host() {
        return Program::hostOf;
    }

    static String hostOf(int millis) throws InterruptedException, java.net.SocketException {
        Thread.sleep(millis);
        return java.net.NetworkInterface.networkInterfaces().flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).map(a -> a.getHostAddress())
                .findFirst().orElse("loopback only");
    }

    /** A lambda that holds {@code lock} while it returns its item: a task that uses mproc's synchronization. */
    public static Task<Integer, Integer> underLock(io.mproc.Lock lock) {
        return n -> {
            lock.acquire();
            try {
                return n;
            } finally {
                lock.release();
            }
        };
    }

    /** A lambda that reads a point of the program's class from a Manager dict, inside the task. */
    public static Task<String, Long> areaIn(io.mproc.DictProxy<String, Point> points) {
        return key -> (long) points.get(key).x() * points.get(key).y();
    }

    /** A lambda that reads a resource of the program's class path, as {@code getResource} finds it. */
    public static Task<Integer, String> greeting() {
        return n -> message() + " #" + n;
    }

    static String message() {
        try (InputStream in = Program.class.getResourceAsStream("message.txt")) {
            return in == null ? "no message.txt" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A process's job of the program's own class: reports where it ran, what it read and an Area, on {@code out}. */
    public record Report(Queue<Object> out) implements Job {
        @Override
        public void run() {
            out.put(Multiprocessing.currentProcess().pid() + " " + message());
            out.put(areaOf(new Point(6, 7)));
        }
    }
}
