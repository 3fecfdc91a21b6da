package io.mproc;

/**
 * Name and PID of a JVM of the cluster: what Python's {@code current_process()} tells.
 *
 * @param name the process name: {@code "MainProcess"} in a driver, the worker's name
 *             (e.g. {@code "pool-1-worker-2"}) inside a worker JVM
 * @param pid  the operating system's process id
 */
public record ProcessInfo(String name, long pid) implements java.io.Serializable {
}
