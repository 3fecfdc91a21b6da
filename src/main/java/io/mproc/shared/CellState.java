package io.mproc.shared;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A lock and, for a {@code Value} or an array, the data it guards, as the host keeps them. The
 * lock is granted to a member (a JVM), which caches it as a {@link Lease} until another process
 * wants it; the data travels with the grant and comes back with the lease. Acquirers wait in
 * order and the lock passes straight to the next one. Calls on the data that find the lock
 * out wait in {@link #blocked} and are woken to try again when it comes back.
 */
final class CellState implements SyncState, Box {
    final String kind;
    Object value;
    /** The member holding the lock, and the address where it is asked to give it back; null when free. */
    String owner;
    String ownerAddress;
    /** The last fencing token of the latest grant's block. */
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

    private Grant grantTo(Waiter waiter) {
        owner = waiter.member();
        ownerAddress = waiter.address();
        long first = fence + 1;
        fence += Lease.BLOCK;
        return new Grant(first, fence, value, !acquirers.isEmpty() || !blocked.isEmpty());
    }

    /** Frees the lock: wakes the blocked data calls and hands the lock to the next acquirer. */
    void free(Transition<?> step) {
        owner = null;
        ownerAddress = null;
        Waiter next = acquirers.poll();
        if (next != null) {
            step.wake(next, 0, grantTo(next));
        }
        for (Waiter waiter : blocked) {
            step.wake(waiter, 0, null);
        }
        blocked.clear();
    }

    private Queued queued() {
        return new Queued(ownerAddress);
    }

    @Override
    public void evict(String member, Transition<?> step) {
        acquirers.removeIf(w -> w.member().equals(member));
        blocked.removeIf(w -> w.member().equals(member));
        if (member.equals(owner)) {
            free(step);
        }
    }

    @Override
    public String describe() {
        return kind + (owner == null ? " (free" : " (held by member " + owner) + ", fence " + fence + ", "
                + acquirers.size() + " waiting)";
    }

    /**
     * A grant: the block of fencing tokens {@code [first, last]} ({@code last} also names the
     * grant), the data, and whether others already wait for it.
     */
    record Grant(long first, long last, Object value, boolean contended) implements Serializable {
    }

    /** The caller waits; {@code owner} is the lease address of the member holding the lock, to ask it back. */
    record Queued(String owner) implements Serializable {
    }

    /** Grants the lock if free; else queues the waiter (without one: answers {@link Queued} and queues nothing). */
    static final class Acquire extends Transition<CellState> {
        private final Waiter waiter;
        private final Waiter asker;

        /** @param waiter the caller, or null to ask without queueing (then {@code asker} names the caller) */
        Acquire(String cluster, Waiter waiter, Waiter asker) {
            super(cluster);
            this.waiter = waiter;
            this.asker = asker;
        }

        @Override
        Object apply(CellState cell) {
            if (cell.owner == null) {
                return cell.grantTo(waiter != null ? waiter : asker);
            }
            if (waiter != null) {
                cell.acquirers.add(waiter);
            }
            return cell.queued();
        }
    }

    /**
     * A queued acquirer that left the queue and whose member holds the lock was granted it
     * ({@code cancel}: take it out if still queued). One that left the queue without the lock
     * was dropped (the reaper took its member for dead): it tries again, or, cancelling, is
     * {@link Status#CANCELLED}.
     */
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
            Status stand = stand(cell.acquirers, waiter, cancel);
            if (stand != Status.OK) {
                return stand == Status.QUEUED ? cell.queued() : stand;
            }
            if (!waiter.member().equals(cell.owner)) {
                return cancel ? Status.CANCELLED : Status.RETRY;
            }
            return new Grant(cell.fence - Lease.BLOCK + 1, cell.fence, cell.value, !cell.acquirers.isEmpty() || !cell.blocked.isEmpty());
        }
    }

    /**
     * A lease given back by {@code member}: frees the lock, with the data if {@code dirty}.
     * Replies {@link Status#OK}, or a message saying why not (a grant other than {@code grant}
     * means the holder was taken for dead and the lock went on).
     */
    static final class Release extends Transition<CellState> {
        private final String member;
        private final long grant;
        private final boolean dirty;
        private final Object value;

        Release(String cluster, String member, long grant, boolean dirty, Object value) {
            super(cluster);
            this.member = member;
            this.grant = grant;
            this.dirty = dirty;
            this.value = value;
        }

        @Override
        Object apply(CellState cell) {
            if (cell.owner == null) {
                return grant == 0 ? "it is not locked" : lost(cell);
            }
            if (!cell.owner.equals(member)) {
                return grant == 0 ? "it is held by member " + cell.owner + ", not by the caller" : lost(cell);
            }
            if (grant == 0) {
                return "the caller does not hold it";
            }
            if (cell.fence != grant) {
                return lost(cell);
            }
            if (dirty) {
                cell.value = value;
            }
            cell.free(this);
            return Status.OK;
        }

        private String lost(CellState cell) {
            return "the caller's hold (tokens up to " + grant + ") was lost: the holder was taken for dead and the lock went on (now at token " + cell.fence + ")";
        }
    }

    /** A copy of the data from the member that holds the lock under {@code grant}, which keeps holding it. */
    static final class WriteBack extends Transition<CellState> {
        private final String member;
        private final long grant;
        private final Object value;

        WriteBack(String cluster, String member, long grant, Object value) {
            super(cluster);
            this.member = member;
            this.grant = grant;
            this.value = value;
        }

        @Override
        Object apply(CellState cell) {
            if (member.equals(cell.owner) && cell.fence == grant) {
                cell.value = value;
            }
            return Status.OK;
        }
    }

    /** The lease address of the member holding the lock, or OK when it is free. */
    static final class Holder extends Transition<CellState> {
        Holder(String cluster) {
            super(cluster);
        }

        @Override
        Object apply(CellState cell) {
            return cell.owner == null ? Status.OK : cell.ownerAddress;
        }
    }

    /**
     * A call on the data where it is kept: done at once while no member holds the lock; else the
     * caller waits in {@link #blocked} ({@link Queued}) for the lock to come back.
     */
    static final class Access extends Transition<CellState> {
        private final Waiter waiter;
        private final Mutation mutation;

        Access(String cluster, Waiter waiter, Mutation mutation) {
            super(cluster);
            this.waiter = waiter;
            this.mutation = mutation;
        }

        @Override
        Object apply(CellState cell) {
            if (cell.owner != null) {
                if (!cell.blocked.contains(waiter)) {
                    cell.blocked.add(waiter);
                }
                return cell.queued();
            }
            cell.blocked.remove(waiter);
            return mutation.applyOrFailure(cell);
        }
    }

    /** Stops waiting for the lock to come back. */
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
