package io.mproc.shared;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A lock and, for a {@code Value} or an array, the data it guards. The holder is an owner id
 * ({@code "member/thread"}); waiters to acquire are served in order, and the lock passes
 * straight to the next one. Calls on the data that find the lock held by someone else wait in
 * {@link #blocked} and are woken, to try again, when it is freed.
 */
final class CellState implements SyncState, Box {
    final String kind;
    Object value;
    String owner;
    long fence;
    final ArrayDeque<Waiter> acquirers = new ArrayDeque<>();
    final List<Waiter> blocked = new ArrayList<>();

    CellState(String kind, Object value) {
        this.kind = kind;
        this.value = value;
    }

    @Override
    public Object value() {
        return value;
    }

    @Override
    public void value(Object newValue) {
        value = newValue;
    }

    /** Frees the lock: wakes the blocked data calls and hands the lock to the next acquirer. */
    void free(Transition<?> step) {
        owner = null;
        for (Waiter waiter : blocked) {
            step.wake(waiter, 0, null);
        }
        blocked.clear();
        Waiter next = acquirers.poll();
        if (next != null) {
            owner = next.owner();
            fence++;
            step.wake(next, fence, value);
        }
    }

    @Override
    public void evict(String member, Transition<?> step) {
        acquirers.removeIf(w -> w.member().equals(member));
        blocked.removeIf(w -> w.member().equals(member));
        if (owner != null && Waiter.memberOf(owner).equals(member)) {
            free(step);
        }
    }

    @Override
    public String describe() {
        return kind + (owner == null ? " (free" : " (held by " + owner) + ", fence " + fence + ", "
                + acquirers.size() + " waiting)";
    }

    /** What an acquisition gets: its fencing token and, for a value or an array, the data. */
    record Grant(long fence, Object value) implements java.io.Serializable {
    }

    /** Takes the lock if free; else queues the waiter (or answers BUSY without one). */
    static final class Acquire extends Transition<CellState> {
        private final String owner;
        private final Waiter waiter;

        Acquire(String cluster, String owner, Waiter waiter) {
            super(cluster);
            this.owner = owner;
            this.waiter = waiter;
        }

        @Override
        Object apply(CellState cell) {
            if (cell.owner == null && cell.acquirers.isEmpty()) {
                cell.owner = owner;
                cell.fence++;
                return new Grant(cell.fence, cell.value);
            }
            if (waiter == null) {
                return Status.BUSY;
            }
            cell.acquirers.add(waiter);
            return Status.QUEUED;
        }
    }

    /** A queued acquirer that is no longer in the queue was given the lock. */
    static final class Check extends Transition<CellState> {
        private final Waiter waiter;
        private final boolean cancel;

        Check(String cluster, Waiter waiter, boolean cancel) {
            super(cluster);
            this.waiter = waiter;
            this.cancel = cancel;
        }

        @Override
        Object apply(CellState cell) {
            if (cell.acquirers.contains(waiter)) {
                if (cancel) {
                    cell.acquirers.remove(waiter);
                    return Status.CANCELLED;
                }
                return Status.QUEUED;
            }
            return new Grant(cell.fence, cell.value);
        }
    }

    /**
     * Frees the lock held by {@code owner} under {@code fence}, writing back {@code value} if
     * {@code dirty}. Replies {@link Status#OK} or a message saying why not.
     */
    static final class Release extends Transition<CellState> {
        private final String owner;
        private final boolean anyThread;
        private final long fence;
        private final boolean dirty;
        private final Object value;

        Release(String cluster, String owner, boolean anyThread, long fence, boolean dirty, Object value) {
            super(cluster);
            this.owner = owner;
            this.anyThread = anyThread;
            this.fence = fence;
            this.dirty = dirty;
            this.value = value;
        }

        @Override
        Object apply(CellState cell) {
            if (cell.owner == null) {
                return "it is not locked";
            }
            boolean mine = anyThread ? Waiter.memberOf(cell.owner).equals(Waiter.memberOf(owner)) : cell.owner.equals(owner);
            if (!mine) {
                return "it is held by " + cell.owner + ", not by the caller " + owner;
            }
            if (fence != 0 && cell.fence != fence) {
                return "the caller's hold (fencing token " + fence + ") was lost: the lock was taken for dead and is now at token " + cell.fence;
            }
            if (dirty) {
                cell.value = value;
            }
            cell.free(this);
            return Status.OK;
        }
    }

    /** Who holds the lock (null: free). */
    static final class Holder extends Transition<CellState> {
        Holder(String cluster) {
            super(cluster);
        }

        @Override
        Object apply(CellState cell) {
            return cell.owner == null ? Status.OK : cell.owner;
        }
    }

    /**
     * A call on the data: done at once if the lock is free or held by the caller; else the caller
     * waits in {@link #blocked} for the lock to be freed.
     */
    static final class Access extends Transition<CellState> {
        private final String caller;
        private final Waiter waiter;
        private final Mutation mutation;

        Access(String cluster, String caller, Waiter waiter, Mutation mutation) {
            super(cluster);
            this.caller = caller;
            this.waiter = waiter;
            this.mutation = mutation;
        }

        @Override
        Object apply(CellState cell) {
            if (cell.owner != null && !cell.owner.equals(caller)) {
                if (waiter != null && !cell.blocked.contains(waiter)) {
                    cell.blocked.add(waiter);
                }
                return Status.QUEUED;
            }
            if (waiter != null) {
                cell.blocked.remove(waiter);
            }
            return mutation.applyOrFailure(cell);
        }
    }

    /** Stops waiting for the lock to be freed. */
    static final class Unblock extends Transition<CellState> {
        private final Waiter waiter;

        Unblock(String cluster, Waiter waiter) {
            super(cluster);
            this.waiter = waiter;
        }

        @Override
        Object apply(CellState cell) {
            cell.blocked.remove(waiter);
            return Status.CANCELLED;
        }
    }
}
