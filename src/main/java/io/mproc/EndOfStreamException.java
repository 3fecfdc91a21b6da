package io.mproc;

/** A {@code recv} on a pipe whose other end was closed, with nothing left to receive: Python's {@code EOFError}. */
public class EndOfStreamException extends ProcessException {
    public EndOfStreamException(String message) {
        super(message);
    }
}
