package io.mproc.shared;

import java.util.ArrayDeque;

/** A condition: its waiters in the order they began waiting. */
final class ConditionState implements SyncState {
    final String name;
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    ConditionState(String name) {
        this.name = name;
    }

    @Override
    public void evict(String member, Transition<?> step) {
        waiters.removeIf(w -> w.member().equals(member));
    }

    @Override
    public String describe() {
        return name + " (" + waiters.size() + " waiting)";
    }

    /** Queues a waiter ({@code mode} 0), says if it is still queued (1), or takes it out (2). */
    static final class Wait extends Transition<ConditionState> {
        private final Waiter waiter;
        private final int mode;

        Wait(String cluster, Waiter waiter, int mode) {
            super(cluster);
            this.waiter = waiter;
            this.mode = mode;
        }

        @Override
        Object apply(ConditionState c) {
            if (mode == 0) {
                c.waiters.add(waiter);
                return Status.QUEUED;
            }
            return stand(c.waiters, waiter, mode == 2); // OK: signalled
        }
    }

    /** Wakes up to {@code n} waiters, longest waiting first; replies how many. */
    static final class Signal extends Transition<ConditionState> {
        private final int n;

        Signal(String cluster, int n) {
            super(cluster);
            this.n = n;
        }

        @Override
        Object apply(ConditionState c) {
            int woken = 0;
            while (woken < n && !c.waiters.isEmpty()) {
                wake(c.waiters.poll(), 1, null);
                woken++;
            }
            return woken;
        }
    }
}
