package io.mproc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Locks, semaphores, events, conditions and barriers shared by the test JVM and child JVMs. */
@Timeout(240)
class SyncTest extends SharedCluster {
    private static final Duration LONG = Duration.ofSeconds(60);

    @Test
    void aLockHeldByAChildIsSeenLockedByTheParentAndCannotBeReleasedByIt() {
        Lock lock = mp.lock();
        assertThat(lock.acquire()).isTrue();
        assertThat(lock.isLocked()).isTrue();
        lock.release();
        assertThat(lock.isLocked()).isFalse();
        assertThatThrownBy(lock::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("not locked");

        Event held = mp.event();
        Event done = mp.event();
        Value<Long> childPid = mp.value(0L);
        RemoteProcess child = mp.process(() -> {
            lock.acquire();
            childPid.set(ProcessHandle.current().pid());
            held.set();
            done.await();
            lock.release();
        });
        child.start();
        assertThat(held.await(LONG)).isTrue();
        assertThat(childPid.get()).isEqualTo(child.pid()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(lock.isLocked()).isTrue();
        assertThat(lock.tryAcquire()).isFalse();
        assertThat(lock.acquire(Duration.ofMillis(100))).isFalse();
        assertThatThrownBy(lock::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("held by");
        done.set();
        assertThat(lock.acquire(LONG)).isTrue();
        lock.release();
        child.join();
        assertThat(child.exitCode()).isZero();
    }

    @Test
    void anRLockIsReentrantAndOnlyItsOwnerMayReleaseIt() throws Exception {
        Lock rlock = mp.rlock();
        assertThat(rlock.acquire()).isTrue();
        assertThat(rlock.acquire()).isTrue();
        assertThat(rlock.tryAcquire()).isTrue();
        long token = rlock.fencingToken();

        Queue<String> report = mp.queue();
        RemoteProcess other = mp.process(() -> {
            report.put("tryAcquire " + rlock.tryAcquire());
            try {
                rlock.release();
                report.put("released");
            } catch (IllegalStateException e) {
                report.put(e.getMessage());
            }
        });
        other.start();
        assertThat(report.get()).isEqualTo("tryAcquire false");
        assertThat(report.get()).contains("cannot release").contains("held by");
        other.join();

        Thread thread = new Thread(() -> assertThatThrownBy(rlock::release).isInstanceOf(IllegalStateException.class));
        thread.start();
        thread.join();

        rlock.release();
        rlock.release();
        assertThat(rlock.isLocked()).isTrue();
        assertThat(rlock.fencingToken()).isEqualTo(token);
        rlock.release();
        assertThat(rlock.isLocked()).isFalse();
        assertThatThrownBy(rlock::release).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSemaphoreOfTwoRefusesAThirdAndABoundedOneRefusesAReleaseAboveItsBound() {
        Semaphore semaphore = mp.semaphore(2);
        Event taken = mp.event();
        Event done = mp.event();
        RemoteProcess child = mp.process(() -> {
            semaphore.acquire();
            semaphore.acquire();
            taken.set();
            done.await();
            semaphore.release();
        });
        child.start();
        assertThat(taken.await(LONG)).isTrue();
        assertThat(semaphore.availablePermits()).isZero();
        assertThat(semaphore.acquire(Duration.ofMillis(100))).isFalse();
        assertThat(semaphore.tryAcquire()).isFalse();
        done.set();
        assertThat(semaphore.acquire(LONG)).isTrue();
        child.join();

        Semaphore bounded = mp.boundedSemaphore(1);
        assertThatThrownBy(bounded::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("bound of 1");
        assertThat(bounded.acquire()).isTrue();
        bounded.release();
        assertThatThrownBy(bounded::release).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEventSetByAChildWakesTheParent() {
        Event event = mp.event();
        assertThat(event.await(Duration.ZERO)).isFalse();
        assertThat(event.await(Duration.ofMillis(100))).isFalse();
        assertThat(event.isSet()).isFalse();
        Event started = mp.event();
        RemoteProcess child = mp.process(() -> {
            started.set();
            Thread.sleep(100);
            event.set();
        });
        child.start();
        assertThat(started.await(LONG)).isTrue();
        assertThat(event.await(LONG)).isTrue();
        assertThat(event.isSet()).isTrue();
        event.clear();
        assertThat(event.await(Duration.ZERO)).isFalse();
        child.join();
    }

    @Test
    void eachSignalWakesExactlyOneOfTwoWaitersInOtherProcesses() {
        Condition condition = mp.condition();
        Value<Integer> waiting = mp.value(0);
        Value<Integer> woken = mp.value(0);
        List<RemoteProcess> waiters = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            waiters.add(mp.process(() -> {
                try (Lock.Held held = condition.getLock().hold()) {
                    waiting.update(n -> n + 1);
                    condition.await();
                    woken.update(n -> n + 1);
                }
            }));
        }
        waiters.forEach(RemoteProcess::start);
        await().atMost(LONG).until(() -> waiting.get() == 2);
        assertThatThrownBy(condition::signal).isInstanceOf(IllegalStateException.class).hasMessageContaining("not held");

        signalOne(condition);
        await().atMost(LONG).until(() -> woken.get() == 1);
        await().during(Duration.ofMillis(500)).atMost(LONG).until(() -> woken.get() == 1);
        signalOne(condition);
        await().atMost(LONG).until(() -> woken.get() == 2);
        waiters.forEach(RemoteProcess::join);
        try (Lock.Held held = condition.getLock().hold()) {
            assertThat(condition.await(Duration.ofMillis(50))).isFalse();
        }
    }

    private static void signalOne(Condition condition) {
        try (Lock.Held held = condition.getLock().hold()) {
            condition.signal();
        }
    }

    @Test
    void aBarrierOfFiveKeepsFourChildrenAndTheParentInLockstepForTenRounds() throws Exception {
        int parties = 5;
        int rounds = 10;
        Barrier barrier = mp.barrier(parties);
        LongArray reached = mp.array(new long[parties]);
        Value<Integer> outOfStep = mp.value(0);
        List<RemoteProcess> children = new ArrayList<>();
        for (int i = 1; i < parties; i++) {
            int me = i;
            children.add(mp.process(() -> runRounds(me, rounds, barrier, reached, outOfStep)));
        }
        children.forEach(RemoteProcess::start);
        runRounds(0, rounds, barrier, reached, outOfStep);
        children.forEach(RemoteProcess::join);
        children.forEach(c -> assertThat(c.exitCode()).isZero());
        assertThat(outOfStep.get()).isZero();
        assertThat(reached.toArray()).containsOnly(rounds);
        assertThat(barrier.waiting()).isZero();
        assertThat(barrier.isBroken()).isFalse();
        assertThat(barrier.parties()).isEqualTo(parties);

        Barrier pair = mp.barrier(2);
        Queue<String> report = mp.queue();
        RemoteProcess child = mp.process(() -> {
            try {
                pair.await();
                report.put("passed");
            } catch (BrokenBarrierException e) {
                report.put("broken");
            }
        });
        child.start();
        await().atMost(LONG).until(() -> pair.waiting() == 1);
        pair.abort();
        assertThat(report.get()).isEqualTo("broken");
        assertThat(pair.isBroken()).isTrue();
        assertThatThrownBy(pair::await).isInstanceOf(BrokenBarrierException.class);
        child.join();
        pair.reset();
        assertThat(pair.isBroken()).isFalse();
        assertThatThrownBy(() -> pair.await(Duration.ofMillis(100))).isInstanceOf(TimeoutException.class);
        assertThat(pair.isBroken()).isTrue();
    }

    /** Each round: mark this party as arrived, wait for all, then check that every party arrived. */
    private static void runRounds(int me, int rounds, Barrier barrier, LongArray reached, Value<Integer> outOfStep) {
        for (int round = 1; round <= rounds; round++) {
            reached.set(me, round);
            barrier.await();
            for (long other : reached.toArray()) {
                if (other < round) {
                    outOfStep.update(n -> n + 1);
                }
            }
            barrier.await();
        }
    }

    @Test
    void fourProcessesTimesTenThousandLockedIncrementsMakeExactlyFortyThousand() {
        Value<Long> counter = mp.value(0L);
        List<RemoteProcess> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(mp.process(() -> {
                for (int n = 0; n < 10_000; n++) {
                    try (Lock.Held held = counter.getLock().hold()) {
                        counter.set(counter.get() + 1);
                    }
                }
            }));
        }
        workers.forEach(RemoteProcess::start);
        workers.forEach(RemoteProcess::join);
        workers.forEach(w -> assertThat(w.exitCode()).isZero());
        assertThat(counter.get()).isEqualTo(40_000L);
    }

    /**
     * Locks wanted by another process when granted go back a moment after their release, with
     * the data written under them; a process that ends then must not leave the cluster with
     * such a give-back still on its way (the demo's locked increments lost ~3,600 of 40,000 so).
     */
    @Test
    void aProcessThatEndsRightAfterReleasingContendedLocksLosesNoneOfItsWrites() throws Exception {
        int count = 100;
        List<Value<Integer>> values = new ArrayList<>();
        List<Lock.Held> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Value<Integer> value = mp.value(0);
            values.add(value);
            held.add(value.getLock().hold());
        }
        Event queued = mp.event();
        RemoteProcess child = mp.process(() -> {
            List<Thread> updaters = new ArrayList<>();
            for (Value<Integer> value : values) {
                Thread updater = new Thread(() -> value.update(x -> x + 1)); // waits for the parent's lock
                updater.start();
                updaters.add(updater);
            }
            queued.set();
            for (Thread updater : updaters) {
                updater.join();
            }
            // ends now, while the locks (wanted by the parent's readers) are on their way back
        });
        child.start();
        assertThat(queued.await(LONG)).isTrue();
        Thread.sleep(500); // the child's updates wait at the host
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(count);
        try {
            for (Value<Integer> value : values) {
                readers.submit(value::get); // queued behind the child: each grant to it is contended
            }
            Thread.sleep(300);
            for (int i = count - 1; i >= 0; i--) {
                held.get(i).close();
            }
            child.join();
            assertThat(child.exitCode()).isZero();
            long lost = values.stream().filter(value -> value.get() != 1).count();
            assertThat(lost).as("values that lost the child's write").isZero();
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void aPermitTakenByAKilledProcessComesBackWithinFiveSeconds() {
        Semaphore semaphore = mp.semaphore(1);
        Event taken = mp.event();
        RemoteProcess holder = mp.process(() -> {
            semaphore.acquire();
            taken.set();
            Thread.sleep(Long.MAX_VALUE);
        });
        holder.start();
        assertThat(taken.await(LONG)).isTrue();
        assertThat(semaphore.tryAcquire()).isFalse();
        holder.kill();
        assertThat(semaphore.acquire(Duration.ofSeconds(5))).as("a permit within 5 s of the holder's kill -9").isTrue();
        assertThat(semaphore.availablePermits()).isZero();
        holder.join();
    }

    @Test
    void aLockWhoseHolderIsKilledIsAcquiredWithinFiveSecondsWithAHigherFencingToken() {
        Lock lock = mp.lock();
        Value<Long> childToken = mp.value(0L);
        RemoteProcess holder = mp.process(() -> {
            lock.acquire();
            childToken.set(lock.fencingToken());
            Thread.sleep(Long.MAX_VALUE);
        });
        holder.start();
        await().atMost(LONG).until(() -> childToken.get() > 0);
        assertThat(lock.tryAcquire()).isFalse();
        holder.kill();
        assertThat(lock.acquire(Duration.ofSeconds(5))).as("acquired within 5 s of the holder's kill -9").isTrue();
        assertThat(lock.fencingToken()).isGreaterThan(childToken.get());
        lock.release();
        holder.join();
        assertThat(holder.exitCode()).isEqualTo(-9);
    }
}
