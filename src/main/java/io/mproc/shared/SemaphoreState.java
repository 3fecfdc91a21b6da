package io.mproc.shared;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A semaphore: free permits, waiters in order, and how many permits each member holds, so
 * that a member that dies gives back what it still held.
 */
final class SemaphoreState implements SyncState {
    final String name;
    final int bound;
    int free;
    final Map<String, Integer> held = new HashMap<>();
    final ArrayDeque<Waiter> acquirers = new ArrayDeque<>();

    /** @param bound the most permits there may be, or -1 for an unbounded semaphore */
    SemaphoreState(String name, int permits, int bound) {
        this.name = name;
        this.free = permits;
        this.bound = bound;
    }

    private int heldInAll() {
        return held.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** One permit comes back: to the next waiter, or to the free ones. */
    private void giveBack(Transition<?> step) {
        Waiter next = acquirers.poll();
        if (next == null) {
            free++;
        } else {
            held.merge(next.member(), 1, Integer::sum);
            step.wake(next, 0, null);
        }
    }

    /** Counts a release against the releaser's permits, or else against the oldest other holder's. */
    private void unhold(String member) {
        String from = held.containsKey(member) ? member : held.isEmpty() ? null : held.keySet().iterator().next();
        if (from != null) {
            held.computeIfPresent(from, (m, n) -> n > 1 ? n - 1 : null);
        }
    }

    @Override
    public void evict(String member, Transition<?> step) {
        acquirers.removeIf(w -> w.member().equals(member));
        Integer lost = held.remove(member);
        for (int i = 0; lost != null && i < lost; i++) {
            giveBack(step);
        }
    }

    @Override
    public String describe() {
        return name + " (" + free + " free, " + heldInAll() + " held, " + acquirers.size() + " waiting)";
    }

    static final class Acquire extends Transition<SemaphoreState> {
        private final String member;
        private final Waiter waiter;

        Acquire(String cluster, String member, Waiter waiter) {
            super(cluster);
            this.member = member;
            this.waiter = waiter;
        }

        @Override
        Object apply(SemaphoreState s) {
            if (s.free > 0 && s.acquirers.isEmpty()) {
                s.free--;
                s.held.merge(member, 1, Integer::sum);
                return Status.OK;
            }
            if (waiter == null) {
                return Status.BUSY;
            }
            s.acquirers.add(waiter);
            return Status.QUEUED;
        }
    }

    /** A waiter no longer queued was given a permit. */
    static final class Check extends Transition<SemaphoreState> {
        private final Waiter waiter;
        private final boolean cancel;

        Check(String cluster, Waiter waiter, boolean cancel) {
            super(cluster);
            this.waiter = waiter;
            this.cancel = cancel;
        }

        @Override
        Object apply(SemaphoreState s) {
            return stand(s.acquirers, waiter, cancel);
        }
    }

    static final class Release extends Transition<SemaphoreState> {
        private final String member;

        Release(String cluster, String member) {
            super(cluster);
            this.member = member;
        }

        @Override
        Object apply(SemaphoreState s) {
            if (s.bound >= 0 && s.free >= s.bound) { // Python's rule: free permits already at the bound
                return "releasing it would take it above its bound of " + s.bound + " permits";
            }
            s.unhold(member);
            s.giveBack(this);
            return Status.OK;
        }
    }

    static final class Available extends Transition<SemaphoreState> {
        Available(String cluster) {
            super(cluster);
        }

        @Override
        Object apply(SemaphoreState s) {
            return s.free;
        }
    }

}
