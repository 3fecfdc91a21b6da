package io.mproc.shared;

import com.hazelcast.map.EntryProcessor;
import io.mproc.cluster.Nodes;
import io.mproc.codec.Codec;
import io.mproc.codec.Wire;
import io.vertx.core.buffer.Buffer;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One atomic step on a shared state, run by Hazelcast on the partition that owns it (an
 * entry processor). A step may wake blocked callers in other JVMs: their wake-ups are sent
 * over the event bus once the new state is stored, straight from the owner of the state, so
 * a lock handed over costs one hop to the host and one to the next holder. Backups get the
 * new state, never the wake-ups.
 */
abstract class Transition<S extends SyncState> implements EntryProcessor<String, S, Object>, Serializable {
    final String cluster;
    private transient List<Object[]> wakes;
    private transient S stored;

    Transition(String cluster) {
        this.cluster = cluster;
    }

    /** Changes {@code state} in place and returns the reply to the caller. */
    abstract Object apply(S state);

    @Override
    public final Object process(Map.Entry<String, S> entry) {
        S state = entry.getValue();
        if (state == null) {
            return Status.MISSING;
        }
        Object reply = apply(state);
        entry.setValue(state);
        stored = state;
        if (wakes != null) {
            for (Object[] wake : wakes) {
                Waiter waiter = (Waiter) wake[0];
                Nodes.of(cluster).eventBus().send(waiter.address(), Wake.encode(waiter.seq(), (Long) wake[1], wake[2]));
            }
        }
        return reply;
    }

    /**
     * How {@code waiter} stands in {@code queue}: {@link Status#QUEUED} while it is there (with
     * {@code cancel}: taken out, {@link Status#CANCELLED}), {@link Status#OK} once it left it,
     * which only serving it does.
     */
    static Status stand(java.util.Collection<Waiter> queue, Waiter waiter, boolean cancel) {
        if (!queue.contains(waiter)) {
            return Status.OK;
        }
        if (cancel) {
            queue.remove(waiter);
            return Status.CANCELLED;
        }
        return Status.QUEUED;
    }

    /** Wakes {@code waiter} once the new state is stored, telling it {@code token} and {@code payload}. */
    void wake(Waiter waiter, long token, Object payload) {
        if (wakes == null) {
            wakes = new ArrayList<>();
        }
        wakes.add(new Object[]{waiter, token, payload});
    }

    /** The wake-ups {@link #apply} asked for, {@code {waiter, token, payload}} each, sent only by {@link #process}; for tests. */
    List<Object[]> wakes() {
        return wakes == null ? List.of() : Collections.unmodifiableList(wakes);
    }

    @Override
    public EntryProcessor<String, S, Object> getBackupProcessor() {
        return stored == null ? null : new Store<>(stored);
    }

    /** Puts a state computed on the primary into a backup. */
    private record Store<S>(S state) implements EntryProcessor<String, S, Object> {
        @Override
        public Object process(Map.Entry<String, S> entry) {
            entry.setValue(state);
            return null;
        }

        @Override
        public EntryProcessor<String, S, Object> getBackupProcessor() {
            return null;
        }
    }

    /** A wake-up on the wire: the waiter's sequence number, a token (fence, generation) and a payload. */
    static final class Wake {
        private Wake() {
        }

        static Buffer encode(long seq, long token, Object payload) {
            Wire.Out out = new Wire.Out(64).writeLong(seq).writeLong(token);
            if (payload != null) {
                Codec.writeValues(out, Collections.singletonList(payload), "a shared value");
            }
            return Buffer.buffer(out.toByteArray());
        }

        /** Decodes {@code {seq, token, payload}}. */
        static Object[] decode(Buffer buffer) {
            Wire.In in = new Wire.In(buffer.getBytes());
            long seq = in.readLong();
            long token = in.readLong();
            return new Object[]{seq, token, in.hasMore() ? Codec.readValues(in, "a wake-up").get(0) : null};
        }
    }
}
