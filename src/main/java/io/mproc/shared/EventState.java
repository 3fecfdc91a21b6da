package io.mproc.shared;

import java.util.ArrayList;
import java.util.List;

/** An event: the flag, and who waits for it to be set. */
final class EventState implements SyncState {
    final String name;
    boolean flag;
    final List<Waiter> waiters = new ArrayList<>();

    EventState(String name) {
        this.name = name;
    }

    @Override
    public void evict(String member, Transition<?> step) {
        waiters.removeIf(w -> w.member().equals(member));
    }

    @Override
    public String describe() {
        return name + " (" + (flag ? "set" : "clear") + ", " + waiters.size() + " waiting)";
    }

    /** Sets or clears the flag; setting wakes every waiter. */
    static final class Flag extends Transition<EventState> {
        private final boolean set;

        Flag(String cluster, boolean set) {
            super(cluster);
            this.set = set;
        }

        @Override
        Object apply(EventState e) {
            e.flag = set;
            if (set) {
                e.waiters.forEach(w -> wake(w, 1, null));
                e.waiters.clear();
            }
            return Status.OK;
        }
    }

    /**
     * A wait: OK if the flag is set (or the waiter was woken by a set); else queues the waiter
     * ({@code mode} 0), answers QUEUED (1: a check) or takes it out (2: a cancel).
     */
    static final class Await extends Transition<EventState> {
        private final Waiter waiter;
        private final int mode;

        Await(String cluster, Waiter waiter, int mode) {
            super(cluster);
            this.waiter = waiter;
            this.mode = mode;
        }

        @Override
        Object apply(EventState e) {
            boolean queued = waiter != null && e.waiters.contains(waiter);
            if (e.flag || (mode != 0 && !queued)) {
                e.waiters.remove(waiter);
                return Status.OK;
            }
            if (waiter == null) {
                return Status.BUSY;
            }
            return switch (mode) {
                case 0 -> {
                    e.waiters.add(waiter);
                    yield Status.QUEUED;
                }
                case 1 -> Status.QUEUED;
                default -> {
                    e.waiters.remove(waiter);
                    yield Status.CANCELLED;
                }
            };
        }
    }

    static final class IsSet extends Transition<EventState> {
        IsSet(String cluster) {
            super(cluster);
        }

        @Override
        Object apply(EventState e) {
            return e.flag;
        }
    }
}
