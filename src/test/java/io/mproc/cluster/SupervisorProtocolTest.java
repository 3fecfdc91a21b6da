package io.mproc.cluster;

import io.mproc.cluster.protocol.Event;
import io.mproc.cluster.protocol.Request;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The supervisor's protocol: every record survives its JSON form, the wire names stay, and malformed JSON is named. */
class SupervisorProtocolTest {
    private static final JsonObject ROLE = new JsonObject().put("kind", "pool").put("address", "mproc.pool.pool-1");

    static List<Request> everyRequest() {
        return List.of(
                new Request.StartGroup("pool-1", List.of("pool-1-worker-1", "pool-1-worker-2"), ROLE, true),
                new Request.StartGroup("process-1", List.of("Process-1"), ROLE, false),
                new Request.StopGroup("pool-1", Request.StopGroup.Signal.LEAVE),
                new Request.StopGroup("pool-1", Request.StopGroup.Signal.TERM),
                new Request.StopGroup("pool-1", Request.StopGroup.Signal.KILL),
                new Request.Ready("w3"),
                new Request.Status(),
                new Request.Scale(4, null),
                new Request.Scale(0, "10.0.0.6"),
                new Request.Stop(),
                new Request.Deploy("com.example.Echo"),
                new Request.Deploy("com.example.Echo", "member-uuid"),
                new Request.Cpus(),
                new Request.Pools(),
                new Request.OpenPool("ab12-pool-1", "mproc.pool.ab12-pool-1", "member-uuid"),
                new Request.OpenPool("pool-2", "mproc.pool.pool-2", null),
                new Request.ClosePool("pool-1"),
                new Request.AgentHello("mproc.supervisor.1a2b3c4d", "10.0.0.6", 8),
                new Request.Progress("ab12-pool-1", List.of(new Request.Progress.MapState("map on ab12-pool-1", 420, 1000, 3, 2, 1),
                        new Request.Progress.MapState("starmap on ab12-pool-1", 0, 7, 0, 0, 0)), new Request.Progress.Tally(1007, 420, 3, 1, 1, 2)),
                new Request.Progress("ab12-pool-1", List.of(), Request.Progress.Tally.NONE),
                new Request.Queues("program-1", List.of(new Request.Queues.QueueState("Queue-1", 12, 0),
                        new Request.Queues.QueueState("jobs", 6, 6))),
                new Request.Queues("program-1", List.of()));
    }

    static List<Event> everyEvent() {
        return List.of(
                new Event.WorkerExit("pool-1-worker-1", "pool-1", 4242L, -9, "10.0.0.2", "killed (SIGKILL)"),
                new Event.WorkerExit("worker-1", Event.CLUSTER_GROUP, 7_000_000_000L, 0, "10.0.0.3", "stopped"),
                new Event.WorkerExit("spare-1", null, 77L, 0, "10.0.0.3", "ended"),
                new Event.GroupBroken("pool-1", "worker pool-1-worker-3 (pid 1) exited with code 3 before it was ready"),
                new Event.PoolOpened("pool-1", "mproc.pool.pool-1", "member-uuid"),
                new Event.PoolOpened("pool-1", "mproc.pool.pool-1", null),
                new Event.PoolClosed("pool-1"));
    }

    @Test
    void everyRequestReadsBackFromItsJsonAndFromItsEncodedForm() {
        for (Request request : everyRequest()) {
            assertThat(Request.parse(request.toJson())).as(request.op()).isEqualTo(request);
            assertThat(Request.parse(new JsonObject(request.toJson().encode()))).as(request.op()).isEqualTo(request);
            assertThat(request.toJson().getString("op")).isEqualTo(request.op());
        }
    }

    @Test
    void everyEventReadsBackFromItsJsonAndFromItsEncodedForm() {
        for (Event event : everyEvent()) {
            assertThat(Event.parse(event.toJson())).as(event.event()).isEqualTo(event);
            assertThat(Event.parse(new JsonObject(event.toJson().encode()))).as(event.event()).isEqualTo(event);
            assertThat(event.toJson().getString("event")).isEqualTo(event.event());
        }
        Event.PoolOpened pool = new Event.PoolOpened("pool-1", "mproc.pool.pool-1", "m");
        assertThat(Event.PoolOpened.fromEntry(pool.entry())).isEqualTo(pool);
        assertThat(pool.entry().containsKey("event")).isFalse();
    }

