package io.mproc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pipes between real processes: one context shared by the class. */
@Timeout(180)
class PipeTest extends SharedCluster {

    @Test
    void aDuplexPipeToAnEchoChildCarriesObjectsBytesAndSixteenMebibytes() {
        Pipe pipe = mp.pipe();
        Connection parent = pipe.left();
        Connection child = pipe.right();
        assertThat(parent.poll()).isFalse();
        long t = System.nanoTime();
        assertThat(parent.poll(Duration.ofMillis(100))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isGreaterThanOrEqualTo(Duration.ofMillis(90));

        RemoteProcess echo = mp.process(() -> {
            try {
                while (true) {
                    Object message = child.recv();
                    if ("bye".equals(message)) {
                        break;
                    }
                    child.send(message);
                }
            } finally {
                child.close();
            }
        }, ProcessOptions.name("echo"));
        echo.start();

        List<Object> messages = List.of("hello", 42, Map.of("k", List.of(1, 2)), "", 3.5);
        for (Object m : messages) {
            parent.send(m);
            assertThat(parent.poll(Duration.ofSeconds(60))).isTrue();
            assertThat((Object) parent.recv()).isEqualTo(m);
        }
        parent.sendBytes(new byte[0]);
        assertThat(parent.recvBytes()).isEmpty();
        byte[] big = new byte[16 << 20];
        Arrays.fill(big, (byte) 7);
        big[big.length - 1] = 9;
        parent.sendBytes(big);
        assertThat(parent.recvBytes()).isEqualTo(big);

        parent.send("bye");
        echo.join();
        assertThat(echo.exitCode()).isZero();
        assertThatThrownBy(parent::recv).isInstanceOf(EndOfStreamException.class);
        assertThatThrownBy(parent::recv).isInstanceOf(EndOfStreamException.class);
    }

    @Test
    void messagesSentBeforeTheReceiverStartsAllArriveInOrder() {
        Pipe pipe = mp.pipe(false);
        Connection receiver = pipe.left();
        Connection sender = pipe.right();
        assertThatThrownBy(() -> receiver.send("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("one-way");
        for (int i = 0; i < 500; i++) {
            sender.send(i);
        }
        sender.close();
        Queue<String> verdict = mp.queue();
        RemoteProcess reader = mp.process(() -> {
            int expected = 0;
            try {
                while (true) {
                    int got = receiver.recv();
                    if (got != expected++) {
                        verdict.put("out of order: " + got + " where " + (expected - 1) + " was due");
                        return;
                    }
                }
            } catch (EndOfStreamException e) {
                verdict.put("received " + expected);
            }
        });
        reader.start();
        assertThat(verdict.get(Duration.ofSeconds(60))).isEqualTo("received 500");
        reader.join();
    }
}
