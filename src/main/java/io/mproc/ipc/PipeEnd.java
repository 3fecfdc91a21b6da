package io.mproc.ipc;

import io.mproc.Connection;
import io.mproc.EndOfStreamException;
import io.mproc.ProcessException;

import java.io.Serializable;
import java.time.Duration;

/**
 * One end of a pipe: it sends into one queue and receives from another, both hosted in the
 * JVM that made the pipe (a one-way end has only one of them). Closing an end sends an
 * end-of-stream marker after its messages.
 */
public final class PipeEnd implements Connection {
    /** The marker a closed end sends last. */
    enum Marker implements Serializable { END_OF_STREAM }

    private final String name;
    private final QueueHandle<Object> out;
    private final QueueHandle<Object> in;
    private transient volatile boolean closed;
    private transient volatile boolean ended;

    /** @param out where this end sends, or null if it only receives; {@code in} where it receives, or null */
    public PipeEnd(String name, QueueHandle<Object> out, QueueHandle<Object> in) {
        this.name = name;
        this.out = out;
        this.in = in;
    }

    @Override
    public void send(Object message) {
        checkOpen();
        if (out == null) {
            throw new IllegalStateException(name + " is the receiving end of a one-way pipe; it cannot send");
        }
        out.put(message);
    }

    @Override
    public void sendBytes(byte[] message) {
        send(message); // encoded at once: the caller may reuse its array
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T recv() {
        checkOpen();
        if (in == null) {
            throw new IllegalStateException(name + " is the sending end of a one-way pipe; it cannot receive");
        }
        if (ended) {
            throw endOfStream();
        }
        Object message = in.get();
        if (message == Marker.END_OF_STREAM) {
            ended = true;
            throw endOfStream();
        }
        return (T) message;
    }

    @Override
    public byte[] recvBytes() {
        Object message = recv();
        if (message instanceof byte[] bytes) {
            return bytes;
        }
        throw new ProcessException(name + " received a " + message.getClass().getName()
                + " where recvBytes() expects a message sent with sendBytes(); use recv() for it");
    }

    @Override
    public boolean poll() {
        return poll(Duration.ZERO);
    }

    @Override
    public boolean poll(Duration timeout) {
        checkOpen();
        if (in == null) {
            throw new IllegalStateException(name + " is the sending end of a one-way pipe; it cannot poll");
        }
        return ended || in.await(timeout.isZero() || timeout.isNegative() ? 0 : Math.max(1, timeout.toMillis()));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (out != null) {
            out.put(Marker.END_OF_STREAM);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
    }

    private EndOfStreamException endOfStream() {
        return new EndOfStreamException("the other end of " + name + " was closed and everything it sent has been received");
    }

    @Override
    public String toString() {
        return "Connection[" + name + "]";
    }
}
