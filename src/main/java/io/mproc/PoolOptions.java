package io.mproc;

/**
 * Options of {@link Multiprocessing#pool(PoolOptions)}: Python's keyword arguments of
 * {@code Pool(processes, initializer, maxtasksperchild)}, plus a retry limit Python lacks.
 *
 * <pre>{@code
 * mp.pool(PoolOptions.processes(4).maxTasksPerChild(10).initializer(() -> warmUp()))
 * }</pre>
 */
public final class PoolOptions {
    private int processes;
    private int maxTasksPerChild;
    private Job initializer;
    private int maxRetries = 2;
    private java.time.Duration taskTimeout = java.time.Duration.ZERO;

    private PoolOptions() {
    }

    /** Options with {@code processes} worker JVMs (Python's {@code Pool(processes)}). */
    public static PoolOptions processes(int processes) {
        return new PoolOptions().withProcesses(processes);
    }

    /** Options with one worker JVM per core of this machine (Python's {@code Pool()}). */
    public static PoolOptions defaults() {
        return new PoolOptions().withProcesses(Multiprocessing.cpuCount());
    }

    private PoolOptions withProcesses(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("processes must be >= 1: " + n);
        }
        this.processes = n;
        return this;
    }

    /**
     * A worker JVM exits after this many tasks and the pool starts a fresh one (Python's
     * {@code maxtasksperchild}); 0, the default, means never. As in Python, a chunk of
     * {@code map} counts as one task.
     */
    public PoolOptions maxTasksPerChild(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxTasksPerChild must be >= 0 (0 = unlimited): " + n);
        }
        this.maxTasksPerChild = n;
        return this;
    }

    /** Runs once in every worker JVM before its first task (Python's {@code initializer}). */
    public PoolOptions initializer(Job initializer) {
        this.initializer = initializer;
        return this;
    }

    /**
     * How many times a task that was running on a worker JVM that died is run again on
     * another worker before its result fails with {@link BrokenPoolException}. Default 2.
     * Python has no such limit: its {@code Pool.map} hangs for good when a worker dies.
     *
     * <p>Only the task that was running is charged. Tasks travel in batches; when a worker dies
     * during a batch of several, which one was running is not known, so none is charged and
     * each of them is run alone from then on: a task that kills its worker is then charged by
     * its next death, and the others finish. Tasks queued behind it on that worker are never charged.
     */
    public PoolOptions maxRetries(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0: " + n);
        }
        this.maxRetries = n;
        return this;
    }

    /**
     * A task (a chunk of a map) that runs longer than this fails with
     * {@link TaskTimeoutException}, and the worker JVM that ran it is stopped and replaced, since
     * a thread stuck in user code cannot be stopped safely (beyond Python, whose {@code Pool} has
     * no time limit; like {@code concurrent.futures} with loky's {@code timeout}). The other
     * tasks that worker held run elsewhere, uncharged. {@code map} then fails as on any task's
     * exception, {@code imap} fails at that item, other {@code applyAsync} results are untouched.
     * The limit is checked about ten times per period, so a task is stopped within about
     * 1.1 times the limit; the replacement JVM takes about a second to start. Zero, the
     * default, means no limit.
     */
    public PoolOptions taskTimeout(java.time.Duration limit) {
        if (limit == null || limit.isNegative()) {
            throw new IllegalArgumentException("taskTimeout must be zero (no limit) or positive: " + limit);
        }
        this.taskTimeout = limit;
        return this;
    }

    /** The task time limit; zero when there is none. */
    public java.time.Duration taskTimeout() {
        return taskTimeout;
    }

    public int processes() {
        return processes;
    }

    public int maxTasksPerChild() {
        return maxTasksPerChild;
    }

    public Job initializer() {
        return initializer;
    }

    public int maxRetries() {
        return maxRetries;
    }
}
