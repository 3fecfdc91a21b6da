package io.mproc;

/** The root of mproc's unchecked exceptions. Every message names the value or state at fault. */
public class ProcessException extends RuntimeException {
    public ProcessException(String message) {
        super(message);
    }

    public ProcessException(String message, Throwable cause) {
        super(message, cause);
    }
}
