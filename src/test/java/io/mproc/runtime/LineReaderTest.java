package io.mproc.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LineReaderTest {

    private static void write(Pipe pipe, String text) throws Exception {
        pipe.sink().write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @Timeout(10)
    void aLineIsReturnedAsSoonAsItsEndArrivesWhileTheWriterKeepsThePipeOpen() throws Exception {
        Pipe pipe = Pipe.open();
        LineReader lines = new LineReader(pipe.source());
        write(pipe, "identity abc\njo");
        assertThat(lines.next()).isEqualTo("identity abc"); // the pipe stays open: no more bytes are waited for
        write(pipe, "in\n\nstop\nlast");
        assertThat(lines.next()).isEqualTo("join");
        assertThat(lines.next()).isEmpty();
        assertThat(lines.next()).isEqualTo("stop");
        pipe.sink().close();
        assertThat(lines.next()).isEqualTo("last");
        assertThat(lines.next()).isNull();
    }

    @Test
    @Timeout(10)
    void interruptingTheReadingThreadEndsItsBlockedRead() throws Exception {
        Pipe pipe = Pipe.open();
        LineReader lines = new LineReader(pipe.source());
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                lines.next();
                ended.complete(null);
            } catch (Throwable t) {
                ended.complete(t);
            }
        });
        reader.start();
        Thread.sleep(100); // it waits in the read by now (the outcome is the same if it has not begun it)
        reader.interrupt();
        assertThat(ended.get(5, TimeUnit.SECONDS)).isInstanceOf(ClosedByInterruptException.class);
        pipe.sink().close();
    }
}
