package io.mproc.shared;

import java.util.ArrayList;
import java.util.List;

/**
 * A barrier: how many wait in the current round ({@code generation}), and whether it is
 * broken. A waiter that is woken learns from the token whether its round passed (1) or broke (0).
 */
final class BarrierState implements SyncState {
    static final long PASSED = 1;
    static final long BROKE = 0;

    final String name;
    final int parties;
    int count;
    long generation;
    boolean broken;
    /**
     * The latest rounds that {@code reset()} ended while parties waited or that an abort broke: their waiters broke
     * rather than passed. A waiter asks about its round only if its wake-up was lost, soon after;
     * the oldest of more than {@link #RESET_ROUNDS_KEPT} are forgotten.
     */
    final java.util.TreeSet<Long> resetRounds = new java.util.TreeSet<>();
    static final int RESET_ROUNDS_KEPT = 64;
    final List<Waiter> waiters = new ArrayList<>();

    BarrierState(String name, int parties) {
        this.name = name;
        this.parties = parties;
    }

    void breakAll(Transition<?> step) {
        broken = true;
        waiters.forEach(w -> step.wake(w, BROKE, null));
        waiters.clear();
        count = 0;
    }

    @Override
    public void evict(String member, Transition<?> step) {
        // a party that died while waiting leaves the others waiting, as in Python; a timed wait or abort() ends it
    }

    @Override
    public String describe() {
        return name + " (" + count + "/" + parties + " waiting" + (broken ? ", broken)" : ")");
    }

    /** The reply to an arrival that must wait: its index and round. */
    record Arrival(int index, long generation) implements java.io.Serializable {
    }

    /** Arrives: the last of the parties lets everybody go (reply: its index); others are queued (an {@link Arrival}). */
    static final class Arrive extends Transition<BarrierState> {
        private final Waiter waiter;

        Arrive(String cluster, Waiter waiter) {
            super(cluster);
            this.waiter = waiter;
        }

        @Override
        Object apply(BarrierState b) {
            if (b.broken) {
                return Status.CANCELLED;
            }
            int index = b.count++;
            if (b.count == b.parties) {
                b.waiters.forEach(w -> wake(w, PASSED, null));
                b.waiters.clear();
                b.count = 0;
                b.generation++;
                return index;
            }
            b.waiters.add(waiter);
            return new Arrival(index, b.generation);
        }
    }

    /** How a waiter of round {@code generation} stands: PASSED/BROKE as a Long, or QUEUED; {@code timeout} breaks the barrier. */
    static final class Check extends Transition<BarrierState> {
        private final Waiter waiter;
        private final long generation;
        private final boolean timeout;

        Check(String cluster, Waiter waiter, long generation, boolean timeout) {
            super(cluster);
            this.waiter = waiter;
            this.generation = generation;
            this.timeout = timeout;
        }

        @Override
        Object apply(BarrierState b) {
            if (b.generation > generation) {
                return b.resetRounds.contains(generation) ? BROKE : PASSED;
            }
            if (b.broken || !b.waiters.contains(waiter)) {
                return BROKE;
            }
            if (timeout) {
                b.waiters.remove(waiter);
                b.breakAll(this);
                return Status.CANCELLED;
            }
            return Status.QUEUED;
        }
    }

    /** {@code abort()} (breaks it) or {@code reset()} (breaks the waiting round, then makes it whole). */
    static final class Break extends Transition<BarrierState> {
        private final boolean reset;

        Break(String cluster, boolean reset) {
            super(cluster);
            this.reset = reset;
        }

        @Override
        Object apply(BarrierState b) {
            boolean broke = !b.waiters.isEmpty() || b.broken; // its waiters, now or at an abort(), broke
            b.breakAll(this);
            if (reset) {
                if (broke) {
                    b.resetRounds.add(b.generation);
                    if (b.resetRounds.size() > RESET_ROUNDS_KEPT) {
                        b.resetRounds.pollFirst();
                    }
                }
                b.generation++;
                b.broken = false;
            }
            return Status.OK;
        }
    }

    /** {@code {parties, waiting, broken}}. */
    static final class Look extends Transition<BarrierState> {
        Look(String cluster) {
            super(cluster);
        }

        @Override
        Object apply(BarrierState b) {
            return new int[]{b.parties, b.count, b.broken ? 1 : 0};
        }
    }
}