    @Test
    void theWireNamesStayAsDocumented() {
        assertThat(Request.parse(new JsonObject("{\"op\":\"status\"}"))).isEqualTo(new Request.Status());
        assertThat(new Request.Scale(4, "10.0.0.6").toJson()).isEqualTo(new JsonObject("{\"op\":\"scale\",\"workers\":4,\"host\":\"10.0.0.6\"}"));
        assertThat(new Request.Scale(4, null).toJson()).isEqualTo(new JsonObject("{\"op\":\"scale\",\"workers\":4}"));
        assertThat(new Request.Deploy("com.example.Echo").toJson())
                .isEqualTo(new JsonObject("{\"op\":\"deploy\",\"verticle\":\"com.example.Echo\"}"));
        assertThat(new Request.Deploy("com.example.Echo", "m1").toJson())
                .isEqualTo(new JsonObject("{\"op\":\"deploy\",\"verticle\":\"com.example.Echo\",\"program\":\"m1\"}"));
        // as the cluster lists them for workers that start later
        assertThat(new Request.Deploy("com.example.Echo", "m1").spec()).isEqualTo("com.example.Echo@m1");
        assertThat(new Request.Deploy("com.example.Echo").spec()).isEqualTo("com.example.Echo");
        assertThat(Request.Deploy.ofSpec("com.example.Echo@m1")).isEqualTo(new Request.Deploy("com.example.Echo", "m1"));
        assertThat(Request.Deploy.ofSpec("com.example.Echo")).isEqualTo(new Request.Deploy("com.example.Echo"));
        assertThat(new Request.Stop().toJson()).isEqualTo(new JsonObject("{\"op\":\"stop\"}"));
        assertThat(new Request.Cpus().toJson()).isEqualTo(new JsonObject("{\"op\":\"cpus\"}"));
        assertThat(new Request.StopGroup("g", Request.StopGroup.Signal.TERM).toJson())
                .isEqualTo(new JsonObject("{\"op\":\"stop-group\",\"group\":\"g\",\"signal\":\"term\"}"));
        assertThat(new Request.Ready("w1").toJson()).isEqualTo(new JsonObject("{\"op\":\"ready\",\"id\":\"w1\"}"));
        assertThat(new Request.Ready("w1", "uuid-1").toJson()).isEqualTo(new JsonObject("{\"op\":\"ready\",\"id\":\"w1\",\"member\":\"uuid-1\"}"));
        assertThat(Request.parse(new Request.Ready("w1", "uuid-1").toJson())).isEqualTo(new Request.Ready("w1", "uuid-1"));
        assertThat(new Request.StartGroup("g", List.of("a"), ROLE, false).toJson()).isEqualTo(new JsonObject()
                .put("op", "start-group").put("group", "g").put("names", new io.vertx.core.json.JsonArray().add("a")).put("role", ROLE)
                .put("replace", false));
        assertThat(new Event.WorkerExit("w", "g", 5, -9, "h", "killed (SIGKILL)").toJson())
                .isEqualTo(new JsonObject("{\"event\":\"exit\",\"worker\":\"w\",\"group\":\"g\",\"pid\":5,\"code\":-9,\"host\":\"h\",\"reason\":\"killed (SIGKILL)\"}"));
        assertThat(new Event.GroupBroken("g", "why").toJson()).isEqualTo(new JsonObject("{\"event\":\"group-broken\",\"group\":\"g\",\"reason\":\"why\"}"));
        assertThat(new Event.PoolOpened("p", "a", "m").toJson())
                .isEqualTo(new JsonObject("{\"event\":\"open\",\"pool\":\"p\",\"address\":\"a\",\"member\":\"m\"}"));
        assertThat(new Event.PoolClosed("p").toJson()).isEqualTo(new JsonObject("{\"event\":\"closed\",\"pool\":\"p\"}"));
    }

