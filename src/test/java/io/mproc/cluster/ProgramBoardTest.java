package io.mproc.cluster;

import io.mproc.cluster.protocol.Request;
import io.mproc.cluster.protocol.Request.Progress.MapState;
import io.mproc.cluster.protocol.Request.Progress.Tally;
import io.mproc.cluster.protocol.Request.Queues.QueueState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the status page shows of the programs: the last word of each pool and program, until done or silent; task counts for good. */
@Timeout(10)
class ProgramBoardTest {

    @Test
    void eachPoolsMapsAreShownUntilDoneOrSilentAndItsTaskCountsStay() {
        ProgramBoard board = new ProgramBoard();
        Tally some = new Tally(100, 10, 1, 0, 0, 2);
        board.progress(new Request.Progress("p1", List.of(new MapState("map on p1", 10, 100, 1, 2, 0)), some), 1_000);
        board.progress(new Request.Progress("p2", List.of(new MapState("map on p2", 0, 5, 0, 0, 0)), new Tally(5, 0, 0, 0, 0, 0)), 1_000);
        Tally more = new Tally(100, 60, 1, 0, 3, 2);
        board.progress(new Request.Progress("p1", List.of(new MapState("map on p1", 60, 100, 1, 2, 3)), more), 2_000);

        JsonArray rows = board.pools(2_000);
        assertThat(rows).hasSize(2);
        assertThat(rows.getJsonObject(0)).isEqualTo(new JsonObject().put("pool", "p1")
                .put("maps", new JsonArray().add(new JsonObject().put("map", "map on p1").put("done", 60L).put("total", 100L)
                        .put("failed", 1L).put("retried", 2L).put("cancelled", 3L)))
                .put("tasks", more.toJson()));

        Tally done = new Tally(100, 96, 1, 0, 3, 2);
        board.progress(new Request.Progress("p1", List.of(), done), 2_500);
        assertThat(board.pools(2_500)).as("p1's maps are done").extracting(r -> ((JsonObject) r).getString("pool")).containsExactly("p2");
        assertThat(board.pools(1_000 + ProgramBoard.STALE_MS + 1)).as("p2 fell silent (its program died)").isEmpty();
        assertThat(board.tasks().getJsonObject("p1")).as("a counter never goes away or down").isEqualTo(done.toJson());
        assertThat(board.tasks().fieldNames()).containsExactlyInAnyOrder("p1", "p2");
    }

    @Test
    void onlyTheLastThousandPoolsCountsAreKept() {
        ProgramBoard board = new ProgramBoard();
        for (int i = 0; i <= ProgramBoard.TALLIES_KEPT; i++) {
            board.progress(new Request.Progress("p" + i, List.of(), new Tally(1, 1, 0, 0, 0, 0)), i);
        }
        assertThat(board.tasks().size()).isEqualTo(ProgramBoard.TALLIES_KEPT);
        assertThat(board.tasks().containsKey("p0")).as("the one heard from least recently").isFalse();
    }

    @Test
    void eachProgramsQueuesAreShownAsLastToldUntilItHasNoneOrFallsSilent() {
        ProgramBoard board = new ProgramBoard();
        board.queues(new Request.Queues("a", List.of(new QueueState("Queue-1", 3, 0), new QueueState("jobs", 6, 6))), 1_000);
        board.queues(new Request.Queues("b", List.of(new QueueState("Queue-1", 0, 0))), 1_000);
        board.queues(new Request.Queues("a", List.of(new QueueState("Queue-1", 4, 0), new QueueState("jobs", 5, 6))), 2_000);

        assertThat(board.queues(2_000)).containsExactly(
                new JsonObject().put("queue", "Queue-1").put("depth", 4L).put("maxsize", 0L).put("program", "a"),
                new JsonObject().put("queue", "jobs").put("depth", 5L).put("maxsize", 6L).put("program", "a"),
                new JsonObject().put("queue", "Queue-1").put("depth", 0L).put("maxsize", 0L).put("program", "b"));
        board.queues(new Request.Queues("a", List.of()), 2_500);
        assertThat(board.queues(2_500)).extracting(q -> ((JsonObject) q).getString("program")).containsExactly("b");
        assertThat(board.queues(1_000 + ProgramBoard.STALE_MS + 1)).as("b fell silent").isEmpty();
    }
}
