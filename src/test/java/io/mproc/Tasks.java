package io.mproc;

/** Task bodies for tests: static methods, so method references capture nothing. */
public final class Tasks {
    private Tasks() {
    }

    public static int square(int x) {
        return x * x;
    }

    public static long pid(Object ignored) {
        return ProcessHandle.current().pid();
    }

    /** Sleeps, then returns the worker's PID. */
    public static long slowPid(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return ProcessHandle.current().pid();
    }

    public static int boom(int x) {
        throw new IllegalStateException("boom");
    }

    public static int sleepy(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return millis;
    }
}
