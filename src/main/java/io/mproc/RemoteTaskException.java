package io.mproc;

/**
 * A task threw in its worker JVM. The cause is the worker's own exception, of the same
 * class and with the same message, carrying the stack trace it had in the worker. The
 * pool that ran the task stays usable.
 */
public class RemoteTaskException extends ProcessException {
    public RemoteTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