    @Test
    void optionalFieldsTakeTheirDefaults() {
        assertThat(Request.parse(new JsonObject("{\"op\":\"stop-group\",\"group\":\"g\"}")))
                .isEqualTo(new Request.StopGroup("g", Request.StopGroup.Signal.LEAVE));
        assertThat(Request.parse(new JsonObject().put("op", "start-group").put("group", "g").put("names", new io.vertx.core.json.JsonArray().add("a"))
                .put("role", ROLE))).isEqualTo(new Request.StartGroup("g", List.of("a"), ROLE, true));
        assertThat(Request.parse(new JsonObject("{\"op\":\"agent-hello\",\"address\":\"a\",\"host\":\"h\"}")))
                .isEqualTo(new Request.AgentHello("a", "h", 1));
        assertThat(Request.parse(new JsonObject("{\"op\":\"open-pool\",\"pool\":\"p\",\"address\":\"a\"}")))
                .isEqualTo(new Request.OpenPool("p", "a", null));
        assertThat(Request.parse(new JsonObject("{\"op\":\"scale\",\"workers\":2}"))).isEqualTo(new Request.Scale(2, null));
        assertThat(Event.parse(new JsonObject("{\"event\":\"exit\",\"worker\":\"w\",\"pid\":5,\"code\":3}")))
                .as("an exit told without host and reason").isEqualTo(new Event.WorkerExit("w", null, 5, 3, null, "exit code 3"));
    }

    @Test
    void eachKindGoesToItsOwnMethodOfAVisitor() {
        List<String> calls = new ArrayList<>();
        Request.Visitor<List<String>> visitor = new Request.Visitor<>() {
            public void startGroup(Request.StartGroup r, List<String> c) { c.add("start-group"); }
            public void stopGroup(Request.StopGroup r, List<String> c) { c.add("stop-group"); }
            public void ready(Request.Ready r, List<String> c) { c.add("ready"); }
            public void status(Request.Status r, List<String> c) { c.add("status"); }
            public void scale(Request.Scale r, List<String> c) { c.add("scale"); }
            public void stop(Request.Stop r, List<String> c) { c.add("stop"); }
            public void deploy(Request.Deploy r, List<String> c) { c.add("deploy"); }
            public void cpus(Request.Cpus r, List<String> c) { c.add("cpus"); }
            public void pools(Request.Pools r, List<String> c) { c.add("pools"); }
            public void openPool(Request.OpenPool r, List<String> c) { c.add("open-pool"); }
            public void closePool(Request.ClosePool r, List<String> c) { c.add("close-pool"); }
            public void agentHello(Request.AgentHello r, List<String> c) { c.add("agent-hello"); }
            public void progress(Request.Progress r, List<String> c) { c.add("progress"); }
            public void queues(Request.Queues r, List<String> c) { c.add("queues"); }
        };
        for (Request request : everyRequest()) {
            calls.clear();
            request.accept(visitor, calls);
            assertThat(calls).containsExactly(request.op());
        }
    }

