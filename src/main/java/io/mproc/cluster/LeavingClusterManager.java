package io.mproc.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Completable;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Vert.x's cluster manager for Hazelcast, but a member that is leaving does no more clean-up
 * for others that leave. Vert.x has every member, when any other leaves, scan the whole
 * subscription map, drop the gone member's entries, and publish its own subscriptions again,
 * under the manager's lock, which its own leave also takes. When processes end together (a
 * pool closing, the demo's five processes), each one's leave waited for that work about the
 * others (measured: 1.2 s from a process's last task to its JVM's end, 0.1 s alone); whoever
 * stays does that clean-up.
 */
final class LeavingClusterManager extends HazelcastClusterManager {
    private volatile boolean leaving;

    LeavingClusterManager(HazelcastInstance instance) {
        super(instance);
    }

    /** From now on, other members' leaving is not this member's concern. */
    void leaving() {
        leaving = true;
    }

    @Override
    public void leave(Completable<Void> promise) {
        leaving = true;
        if (!getHazelcastInstance().getLifecycleService().isRunning()) {
            promise.succeed(null); // the member has left the cluster already: a worker JVM about to end (Node#leaveAndEnd)
            return;
        }
        super.leave(promise);
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        if (!leaving) {
            super.memberRemoved(event);
        }
    }
}
