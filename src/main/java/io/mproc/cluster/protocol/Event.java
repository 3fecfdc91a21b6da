package io.mproc.cluster.protocol;

import io.vertx.core.json.JsonObject;

import java.util.function.Function;

/**
 * What a supervisor publishes: one record per kind, each with its JSON form ({@link #toJson()},
 * field {@code event} naming the kind) and read back by the one codec, {@link #parse(JsonObject)}.
 * {@link WorkerExit} and {@link GroupBroken} go to {@code Addresses.EVENTS}; {@link PoolOpened}
 * and {@link PoolClosed}, which the cluster's supervisor publishes, to {@code Addresses.POOLS}.
 */
public sealed interface Event {
    /** The group of a standing cluster's own workers, which serve every pool; their exit events carry it. */
    String CLUSTER_GROUP = "cluster";

    /** The kind, as field {@code event} of the JSON form names it. */
    String event();

    /** The JSON form, as it travels on the event bus. */
    JsonObject toJson();

    /**
     * The event {@code body} carries.
     *
     * @throws IllegalArgumentException it is none: no or an unknown {@code event}, or a field missing or of the wrong
     *                                  type; the message names the field and quotes the body
     */
    static Event parse(JsonObject body) {
        if (body == null) {
            throw new IllegalArgumentException("a supervisor event is a JSON object with field event; got null");
        }
        Object event = body.getValue("event");
        Function<Fields, Event> read = event instanceof String s ? Kinds.EVENTS.get(s) : null;
        if (read == null) {
            throw new IllegalArgumentException("unknown supervisor event '" + event + "' in " + body.encode()
                    + "; expected exit, group-broken, open or closed");
        }
        return read.apply(new Fields((String) event, body));
    }

    /**
     * {@code exit {worker, group, pid, code, host, reason}}: a worker ended; {@code group} null for a
     * spare or a cluster worker that served no group; {@code code} as Python reports it (-9:
     * SIGKILL); {@code reason} in a few words (see the supervisor's exit log).
     */
    record WorkerExit(String worker, String group, long pid, int code, String host, String reason) implements Event {
        public static final String EVENT = "exit";

        static WorkerExit read(Fields f) {
            String reason = f.optionalString("reason");
            return new WorkerExit(f.string("worker"), f.optionalString("group"), f.number("pid"), f.integer("code", null),
                    f.optionalString("host"), reason == null ? "exit code " + f.integer("code", null) : reason);
        }

        public String event() {
            return EVENT;
        }

        public JsonObject toJson() {
            return new JsonObject().put("event", EVENT).put("worker", worker).put("group", group).put("pid", pid).put("code", code)
                    .put("host", host).put("reason", reason);
        }
    }

    /** {@code group-broken {group, reason}}: the group's workers die before they are ready; they are no longer restarted. */
    record GroupBroken(String group, String reason) implements Event {
        public static final String EVENT = "group-broken";

        static GroupBroken read(Fields f) {
            return new GroupBroken(f.string("group"), f.string("reason"));
        }

        public String event() {
            return EVENT;
        }

        public JsonObject toJson() {
            return new JsonObject().put("event", EVENT).put("group", group).put("reason", reason);
        }
    }

    /**
     * {@code open {pool, address, member}}: the cluster workers are to serve the pool at {@code address};
     * {@code member} is the cluster member of its program (null: none). The {@code pools} reply lists
     * the open ones as entries, the same fields without {@code event}.
     */
    record PoolOpened(String pool, String address, String member) implements Event {
        public static final String EVENT = "open";

        static PoolOpened read(Fields f) {
            return new PoolOpened(f.string("pool"), f.string("address"), f.optionalString("member"));
        }

        /** An entry of the {@code pools} reply. */
        public static PoolOpened fromEntry(JsonObject entry) {
            if (entry == null) {
                throw new IllegalArgumentException("a pools entry is a JSON object {pool, address, member}; got null");
            }
            return read(new Fields("a pools entry", entry));
        }

        /** Its entry in the {@code pools} reply: {@code {pool, address, member}}. */
        public JsonObject entry() {
            return new JsonObject().put("pool", pool).put("address", address).put("member", member);
        }

        public String event() {
            return EVENT;
        }

        public JsonObject toJson() {
            return entry().put("event", EVENT);
        }
    }

    /** {@code closed {pool}}: the cluster workers stop serving the pool. */
    record PoolClosed(String pool) implements Event {
        public static final String EVENT = "closed";

        static PoolClosed read(Fields f) {
            return new PoolClosed(f.string("pool"));
        }

        public String event() {
            return EVENT;
        }

        public JsonObject toJson() {
            return new JsonObject().put("event", EVENT).put("pool", pool);
        }
    }
}