    @Test
    void aMalformedRequestIsRejectedWithTheFieldNamed() {
        assertThatThrownBy(() -> Request.parse(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field op");
        assertThatThrownBy(() -> Request.parse(new JsonObject())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown supervisor op 'null'").hasMessageContaining("expected status, scale, stop, deploy or cpus");
        assertThatThrownBy(() -> Request.parse(new JsonObject("{\"op\":\"bogus\"}"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown supervisor op 'bogus' in {\"op\":\"bogus\"}");
        assertThatThrownBy(() -> Request.parse(new JsonObject("{\"op\":7}"))).hasMessageContaining("unknown supervisor op '7'");
        assertThatThrownBy(() -> Request.parse(new JsonObject().put("op", "start-group").put("group", "g").put("role", ROLE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("start-group needs names (");
        assertThatThrownBy(() -> Request.parse(new JsonObject().put("op", "start-group").put("group", "g").put("role", ROLE)
                .put("names", new io.vertx.core.json.JsonArray()))).hasMessageStartingWith("start-group's names must be a non-empty array");
        assertThatThrownBy(() -> Request.parse(new JsonObject().put("op", "start-group").put("group", "g")
                .put("names", new io.vertx.core.json.JsonArray().add(1)).put("role", ROLE))).hasMessageStartingWith("start-group's names must be");
        assertThatThrownBy(() -> Request.parse(new JsonObject().put("op", "start-group").put("names", new io.vertx.core.json.JsonArray().add("a"))
                .put("role", ROLE))).hasMessageStartingWith("start-group needs group");
        assertThatThrownBy(() -> Request.parse(new JsonObject().put("op", "start-group").put("group", "g")
                .put("names", new io.vertx.core.json.JsonArray().add("a")).put("role", "pool"))).hasMessageStartingWith("start-group's role must be a JSON object");
        assertThatThrownBy(() -> Request.parse(new JsonObject().put("op", "start-group").put("group", "g")
                .put("names", new io.vertx.core.json.JsonArray().add("a")).put("role", ROLE).put("replace", "yes")))
                .hasMessageStartingWith("start-group's replace must be true or false");
        assertThatThrownBy(() -> Request.parse(new JsonObject("{\"op\":\"stop-group\",\"group\":\"g\",\"signal\":\"hup\"}")))
                .hasMessageStartingWith("stop-group's signal must be leave, term or kill");
        assertThatThrownBy(() -> Request.parse(new JsonObject("{\"op\":\"stop-group\"}"))).hasMessageStartingWith("stop-group needs group");
        assertThatThrownBy(() -> Request.parse(new JsonObject("{\"op\":\"ready\"}"))).hasMessageStartingWith("ready needs id");
        assertThatThrownBy(() -> Request.parse(new JsonObject("{\"op\":\"scale\"}"))).hasMessageStartingWith("scale needs workers");
        assertThatThrownBy(() -> Request.parse(new JsonObject("{\"op\":\"scale\",\"workers\":\"four\"}")))
                .hasMessageStartingWith("scale's workers must be an integer").hasMessageEndingWith("{\"op\":\"scale\",\"workers\":\"four\"}");
        assertThatThrownBy(() -> Request.parse(new JsonObject("{\"op\":\"scale\",\"workers\":1.5}"))).hasMessageStartingWith("scale's workers must be an integer");
        assertThatThrownBy(() -> Request.parse(new JsonObject("{\"op\":\"scale\",\"workers\":-1}")))
                .hasMessageStartingWith("scale's workers must be an integer >= 0");
        assertThatThrownBy(() -> Request.parse(new JsonObject("{\"op\":\"scale\",\"workers\":1,\"host\":5}")))
                .hasMessageStartingWith("scale's host must be a string");
        assertThatThrownBy(() -> Request.parse(new JsonObject("{\"op\":\"deploy\"}")))
                .hasMessageStartingWith("deploy needs verticle (a verticle class name, e.g. com.example.Echo)");
        assertThatThrownBy(() -> Request.parse(new JsonObject("{\"op\":\"deploy\",\"verticle\":\" \"}"))).hasMessageStartingWith("deploy's verticle must be");
        assertThatThrownBy(() -> Request.parse(new JsonObject("{\"op\":\"open-pool\",\"pool\":\"p\"}"))).hasMessageStartingWith("open-pool needs address");
        assertThatThrownBy(() -> Request.parse(new JsonObject("{\"op\":\"close-pool\"}"))).hasMessageStartingWith("close-pool needs pool");
        assertThatThrownBy(() -> Request.parse(new JsonObject("{\"op\":\"agent-hello\",\"address\":\"a\",\"host\":\"h\",\"cpus\":\"8\"}")))
                .hasMessageStartingWith("agent-hello's cpus must be an integer");
    }

    @Test
    void aMalformedEventIsRejectedWithTheFieldNamed() {
        assertThatThrownBy(() -> Event.parse(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field event");
        assertThatThrownBy(() -> Event.parse(new JsonObject("{\"event\":\"bogus\"}"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown supervisor event 'bogus'");
        assertThatThrownBy(() -> Event.parse(new JsonObject("{\"event\":\"exit\",\"worker\":\"w\",\"group\":\"g\",\"pid\":1}")))
                .hasMessageStartingWith("exit needs code");
        assertThatThrownBy(() -> Event.parse(new JsonObject("{\"event\":\"exit\",\"worker\":\"w\",\"group\":\"g\",\"pid\":\"1\",\"code\":0}")))
                .hasMessageStartingWith("exit's pid must be a whole number");
        assertThatThrownBy(() -> Event.parse(new JsonObject("{\"event\":\"group-broken\",\"group\":\"g\"}")))
                .hasMessageStartingWith("group-broken needs reason");
        assertThatThrownBy(() -> Event.parse(new JsonObject("{\"event\":\"open\",\"pool\":\"p\"}"))).hasMessageStartingWith("open needs address");
        assertThatThrownBy(() -> Event.PoolOpened.fromEntry(new JsonObject("{\"address\":\"a\"}"))).hasMessageStartingWith("a pools entry needs pool");
        assertThatThrownBy(() -> Event.PoolOpened.fromEntry(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
