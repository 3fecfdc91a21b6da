package io.mproc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Queue and JoinableQueue between real processes: one context shared by the class. */
@Timeout(240)
class QueueTest extends SharedCluster {

    static RemoteProcess run(Job job) {
        RemoteProcess p = mp.process(job);
        p.start();
        return p;
    }

    @Test
    void aBoundedQueueIsFullAfterMaxsizePutsUntilAChildDrainsIt() {
        Queue<Integer> q = mp.queue(6);
        for (int i = 0; i < 6; i++) {
            q.put(i);
        }
        assertThat(q.full()).isTrue();
        assertThat(q.qsize()).isEqualTo(6);
        long t = System.nanoTime();
        assertThatThrownBy(() -> q.putNowait(6)).isInstanceOf(QueueFullException.class).hasMessageContaining("full");
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(1));
        t = System.nanoTime();
        assertThatThrownBy(() -> q.put(6, Duration.ofMillis(100))).isInstanceOf(QueueFullException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isGreaterThanOrEqualTo(Duration.ofMillis(90));

        RemoteProcess drainer = run(() -> {
            for (int i = 0; i < 6; i++) {
                q.get();
            }
        });
        drainer.join();
        assertThat(drainer.exitCode()).isZero();
        assertThat(q.empty()).isTrue();
        assertThat(q.full()).isFalse();
    }

    @Test
    void anEmptyQueueFailsGetsAndItemsAChildPutsArriveInOrder() {
        Queue<String> q = mp.queue();
        long t = System.nanoTime();
        assertThatThrownBy(q::getNowait).isInstanceOf(QueueEmptyException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(1));
        t = System.nanoTime();
        assertThatThrownBy(() -> q.get(Duration.ofMillis(200))).isInstanceOf(QueueEmptyException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isGreaterThanOrEqualTo(Duration.ofMillis(100));

        RemoteProcess producer = run(() -> {
            for (int i = 0; i < 100; i++) {
                q.put("item-" + i);
            }
        });
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            got.add(q.get(Duration.ofSeconds(60)));
        }
        producer.join();
        for (int i = 0; i < 100; i++) {
            assertThat(got.get(i)).isEqualTo("item-" + i);
        }
        Queue<Object> any = mp.queue();
        assertThatThrownBy(() -> any.put(new Object())).isInstanceOf(SerializationException.class).hasMessageContaining("java.lang.Object");
    }

