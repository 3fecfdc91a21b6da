package io.mproc.ipc;

import io.mproc.codec.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a JVM confirms the items it got from held gets: on its next get, else alone, and all
 * that is left when it ends. Hosts are plain consumers on a plain, not clustered, Vert.x.
 */
@Timeout(30)
class ConfirmationsTest {
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** A host that records the handoffs each CONFIRM names, and answers it. */
    private static BlockingQueue<List<Long>> host(String address) throws Exception {
        BlockingQueue<List<Long>> confirmed = new LinkedBlockingQueue<>();
        vertx.eventBus().<Buffer>consumer(address, (Message<Buffer> m) -> {
            Wire.In in = new Wire.In(m.body().getBytes());
            assertThat(in.readByte()).isEqualTo((int) QueueHost.CONFIRM);
            in.readLong();
            List<Long> numbers = new ArrayList<>();
            for (int n = in.readInt(); n > 0; n--) {
                numbers.add(in.readLong());
            }
            confirmed.add(numbers);
            m.reply(Buffer.buffer());
        }).completion().await(5, TimeUnit.SECONDS);
        return confirmed;
    }

    @Test
    void confirmationsRideOnTheNextGetAndAreNotSentAgain() throws Exception {
        String address = "test.queue." + UUID.randomUUID();
        BlockingQueue<List<Long>> alone = host(address);
        Confirmations.received(vertx, address, 7);
        Confirmations.received(vertx, address, 8);

        assertThat(Confirmations.take(address)).containsExactly(7, 8);
        assertThat(Confirmations.take(address)).isEmpty();
        assertThat(alone.poll(5 * Confirmations.DELAY_MS, TimeUnit.MILLISECONDS)).as("sent alone as well").isNull();
    }

    @Test
    void withNoGetToRideOnAConfirmationGoesAloneSoon() throws Exception {
        String address = "test.queue." + UUID.randomUUID();
        BlockingQueue<List<Long>> alone = host(address);
        Confirmations.received(vertx, address, 9);

        assertThat(alone.poll(5, TimeUnit.SECONDS)).containsExactly(9L);
        assertThat(Confirmations.take(address)).as("nothing left to ride on a get").isEmpty();
        Confirmations.received(vertx, address, 10);
        assertThat(alone.poll(5, TimeUnit.SECONDS)).as("a later one goes alone too").containsExactly(10L);
    }

    @Test
    void flushAllSendsWhatWaitsForEveryHostBeforeItReturns() throws Exception {
        String a = "test.queue." + UUID.randomUUID();
        String b = "test.queue." + UUID.randomUUID();
        BlockingQueue<List<Long>> atA = host(a);
        BlockingQueue<List<Long>> atB = host(b);
        Confirmations.received(vertx, a, 1);
        Confirmations.received(vertx, b, 2);

        Confirmations.flushAll(Duration.ofSeconds(5));

        assertThat(atA.poll()).as("at a, once flushAll returned").containsExactly(1L);
        assertThat(atB.poll()).containsExactly(2L);
        assertThat(atA.poll(5 * Confirmations.DELAY_MS, TimeUnit.MILLISECONDS)).as("not sent again").isNull();
    }
}
