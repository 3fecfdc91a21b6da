package io.mproc.shared;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;

import java.util.concurrent.CompletableFuture;

/**
 * Frees what a member that left the cluster held: its locks and semaphore permits go to the
 * next waiters, its waiters are forgotten, and its unnamed objects are removed ({@link Ownership}:
 * a program killed without closing its context leaves nothing behind). Run by the oldest member only (Hazelcast's master,
 * a data member), once the member is removed: about 0.4 s after a {@code kill -9} on one
 * machine, at most the heartbeat timeout when a host vanishes.
 */
public final class Reaper implements MembershipListener {
    private static final System.Logger LOG = System.getLogger(Reaper.class.getName());

    private final String cluster;
    private final HazelcastInstance hazelcast;

    private Reaper(String cluster, HazelcastInstance hazelcast) {
        this.cluster = cluster;
        this.hazelcast = hazelcast;
    }

    /** Watches the members of {@code cluster} from this (data) member. */
    public static void watch(String cluster, HazelcastInstance hazelcast) {
        hazelcast.getCluster().addMembershipListener(new Reaper(cluster, hazelcast));
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        // nothing to free
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        Member oldest = hazelcast.getCluster().getMembers().iterator().next();
        if (!oldest.localMember()) {
            return;
        }
        String member = event.getMember().getUuid().toString();
        CompletableFuture.runAsync(() -> {
            try {
                hazelcast.<String, SyncState>getMap(Waits.MAP).executeOnEntries(new Evict(cluster, member));
                Ownership.reclaim(hazelcast, member);
            } catch (RuntimeException e) {
                if (hazelcast.getLifecycleService().isRunning()) {
                    LOG.log(System.Logger.Level.WARNING, "freeing what member " + member + " held: " + e);
                }
            }
        });
    }

    /** Frees what {@code member} held in one state. */
    static final class Evict extends Transition<SyncState> {
        private final String member;

        Evict(String cluster, String member) {
            super(cluster);
            this.member = member;
        }

        @Override
        Object apply(SyncState state) {
            state.evict(member, this);
            return Status.OK;
        }
    }
}
