package io.mproc.cluster.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A request to a supervisor: one record per kind, each with its JSON form ({@link #toJson()},
 * field {@code op} naming the kind) and read back by the one codec, {@link #parse(JsonObject)}.
 * A receiver dispatches on the kind with a {@link Visitor}, which the compiler checks covers
 * every kind.
 *
 * <p>Public (documented for {@code run.sh send mproc.supervisor}): {@link Status},
 * {@link Scale}, {@link Stop}, {@link Deploy}, {@link Cpus}. Between mproc's own JVMs: the others.
 * The records do not check their fields; the codec checks what arrives.
 */
public sealed interface Request {
    /** The kind, as field {@code op} of the JSON form names it. */
    String op();

    /** The JSON form, as it travels on the event bus. */
    JsonObject toJson();

    /** Calls the method of {@code visitor} for this kind, with {@code context} (e.g. where to reply). */
    <C> void accept(Visitor<C> visitor, C context);

    /**
     * The request {@code body} carries.
     *
     * @throws IllegalArgumentException it is none: no or an unknown {@code op}, or a field missing or of the wrong type;
     *                                  the message names the field and quotes the body
     */
    static Request parse(JsonObject body) {
        if (body == null) {
            throw new IllegalArgumentException("a supervisor request is a JSON object with field op, e.g. {\"op\": \"status\"}; got null");
        }
        Object op = body.getValue("op");
        Function<Fields, Request> read = op instanceof String s ? Kinds.REQUESTS.get(s) : null;
        if (read == null) {
            throw new IllegalArgumentException("unknown supervisor op '" + op + "' in " + body.encode()
                    + "; expected status, scale, stop, deploy or cpus (or mproc's own start-group, stop-group, ready,"
                    + " open-pool, close-pool, pools, agent-hello, progress, queues)");
        }
        return read.apply(new Fields((String) op, body));
    }

    /** What a receiver does with each kind of request. */
    interface Visitor<C> {
        void startGroup(StartGroup request, C context);

        void stopGroup(StopGroup request, C context);

        void ready(Ready request, C context);

        void status(Status request, C context);

        void scale(Scale request, C context);

        void stop(Stop request, C context);

        void deploy(Deploy request, C context);

        void cpus(Cpus request, C context);

        void pools(Pools request, C context);

        void openPool(OpenPool request, C context);

        void closePool(ClosePool request, C context);

        void agentHello(AgentHello request, C context);

        void progress(Progress request, C context);

        void queues(Queues request, C context);
    }

    /**
     * {@code start-group {group, names, role, replace}}: one worker per name, each given {@code role}
     * (plus its {@code name}); replaced when it dies if {@code replace} (default true).
     * Reply: {@code {workers: [{name, pid}]}}.
     */
    record StartGroup(String group, List<String> names, JsonObject role, boolean replace) implements Request {
        public static final String OP = "start-group";

        public StartGroup {
            names = names == null ? List.of() : List.copyOf(names);
        }

        static StartGroup read(Fields f) {
            return new StartGroup(f.string("group"), f.strings("names"), f.object("role"), f.bool("replace", true));
        }

        public String op() {
            return OP;
        }

        public JsonObject toJson() {
            return new JsonObject().put("op", OP).put("group", group).put("names", new JsonArray(new ArrayList<>(names))).put("role", role)
                    .put("replace", replace);
        }

        public <C> void accept(Visitor<C> visitor, C context) {
            visitor.startGroup(this, context);
        }
    }

    /**
     * {@code stop-group {group, signal}}: {@code leave} (default) closes the workers' standard input,
     * {@code term} sends SIGTERM, {@code kill} SIGKILL. Reply {@code {}} once all have exited.
     */
    record StopGroup(String group, Signal signal) implements Request {
        public static final String OP = "stop-group";

        /** How the workers are asked to end. */
        public enum Signal {
            LEAVE, TERM, KILL;

            /** Its name on the wire. */
            public String wire() {
                return name().toLowerCase(Locale.ROOT);
            }
        }

        static StopGroup read(Fields f) {
            String group = f.string("group");
            String signal = f.optionalString("signal");
            for (Signal s : Signal.values()) {
                if (s.wire().equals(signal == null ? "leave" : signal)) {
                    return new StopGroup(group, s);
                }
            }
            throw f.wrong("signal", "leave, term or kill");
        }

        public String op() {
            return OP;
        }

        public JsonObject toJson() {
            return new JsonObject().put("op", OP).put("group", group).put("signal", signal.wire());
        }

        public <C> void accept(Visitor<C> visitor, C context) {
            visitor.stopGroup(this, context);
        }
    }

    /**
     * {@code ready {id, member?}}: worker {@code id} is on the event bus as cluster member
     * {@code member} (its Hazelcast uuid; when that member is taken for dead while the process
     * lives on, the supervisor kills it); the reply is its role (for a spare, once a group takes it).
     */
    record Ready(String id, String member) implements Request {
        public static final String OP = "ready";

        public Ready(String id) {
            this(id, null);
        }

        static Ready read(Fields f) {
            return new Ready(f.string("id"), f.optionalString("member"));
        }

        public String op() {
            return OP;
        }

        public JsonObject toJson() {
            JsonObject json = new JsonObject().put("op", OP).put("id", id);
            return member == null ? json : json.put("member", member);
        }

        public <C> void accept(Visitor<C> visitor, C context) {
            visitor.ready(this, context);
        }
    }

    /**
     * Public {@code status}: {@code {workers: [{worker, host, pid, state, tasks, uptimeMs, rssKb, group, running}], pools, tasks,
     * queues, exits, exitCounts}}, over all hosts: {@code pools}, the programs' maps still running,
     * {@code [{pool, maps: [{map, done, total, failed, retried, cancelled}], tasks}]} ({@link Progress}); {@code tasks},
     * what became of every pool's tasks, {@code {pool: {submitted, completed, failed, timedOut, cancelled, retried}}};
     * {@code queues}, {@code [{queue, depth, maxsize, program}]} ({@link Queues}); {@code exits}, the last 20 worker exits,
     * newest first, {@code [{worker, pid, host, group, code, reason, at}]}; {@code exitCounts}, {@code {reason: count}}.
     */
    record Status() implements Request {
        public static final String OP = "status";

        public String op() {
            return OP;
        }

        public JsonObject toJson() {
            return new JsonObject().put("op", OP);
        }

        public <C> void accept(Visitor<C> visitor, C context) {
            visitor.status(this, context);
        }
    }

    /**
     * Public {@code scale {workers, host}}: how many cluster workers run on {@code host} (null: the
     * cluster's own). Reply {@code {host, workers, added, retiring}}.
     */
    record Scale(int workers, String host) implements Request {
        public static final String OP = "scale";

        static Scale read(Fields f) {
            int workers = f.integer("workers", null);
            if (workers < 0) {
                throw f.wrong("workers", "an integer >= 0");
            }
            return new Scale(workers, f.optionalString("host"));
        }

        public String op() {
            return OP;
        }

        public JsonObject toJson() {
            JsonObject json = new JsonObject().put("op", OP).put("workers", workers);
            return host == null ? json : json.put("host", host);
        }

        public <C> void accept(Visitor<C> visitor, C context) {
            visitor.scale(this, context);
        }
    }

    /** Public {@code stop}: ends the whole cluster. Reply {@code {stopping, workers, hosts}}. */
    record Stop() implements Request {
        public static final String OP = "stop";

        public String op() {
            return OP;
        }

        public JsonObject toJson() {
            return new JsonObject().put("op", OP);
        }

        public <C> void accept(Visitor<C> visitor, C context) {
            visitor.stop(this, context);
        }
    }

    /**
     * Public {@code deploy {verticle}}: a verticle class on every cluster worker, now and later.
     * Reply {@code {verticle, workers}}. From a connected program, {@code program} is its member
     * id: a class the workers lack then loads from that program, and its verticle runs until the
     * program leaves.
     */
    record Deploy(String verticle, String program) implements Request {
        public static final String OP = "deploy";

        public Deploy(String verticle) {
            this(verticle, null);
        }

        static Deploy read(Fields f) {
            return new Deploy(f.string("verticle", "a verticle class name, e.g. com.example.Echo"), f.optionalString("program"));
        }

        /** How the cluster lists it for the workers that start later: the class name, then {@code @program} if any. */
        public String spec() {
            return program == null ? verticle : verticle + "@" + program;
        }

        /** The deploy a {@link #spec()} names. */
        public static Deploy ofSpec(String spec) {
            int at = spec.indexOf('@');
            return at < 0 ? new Deploy(spec) : new Deploy(spec.substring(0, at), spec.substring(at + 1));
        }

        public String op() {
            return OP;
        }

        public JsonObject toJson() {
            JsonObject json = new JsonObject().put("op", OP).put("verticle", verticle);
            return program == null ? json : json.put("program", program);
        }

        public <C> void accept(Visitor<C> visitor, C context) {
            visitor.deploy(this, context);
        }
    }

    /** Public {@code cpus}: {@code {cpus, hosts}}, the cores of the hosts with cluster workers. */
    record Cpus() implements Request {
        public static final String OP = "cpus";

        public String op() {
            return OP;
        }

        public JsonObject toJson() {
            return new JsonObject().put("op", OP);
        }

        public <C> void accept(Visitor<C> visitor, C context) {
            visitor.cpus(this, context);
        }
    }

    /** {@code pools}: the pools the cluster workers serve, {@code {pools: [{pool, address, member}]}} (see {@link Event.PoolOpened#fromEntry}). */
    record Pools() implements Request {
        public static final String OP = "pools";

        public String op() {
            return OP;
        }

        public JsonObject toJson() {
            return new JsonObject().put("op", OP);
        }

        public <C> void accept(Visitor<C> visitor, C context) {
            visitor.pools(this, context);
        }
    }

    /**
     * {@code open-pool {pool, address, member}}: the cluster workers serve the pool at {@code address}
     * until it is closed or cluster member {@code member} (its program) leaves. Reply {@code {workers}}.
     */
    record OpenPool(String pool, String address, String member) implements Request {
        public static final String OP = "open-pool";

        static OpenPool read(Fields f) {
            return new OpenPool(f.string("pool"), f.string("address"), f.optionalString("member"));
        }

        public String op() {
            return OP;
        }

        public JsonObject toJson() {
            return new JsonObject().put("op", OP).put("pool", pool).put("address", address).put("member", member);
        }

        public <C> void accept(Visitor<C> visitor, C context) {
            visitor.openPool(this, context);
        }
    }

    /** {@code close-pool {pool}}: the cluster workers stop serving it. Reply {@code {}}. */
    record ClosePool(String pool) implements Request {
        public static final String OP = "close-pool";

        static ClosePool read(Fields f) {
            return new ClosePool(f.string("pool"));
        }

        public String op() {
            return OP;
        }

        public JsonObject toJson() {
            return new JsonObject().put("op", OP).put("pool", pool);
        }

        public <C> void accept(Visitor<C> visitor, C context) {
            visitor.closePool(this, context);
        }
    }

    /** {@code agent-hello {address, host, cpus}}: another host's supervisor registers. Reply {@code {verticles}}. */
    record AgentHello(String address, String host, int cpus) implements Request {
        public static final String OP = "agent-hello";

        static AgentHello read(Fields f) {
            return new AgentHello(f.string("address"), f.string("host"), f.integer("cpus", 1));
        }

        public String op() {
            return OP;
        }

        public JsonObject toJson() {
            return new JsonObject().put("op", OP).put("address", address).put("host", host).put("cpus", cpus);
        }

        public <C> void accept(Visitor<C> visitor, C context) {
            visitor.agentHello(this, context);
        }
    }

    /**
     * {@code progress {pool, maps: [{map, done, total, failed, retried, cancelled}], tasks: {submitted,
     * completed, failed, timedOut, cancelled, retried}}}: how the maps of a program's pool stand and
     * what became of its tasks so far, sent about once a second while any map runs or a count
     * changed, and once with no maps when they are done; shown on the status page and in
     * {@code /metrics}. Reply {@code {}}.
     */
    record Progress(String pool, java.util.List<MapState> maps, Tally tasks) implements Request {
        public static final String OP = "progress";

        /** One map of the pool: its label, its items done and in all, and those failed (timed out included), retried and cancelled. */
        public record MapState(String map, long done, long total, long failed, long retried, long cancelled) {
            JsonObject toJson() {
                return new JsonObject().put("map", map).put("done", done).put("total", total).put("failed", failed)
                        .put("retried", retried).put("cancelled", cancelled);
            }
        }

        /** What became of a pool's tasks (items) so far; see the pool's {@code TaskCounts}. */
        public record Tally(long submitted, long completed, long failed, long timedOut, long cancelled, long retried) {
            public static final Tally NONE = new Tally(0, 0, 0, 0, 0, 0);

            public JsonObject toJson() {
                return new JsonObject().put("submitted", submitted).put("completed", completed).put("failed", failed)
                        .put("timedOut", timedOut).put("cancelled", cancelled).put("retried", retried);
            }

            static Tally read(Fields f) {
                return new Tally(f.number("submitted"), f.number("completed"), f.number("failed"), f.number("timedOut"),
                        f.number("cancelled"), f.number("retried"));
            }
        }

        static Progress read(Fields f) {
            java.util.List<MapState> maps = new java.util.ArrayList<>();
            for (JsonObject map : f.objects("maps")) {
                Fields m = new Fields(OP + "'s map", map);
                maps.add(new MapState(m.string("map"), m.number("done"), m.number("total"), m.number("failed"), m.number("retried"),
                        m.number("cancelled")));
            }
            return new Progress(f.string("pool"), maps, Tally.read(new Fields(OP + "'s tasks", f.object("tasks"))));
        }

        public String op() {
            return OP;
        }

        public JsonObject toJson() {
            io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
            maps.forEach(m -> list.add(m.toJson()));
            return new JsonObject().put("op", OP).put("pool", pool).put("maps", list).put("tasks", tasks.toJson());
        }

        public <C> void accept(Visitor<C> visitor, C context) {
            visitor.progress(this, context);
        }
    }

    /**
     * {@code queues {program, queues: [{queue, depth, maxsize}]}}: the queues a program's JVM (or
     * the cluster's, for named queues) hosts and how many items each holds, sent about once a
     * second while it hosts any, and once empty when it hosts none; shown on the status page
     * and in {@code /metrics}. Reply {@code {}}.
     */
    record Queues(String program, java.util.List<QueueState> queues) implements Request {
        public static final String OP = "queues";

        /** One queue: its name, the items it holds, and its bound (0: none). */
        public record QueueState(String queue, long depth, long maxsize) {
            JsonObject toJson() {
                return new JsonObject().put("queue", queue).put("depth", depth).put("maxsize", maxsize);
            }
        }

        static Queues read(Fields f) {
            java.util.List<QueueState> queues = new java.util.ArrayList<>();
            for (JsonObject queue : f.objects("queues")) {
                Fields q = new Fields(OP + "'s queue", queue);
                queues.add(new QueueState(q.string("queue"), q.number("depth"), q.number("maxsize")));
            }
            return new Queues(f.string("program"), queues);
        }

        public String op() {
            return OP;
        }

        public JsonObject toJson() {
            io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
            queues.forEach(q -> list.add(q.toJson()));
            return new JsonObject().put("op", OP).put("program", program).put("queues", list);
        }

        public <C> void accept(Visitor<C> visitor, C context) {
            visitor.queues(this, context);
        }
    }
}
