package io.mproc.cli;

/** Task bodies of the demo and the benchmark, as static methods: method references to them capture nothing. */
public final class Work {
    private Work() {
    }

    public static int square(int x) {
        return x * x;
    }

    public static int cube(int x) {
        return x * x * x;
    }

    public static int power(int x) {
        return (int) Math.pow(x, 2);
    }

    public static String squareWithPid(int x) {
        return x + "² = " + x * x + " in PID " + ProcessHandle.current().pid();
    }

    public static long pid(Object ignored) {
        return ProcessHandle.current().pid();
    }

    /** Sleeps {@code millis}, then returns the PID of the JVM it ran in. */
    public static long pidAfter(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return ProcessHandle.current().pid();
    }

    /** Sleeps {@code seconds}, then returns its square. */
    public static int sleepThenSquare(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
        return seconds * seconds;
    }

    /**
     * The seed's "count to n" loop, {@code rounds} times over. Each step feeds the next (a
     * linear congruential step), so the JIT can neither fold the loop into a constant nor
     * drop it; the result is returned so that it is used.
     */
    public static long count(long n, int rounds) {
        long total = 0;
        for (int r = 0; r < rounds; r++) {
            for (long i = 0; i < n; i++) {
                total = total * 6364136223846793005L + 1442695040888963407L + i;
            }
        }
        return total;
    }
}
