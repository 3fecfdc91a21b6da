package io.mproc.cluster;

import io.mproc.cluster.protocol.Event;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker fleet's bookkeeping, with stand-in workers: no JVM is started. */
class RosterTest {
    private static final JsonObject POOL_ROLE = new JsonObject().put("kind", "pool").put("address", "mproc.pool.pool-1");

    /** A stand-in worker: alive until told otherwise. */
    static final class Fake implements Roster.Worker {
        final String id;
        String name;
        String group;
        boolean ready;
        boolean alive = true;

        Fake(String id, String group) {
            this.id = id;
            this.name = id;
            this.group = group;
        }

        public String id() { return id; }
        public String name() { return name; }
        public String group() { return group; }
        public boolean isReady() { return ready; }
        public void markReady() { ready = true; }
        public boolean isAlive() { return alive; }
        public void assign(String group, String name) {
            this.group = group;
            this.name = name;
        }
    }

    private final List<JsonObject> handedOut = new ArrayList<>();
    private final Roster<Fake> roster = new Roster<>(role -> role == null ? null : role.copy().put("handedOut", true));

    private int launched;

    private Fake launch(Roster.Group<Fake> group, String name) {
        Fake worker = new Fake("w" + (++launched), group == null ? null : group.name);
        roster.add(worker);
        if (group != null) {
            roster.enlist(group, worker, name);
        }
        return worker;
    }

    private Fake readySpare() {
        Fake spare = launch(null, null);
        roster.ready(spare, handedOut::add);
        return spare;
    }

    @Test
    void aReadySpareIsTakenFirstAndGetsItsRoleAtOnce() {
        Fake spare = readySpare();
        assertThat(handedOut).as("a spare's role is held until a group takes it").isEmpty();
        Roster.Group<Fake> group = roster.open("pool-1", POOL_ROLE, true, List.of("pool-1-worker-1"));
        assertThat(roster.place(group, group.names.pollFirst())).isSameAs(spare);
        assertThat(spare.group()).isEqualTo("pool-1");
        assertThat(spare.name()).isEqualTo("pool-1-worker-1");
        assertThat(handedOut).containsExactly(POOL_ROLE.copy().put("name", "pool-1-worker-1").put("handedOut", true));
    }

    @Test
    void aDeadSpareIsPassedOverForOneStillStartingAndWithoutSparesTheCallerLaunches() {
        Fake dead = readySpare();
        dead.alive = false;
        Fake starting = launch(null, null);
        Roster.Group<Fake> group = roster.open("pool-1", POOL_ROLE, true, List.of("a", "b"));
        assertThat(roster.place(group, "a")).isSameAs(starting);
        assertThat(handedOut).as("a starting spare gets its role when it is ready").isEmpty();
        roster.ready(starting, handedOut::add);
        assertThat(handedOut).containsExactly(POOL_ROLE.copy().put("name", "a").put("handedOut", true));
        assertThat(roster.place(group, "b")).isNull();
    }

    @Test
    void aGroupNameIsTakenOnce() {
        assertThat(roster.open("pool-1", POOL_ROLE, true, List.of("a"))).isNotNull();
        assertThat(roster.open("pool-1", POOL_ROLE, true, List.of("a"))).isNull();
    }

    @Test
    void sparesStartOnlyWhenNoWorkerIsStartingAndNotAfterThreeEarlyDeaths() {
        assertThat(roster.sparesWanted(2)).isEqualTo(2);
        Fake first = launch(null, null);
        assertThat(roster.sparesWanted(2)).as("one is starting").isZero();
        roster.ready(first, handedOut::add);
        assertThat(roster.sparesWanted(2)).isEqualTo(1);
        for (int i = 0; i < Roster.START_FAILURE_LIMIT; i++) {
            Fake doomed = launch(null, null);
            assertThat(roster.exited(doomed, true).next()).isEqualTo(Roster.Next.REFILL_SPARES);
        }
        assertThat(roster.sparesWanted(2)).as("spares die before they are ready").isZero();
        Fake late = launch(null, null);
        roster.ready(late, handedOut::add);
        assertThat(roster.sparesWanted(3)).as("a ready spare clears the failures").isEqualTo(1);
        roster.stopAll();
        assertThat(roster.sparesWanted(3)).as("stopping").isZero();
    }

