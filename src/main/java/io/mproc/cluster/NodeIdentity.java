package io.mproc.cluster;

import io.mproc.ProcessInfo;

/** Name and PID of this JVM, as {@link io.mproc.Multiprocessing#currentProcess()} tells them. */
public final class NodeIdentity {
    /** The system property a worker JVM is started with, holding its name. */
    public static final String NAME_PROPERTY = "mproc.worker.name";
    private static final ProcessInfo CURRENT = new ProcessInfo(
            System.getProperty(NAME_PROPERTY, "MainProcess"), ProcessHandle.current().pid());

    private NodeIdentity() {
    }

    public static ProcessInfo current() {
        return CURRENT;
    }

    /** Whether this JVM is a worker started by a supervisor. */
    public static boolean isWorker() {
        return System.getProperty(NAME_PROPERTY) != null;
    }
}
