package io.mproc;

import java.io.Serializable;
import java.time.Duration;

/**
 * One end of a {@link Pipe}: Python's {@code multiprocessing.connection.Connection}. Messages
 * arrive in the order they were sent, one {@link #recv()} per {@link #send}, message
 * boundaries kept (an empty message is a message), none lost even when sent before the
 * receiving process has started: they wait in the JVM that made the pipe.
 *
 * <p>The end is {@link Serializable}: capture it in a process's lambda and the child gets a
 * live end, as in Python's {@code Process(target=f, args=(child_conn,))}.
 */
public interface Connection extends Serializable {

    /** Sends {@code message}, serialized in the caller (Python's {@code send}). @throws SerializationException it cannot be serialized */
    void send(Object message);

    /** Sends bytes as one message (Python's {@code send_bytes}). */
    void sendBytes(byte[] message);

    /**
     * Waits for the next message and returns it (Python's {@code recv}).
     *
     * @throws EndOfStreamException the other end was closed and every message it sent has been received
     */
    <T> T recv();

    /** Waits for the next message, which must have been sent with {@link #sendBytes} (Python's {@code recv_bytes}). */
    byte[] recvBytes();

    /** Whether a message (or the end of the stream) is waiting now (Python's {@code poll()}). */
    boolean poll();

    /** Waits at most {@code timeout} for a message; returns whether one is waiting (Python's {@code poll(timeout)}). */
    boolean poll(Duration timeout);

    /** Closes this end: the other end receives what was sent, then {@link EndOfStreamException}. Idempotent. */
    void close();
}
