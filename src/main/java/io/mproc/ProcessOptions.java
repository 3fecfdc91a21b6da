package io.mproc;

/**
 * Options of {@link Multiprocessing#process(Job, ProcessOptions)}: Python's keyword
 * arguments {@code name=} and {@code daemon=} of {@code Process}.
 */
public final class ProcessOptions {
    private String name;
    private boolean daemon;

    private ProcessOptions() {
    }

    /** No name (the process is called {@code Process-N}), not a daemon. */
    public static ProcessOptions defaults() {
        return new ProcessOptions();
    }

    /** A process called {@code name}: what {@link RemoteProcess#name()} and its output prefix say. */
    public static ProcessOptions name(String name) {
        return new ProcessOptions().withName(name);
    }

    private ProcessOptions withName(String name) {
        if (name == null || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a process name must be non-blank without spaces: '" + name + "'");
        }
        this.name = name;
        return this;
    }

    /** A daemon process is ended when its context closes; a non-daemon one is waited for (Python's {@code daemon}). */
    public ProcessOptions daemon(boolean daemon) {
        this.daemon = daemon;
        return this;
    }

    /** The name, or null for the default {@code Process-N}. */
    public String name() {
        return name;
    }

    public boolean isDaemon() {
        return daemon;
    }
}