    @Test
    void aWorkerThatDiesIsReplacedUnderTheGroupsNextName() {
        Roster.Group<Fake> group = roster.open("pool-1", POOL_ROLE, true, List.of("pool-1-worker-1", "pool-1-worker-2"));
        Fake one = launch(group, group.names.pollFirst());
        launch(group, group.names.pollFirst());
        roster.ready(one, handedOut::add);
        Roster.AfterExit<Fake> after = roster.exited(one, false);
        assertThat(after.next()).isEqualTo(Roster.Next.REPLACE);
        assertThat(after.group()).isSameAs(group);
        assertThat(after.replacement()).isEqualTo("pool-1-worker-3");
        assertThat(roster.get(one.id())).isNull();
        assertThat(group.roles).doesNotContainKey(one);
    }

    @Test
    void threeWorkersInARowThatDieBeforeTheyAreReadyBreakTheGroup() {
        Roster.Group<Fake> group = roster.open("pool-1", POOL_ROLE, true, List.of("pool-1-worker-1"));
        Fake worker = launch(group, group.names.pollFirst());
        for (int i = 1; i < Roster.START_FAILURE_LIMIT; i++) {
            Roster.AfterExit<Fake> after = roster.exited(worker, true);
            assertThat(after.next()).isEqualTo(Roster.Next.REPLACE);
            worker = launch(group, after.replacement());
        }
        Roster.AfterExit<Fake> last = roster.exited(worker, true);
        assertThat(last.next()).isEqualTo(Roster.Next.BREAK_GROUP);
        assertThat(group.broken).isTrue();
        assertThat(group.startFailures).isEqualTo(Roster.START_FAILURE_LIMIT);
    }

    @Test
    void aReadyWorkerClearsItsGroupsStartFailures() {
        Roster.Group<Fake> group = roster.open("pool-1", POOL_ROLE, true, List.of("a"));
        Fake worker = launch(group, "a");
        Roster.AfterExit<Fake> after = roster.exited(worker, true);
        Fake next = launch(group, after.replacement());
        roster.ready(next, handedOut::add);
        assertThat(group.startFailures).isZero();
        assertThat(handedOut).containsExactly(POOL_ROLE.copy().put("name", "a-2").put("handedOut", true));
    }

    @Test
    void aGroupThatDoesNotReplaceEndsWithItsLastWorker() {
        Roster.Group<Fake> group = roster.open("process-1", POOL_ROLE, false, List.of("Process-1"));
        Fake worker = launch(group, group.names.pollFirst());
        assertThat(roster.exited(worker, false).next()).isEqualTo(Roster.Next.NOTHING);
        assertThat(roster.open("process-1", POOL_ROLE, false, List.of("Process-1"))).as("the name is free again").isNotNull();
    }

    @Test
    void aStoppedGroupSaysSoOnceItsLastWorkerHasExited() {
        Roster.Group<Fake> group = roster.open("pool-1", POOL_ROLE, true, List.of("a", "b"));
        Fake a = launch(group, "a");
        Fake b = launch(group, "b");
        List<String> stopped = new ArrayList<>();
        assertThat(roster.stop("pool-1", () -> stopped.add("pool-1"))).containsExactly(a, b);
        assertThat(roster.exited(a, false).next()).as("not replaced while stopping").isEqualTo(Roster.Next.NOTHING);
        assertThat(stopped).isEmpty();
        roster.exited(b, false);
        assertThat(stopped).containsExactly("pool-1");
        assertThat(roster.stop("pool-1", () -> stopped.add("again"))).isEmpty();
        assertThat(stopped).as("an unknown group is stopped at once").containsExactly("pool-1", "again");
    }

    @Test
    void aClusterWorkerDismissedByScaleIsNotReplacedAndIsHandedNoRole() {
        Roster.Group<Fake> cluster = roster.clusterGroup();
        assertThat(cluster.name).isEqualTo(Event.CLUSTER_GROUP);
        assertThat(roster.clusterGroup()).isSameAs(cluster);
        Fake worker = launch(cluster, "worker-" + (++cluster.named));
        cluster.roles.remove(worker);
        roster.ready(worker, handedOut::add);
        assertThat(handedOut).containsExactly((JsonObject) null);
        assertThat(roster.exited(worker, false).next()).isEqualTo(Roster.Next.NOTHING);
    }

    @Test
    void replacementNamesCountOnFromTheGroupsNames() {
        Roster.Group<Fake> group = new Roster.Group<>("g", POOL_ROLE, true);
        group.named = 4;
        assertThat(Roster.replacementName(group, "pool-1-worker-2")).isEqualTo("pool-1-worker-5");
        assertThat(Roster.replacementName(group, "Process")).isEqualTo("Process-6");
    }
}
