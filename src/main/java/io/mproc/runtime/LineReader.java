package io.mproc.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Lines of a channel, each returned as soon as its end arrives. A worker reads its parent's
 * lines this way from standard input: a read on a channel ends when its thread is interrupted
 * (a read on {@code System.in} does not, and the JVM's exit waits 0.3 s for a thread blocked
 * in it), and a {@code Reader} over a channel waits for more bytes than a line holds.
 */
final class LineReader {
    private final ReadableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(8192).flip();

    LineReader(ReadableByteChannel channel) {
        this.channel = channel;
    }

    /** The next line without its end, or null at end of input (a last line without an end is returned first). */
    String next() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
            buffer.clear();
            int read = channel.read(buffer);
            buffer.flip();
            if (read < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
