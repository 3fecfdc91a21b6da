package io.mproc.cluster;

import io.mproc.ProcessInfo;

/** Name and PID of this JVM, as {@link io.mproc.Multiprocessing#currentProcess()} tells them. */
public final class NodeIdentity {
    /** The system property a worker JVM is started with, holding its name. */
    public static final String NAME_PROPERTY = "mproc.worker.name";
    private static volatile ProcessInfo current = new ProcessInfo(
            System.getProperty(NAME_PROPERTY, "MainProcess"), ProcessHandle.current().pid());

    private NodeIdentity() {
    }

    public static ProcessInfo current() {
        return current;
    }

    /** A worker takes the name of the role the supervisor gave it. */
    public static void rename(String name) {
        current = new ProcessInfo(name, current.pid());
    }

    /** Whether this JVM is a worker started by a supervisor. */
    public static boolean isWorker() {
        return System.getProperty(NAME_PROPERTY) != null;
    }
}
