package io.mproc.cluster;

import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Lets worker JVMs join the cluster one at a time. Hazelcast's master defers a join request
 * that comes while another join is in progress, and the joiner retries only a second later
 * (a fixed wait in Hazelcast 5.3): measured here, two workers starting together were ready
 * after 2.4 s instead of 1.8 s. Their JVMs boot and build their Hazelcast members in parallel;
 * only the join request itself waits for its turn (the worker asks for it from inside
 * Hazelcast's joiner, see {@link Node#start(Settings, String, String, String, boolean, int, Runnable, ClusterIdentity)}),
 * which ends when the joiner's member appears or after {@value #SLOT_MS} ms.
 *
 * <p>Part of the {@link WorkerFleet}; used on the supervisor's event loop only.
 */
final class JoinGate {
    private static final long SLOT_MS = 1_500;

    private final Vertx vertx;
    private final Deque<WorkerProcess> waiting = new ArrayDeque<>();
    private WorkerProcess joining;
    private long timer = -1;

    JoinGate(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Queues a newly launched worker for its turn. */
    void enqueue(WorkerProcess worker) {
        waiting.addLast(worker);
        grant();
    }

    /** A member joined: the worker whose turn it was is in, the next may go. */
    void memberAdded() {
        done(joining);
    }

    /** A worker exited: it gives up its place or its turn. */
    void exited(WorkerProcess worker) {
        waiting.remove(worker);
        done(worker);
    }

    private void done(WorkerProcess worker) {
        if (joining == null || worker != joining) {
            return;
        }
        vertx.cancelTimer(timer);
        joining = null;
        grant();
    }

    private void grant() {
        while (joining == null && !waiting.isEmpty()) {
            WorkerProcess next = waiting.pollFirst();
            if (next.process().isAlive()) {
                joining = next;
                next.permitJoin();
                timer = vertx.setTimer(SLOT_MS, t -> done(next));
            }
        }
    }
}
