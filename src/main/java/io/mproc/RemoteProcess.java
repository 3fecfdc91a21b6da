package io.mproc;

import java.time.Duration;

/**
 * A process running a {@link Job} in a JVM of its own: Python's {@code multiprocessing.Process}
 * (named {@code RemoteProcess}, as CPython has {@code SpawnProcess}, because every Java file
 * already has a {@code Process}). Made by {@link Multiprocessing#process(Job, ProcessOptions)}.
 *
 * <p>Exit codes follow Python: 0 when the job returns, 1 when it throws (its stack trace goes
 * to the process's stderr, which reaches this console prefixed with the process's name),
 * {@code N} after {@code System.exit(N)}, -15 after {@link #terminate()} (SIGTERM) and -9
 * after {@link #kill()} (SIGKILL). The job's class must be on this JVM's class path; the
 * job and the values it captures are serialized at {@link #start()}, and one that cannot be
 * fails there with a {@link SerializationException} naming the class.
 *
 * <p>A warm spare JVM the supervisor keeps ready ({@code mproc.spares}) makes {@code start()}
 * fast; otherwise a new JVM starts (about 1 s).
 */
public interface RemoteProcess {

    /**
     * Starts the process (Python's {@code start()}).
     *
     * @throws IllegalStateException it was started before
     * @throws ProcessException the cluster could not start it (the message says why); it is then not
     *         alive, has no exit code, and {@code start()} may be called again
     */
    void start();

    /**
     * Waits until the process has exited (Python's {@code join()}).
     *
     * @throws IllegalStateException it was not started
     */
    void join();

    /** Waits at most {@code timeout} for the process to exit; returns whether it has. {@code Duration.ZERO} does not wait. */
    boolean join(Duration timeout);

    /** Whether it was started and has not exited (Python's {@code is_alive()}). */
    boolean isAlive();

    /** The exit code, or null while it has not exited or was never started (Python's {@code exitcode}). */
    Integer exitCode();

    /** The operating system's process id once started, else null (Python's {@code pid}). */
    Long pid();

    /** Its name: {@link ProcessOptions#name(String)}, or {@code Process-N}. */
    String name();

    /** Whether it is a daemon: ended when its context closes, where a non-daemon process is waited for. */
    boolean daemon();

    /** Sends SIGTERM (Python's {@code terminate()}); {@link #exitCode()} then reads -15. Returns at once. */
    void terminate();

    /** Sends SIGKILL (Python's {@code kill()}); {@link #exitCode()} then reads -9. Returns at once. */
    void kill();

    /**
     * Releases what this handle holds (Python's {@code close()}). Idempotent.
     *
     * @throws IllegalStateException the process is still running
     */
    void close();
}
