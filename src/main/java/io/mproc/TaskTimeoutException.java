package io.mproc;

/**
 * A task ran longer than its pool's {@link PoolOptions#taskTimeout(java.time.Duration)}. The
 * worker JVM that ran it was stopped (a Java thread cannot be stopped safely; a process can)
 * and replaced; the message names the task, the worker and the limit. Only this task's result
 * fails: other tasks of that worker went back to the queue and ran elsewhere.
 */
public class TaskTimeoutException extends ProcessException {
    public TaskTimeoutException(String message) {
        super(message);
    }
}
