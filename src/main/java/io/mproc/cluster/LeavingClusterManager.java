package io.mproc.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Completable;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.Iterator;

/**
 * Vert.x's cluster manager for Hazelcast, with less clean-up when members leave. Vert.x has
 * every member, when any other leaves, scan the whole subscription map, drop the gone member's
 * entries, write its own node record and publish its own subscriptions again, under the
 * manager's lock, which its own leave also takes.
 * <ul>
 * <li>A member that is leaving does none of it for others (measured: when processes ended
 * together, each one's leave waited 1.2 s for that work about the others; 0.1 s alone).</li>
 * <li>When a worker (a lite member, which holds no cluster data, so nothing was lost with it)
 * leaves, the oldest member alone does it; the others learn of the dropped entries from the
 * map's events and only tell their event bus that the node left. A data member that leaves
 * gets Vert.x's full clean-up everywhere.</li>
 * <li>Its leave stops the thread vertx-hazelcast 5.0 starts for each cluster manager to throttle
 * subscription updates, which that version never stops: a program that opened and closed 50
 * contexts kept 50 such threads, and {@code mvn exec:java} waited 15 s for the one of its
 * context before it let the program end.</li>
 * </ul>
 */
final class LeavingClusterManager extends HazelcastClusterManager {
    /** The member attribute Vert.x's cluster manager reads its node id from (HazelcastClusterManager's own, private there). */
    static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";
    private volatile boolean leaving;
    private volatile NodeListener nodes;

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
            stopThrottling();
            promise.succeed(null); // the member has left the cluster already: a worker JVM about to end (Node#leaveAndEnd)
            return;
        }
        super.leave((result, failure) -> {
            stopThrottling();
            promise.complete(result, failure);
        });
    }

    /**
     * Stops the subscription-update thread of vertx-hazelcast's {@code Throttling}, whose
     * {@code close()} (called by the leave) waits for its work but never shuts its executor down.
     * Reached through private fields: if a later vertx-hazelcast names them otherwise, nothing is
     * stopped (and nothing breaks); the test of closed contexts' threads then says so.
     */
    private void stopThrottling() {
        try {
            Object helper = field(HazelcastClusterManager.class, "subsMapHelper").get(this);
            Object throttling = helper == null ? null : field(helper.getClass(), "throttling").get(helper);
            Object executor = throttling == null ? null : field(throttling.getClass(), "executorService").get(throttling);
            if (executor instanceof java.util.concurrent.ExecutorService service) {
                service.shutdownNow();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.getLogger(LeavingClusterManager.class.getName()).log(System.Logger.Level.DEBUG,
                    "cannot stop vertx-hazelcast's throttling thread: " + e);
        }
    }

    private static java.lang.reflect.Field field(Class<?> type, String name) throws NoSuchFieldException {
        java.lang.reflect.Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    @Override
    public void nodeListener(NodeListener listener) {
        this.nodes = listener;
        super.nodeListener(listener);
    }

    /**
     * A worker left (a lite member: it held no cluster data, so nothing of the subscription map
     * was lost with it): the oldest member alone drops its subscriptions, and the others hear of
     * it through the map's own events; each member still tells its event bus that the node left.
     * Another member, or any member on the oldest, gets Vert.x's full clean-up.
     */
    @Override
    public void memberRemoved(MembershipEvent event) {
        if (leaving) {
            return;
        }
        Member gone = event.getMember();
        if (!gone.isLiteMember() || oldestIsHere()) {
            super.memberRemoved(event);
            return;
        }
        NodeListener listener = nodes;
        String node = gone.getAttribute(NODE_ID_ATTRIBUTE);
        if (listener != null && node != null && isActive()) {
            listener.nodeLeft(node);
        }
    }

    private boolean oldestIsHere() {
        Iterator<Member> members = getHazelcastInstance().getCluster().getMembers().iterator();
        return members.hasNext() && members.next().localMember();
    }
}