    @Test
    void joinReturnsOnlyWhenEveryItemIsDone() {
        JoinableQueue<Integer> jobs = mp.joinableQueue();
        JoinableQueue<Integer> done = mp.joinableQueue();
        List<RemoteProcess> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            workers.add(mp.process(() -> {
                while (true) {
                    int item = jobs.get();
                    if (item < 0) {
                        jobs.taskDone();
                        return;
                    }
                    Thread.sleep(5);
                    done.put(item);
                    jobs.taskDone();
                }
            }, ProcessOptions.defaults().daemon(true)));
        }
        for (int i = 0; i < 40; i++) {
            jobs.put(i);
        }
        workers.forEach(RemoteProcess::start);
        assertThat(jobs.join(Duration.ofMillis(20))).isFalse();
        jobs.join();
        assertThat(done.qsize()).isEqualTo(40);
        for (int w = 0; w < 4; w++) {
            jobs.put(-1);
        }
        jobs.join();
        workers.forEach(RemoteProcess::join);
        assertThatThrownBy(jobs::taskDone).isInstanceOf(IllegalStateException.class).hasMessageContaining("more times");
    }

    @Test
    void aQueueWhoseContextClosedSaysSo() {
        Queue<Integer> orphan;
        try (Multiprocessing other = Multiprocessing.local()) {
            orphan = other.queue();
            orphan.put(1);
        }
        assertThatThrownBy(() -> orphan.put(2)).isInstanceOf(ProcessException.class).hasMessageContaining("closed");
        assertThatThrownBy(orphan::get).isInstanceOf(ProcessException.class).hasMessageContaining("closed");
    }

    @Test
    void manyProducersAndConsumersGetEveryItemExactlyOnce() {
        int producers = 4;
        int perProducer = 25_000;
        Queue<Integer> q = mp.queue();
        Queue<byte[]> seen = mp.queue();
        List<RemoteProcess> all = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            all.add(run(() -> {
                for (int i = 0; i < perProducer; i++) {
                    q.put(base + i);
                }
            }));
        }
        for (int c = 0; c < 2; c++) {
            all.add(run(() -> {
                BitSet got = new BitSet();
                int duplicates = 0;
                for (Integer item = q.get(); item >= 0; item = q.get()) {
                    if (got.get(item)) {
                        duplicates++;
                    }
                    got.set(item);
                }
                got.set(producers * perProducer + duplicates); // a marker past the items: how many duplicates
                seen.put(got.toByteArray());
            }));
        }
        for (int p = 0; p < producers; p++) {
            all.get(p).join();
        }
        q.put(-1);
        q.put(-1);
        BitSet union = new BitSet();
        int total = 0;
        for (int c = 0; c < 2; c++) {
            BitSet got = BitSet.valueOf(seen.get(Duration.ofSeconds(120)));
            int marker = got.previousSetBit(got.length());
            assertThat(marker).as("duplicates in consumer %d", c).isEqualTo(producers * perProducer);
            got.clear(marker);
            assertThat(union.intersects(got)).as("an item got by both consumers").isFalse();
            union.or(got);
            total += got.cardinality();
        }
        all.forEach(RemoteProcess::join);
        assertThat(total).isEqualTo(producers * perProducer);
        assertThat(union.cardinality()).isEqualTo(producers * perProducer);
    }

    /**
     * A process killed while its get waits at the queue's host cannot take the next item: the
     * host hands the item to the get, the dead JVM cannot confirm it, and it goes back into the
     * queue for the next get (before, it was sent to the dead JVM and lost).
     */
    @Test
    void anItemPutAfterAWaitingGettersProcessWasKilledIsNotLost() throws Exception {
        Queue<String> queue = mp.queue();
        Event waiting = mp.event();
        RemoteProcess getter = mp.process(() -> {
            waiting.set();
            queue.get();
        });
        getter.start();
        assertThat(waiting.await(Duration.ofSeconds(60))).isTrue();
        Thread.sleep(500); // its get now waits at the host, in this JVM
        getter.kill();
        getter.join();
        queue.put("x");
        assertThat(queue.get(Duration.ofSeconds(30))).as("the item put after the getter died").isEqualTo("x");
        assertThat(queue.empty()).isTrue();
    }

    /**
     * A get whose thread is interrupted while it waits takes no item: one that arrives after
     * the caller gave up goes back to the head of the queue, for the next get. Both where the
     * queue lives (this JVM) and from another JVM.
     */
    @Test
    void aGetInterruptedWhileItWaitsTakesNoItem() throws Exception {
        Queue<String> queue = mp.queue();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread getter = new Thread(() -> {
            try {
                queue.get();
            } catch (RuntimeException e) {
                thrown.set(e);
            }
        });
        getter.start();
        Thread.sleep(300); // it waits at the host now
        getter.interrupt();
        getter.join(5_000);
        assertThat(thrown.get()).isInstanceOf(ProcessException.class).hasMessageContaining("interrupted");
        queue.put("x");
        assertThat(queue.get(Duration.ofSeconds(5))).as("x was not taken by the get that gave up").isEqualTo("x");

        Event gaveUp = mp.event();
        RemoteProcess child = mp.process(() -> {
            Thread remote = new Thread(() -> {
                try {
                    queue.get();
                } catch (ProcessException e) {
                    Thread.interrupted(); // the get kept the thread's interrupt: clear it to tell the parent
                    gaveUp.set();
                }
            });
            remote.start();
            Thread.sleep(500); // its get waits at the host, in the parent
            remote.interrupt();
            remote.join();
            Thread.sleep(60_000); // alive while the parent puts: the item reaches this JVM and is given back
        });
        child.start();
        assertThat(gaveUp.await(Duration.ofSeconds(60))).isTrue();
        queue.put("y");
        assertThat(queue.get(Duration.ofSeconds(10))).as("y was not taken by the other JVM's get that gave up").isEqualTo("y");
        child.terminate();
        child.join();
    }

    /**
     * The other side: a process that ends right after its held get took an item has it for
     * good. Its JVM confirms the item (on its way out at the latest), so the host does not hand
     * it out again when that JVM's member leaves.
     */
    @Test
    void anItemGotByAProcessThatEndsRightAfterIsNotHandedOutAgain() throws Exception {
        Queue<String> queue = mp.queue();
        Queue<String> seen = mp.queue();
        Event waiting = mp.event();
        RemoteProcess getter = mp.process(() -> {
            waiting.set();
            seen.put(queue.get());
        });
        getter.start();
        assertThat(waiting.await(Duration.ofSeconds(60))).isTrue();
        Thread.sleep(500); // its get now waits at the host, in this JVM
        queue.put("x");
        assertThat(seen.get(Duration.ofSeconds(30))).isEqualTo("x");
        getter.join();
        assertThatThrownBy(() -> queue.get(Duration.ofSeconds(2))).as("x handed out again once its getter's member left")
                .isInstanceOf(QueueEmptyException.class);
    }
}
