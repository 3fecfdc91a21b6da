package io.mproc.cluster;

import io.mproc.cluster.protocol.Request;
import io.mproc.cluster.protocol.Request.Progress.MapState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The maps the status page shows: the last word of each pool, until its maps are done or it falls silent. */
@Timeout(10)
class MapBoardTest {

    @Test
    void eachPoolsLastWordIsShownUntilItsMapsAreDoneOrItFallsSilent() {
        MapBoard board = new MapBoard();
        board.said(new Request.Progress("p1", List.of(new MapState("map on p1", 10, 100))), 1_000);
        board.said(new Request.Progress("p2", List.of(new MapState("map on p2", 0, 5))), 1_000);
        board.said(new Request.Progress("p1", List.of(new MapState("map on p1", 60, 100))), 2_000);

        JsonArray rows = board.rows(2_000);
        assertThat(rows).hasSize(2);
        assertThat(rows.getJsonObject(0)).isEqualTo(new JsonObject().put("pool", "p1")
                .put("maps", new JsonArray().add(new JsonObject().put("map", "map on p1").put("done", 60L).put("total", 100L))));

        board.said(new Request.Progress("p1", List.of()), 2_500);
        assertThat(board.rows(2_500)).as("p1's maps are done").extracting(r -> ((JsonObject) r).getString("pool")).containsExactly("p2");
        assertThat(board.rows(1_000 + MapBoard.STALE_MS + 1)).as("p2 fell silent (its program died)").isEmpty();
    }
}
