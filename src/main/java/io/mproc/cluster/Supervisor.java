package io.mproc.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The supervisor verticle: starts worker JVMs for the groups (pools) that ask for them,
 * watches each (name, host, pid, group, ready), replaces one that dies while its group is
 * active, and stops them on request or when undeployed.
 *
 * <p>Requests on {@link Addresses#SUPERVISOR}, JSON with field {@code op}:
 * <ul>
 *   <li>{@code start-group {group, processes, role: [key=value...]}}: start that many workers;</li>
 *   <li>{@code stop-group {group, force}}: stop them (force: SIGTERM now; else close their
 *       standard input so they leave the cluster), replies once all have exited;</li>
 *   <li>{@code ready {name}}: a worker says it is on the event bus;</li>
 *   <li>{@code status}: one row per worker.</li>
 * </ul>
 * It publishes on {@link Addresses#EVENTS}: {@code exit {worker, group, pid, code}} for
 * every worker that ends (code as Python reports it: -9 for SIGKILL), and
 * {@code group-broken {group, reason}} when {@value #START_FAILURE_LIMIT} workers in a
 * row die before they are ready (a bad JVM option, a failing initializer), instead of
 * restarting them for ever.
 */
public final class Supervisor extends VerticleBase {
    static final int START_FAILURE_LIMIT = 3;
    /** The exit code by which a worker says its start-up (e.g. a pool initializer) failed. */
    public static final int EXIT_START_FAILED = 3;
    private static final long STOP_GRACE_MS = 5_000;
    private static final System.Logger LOG = System.getLogger(Supervisor.class.getName());

    /** How long a joining worker holds the join permit at most, if its member-added event does not come. */
    private static final long JOIN_SLOT_MS = 1_500;

    private final WorkerLauncher launcher;
    private final Node node;
    private final String host;
    private final java.util.Deque<WorkerProcess> awaitingJoin = new java.util.ArrayDeque<>();
    private WorkerProcess joining;
    private long joinTimer = -1;
    private final Map<String, WorkerProcess> workers = new LinkedHashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();

    private static final class Group {
        final String name;
        final int processes;
        final List<String> role;
        final List<Promise<Void>> stopped = new ArrayList<>();
        boolean stopping;
        boolean broken;
        int started;
        int startFailures;

        Group(String name, int processes, List<String> role) {
            this.name = name;
            this.processes = processes;
            this.role = role;
        }
    }

    public Supervisor(WorkerLauncher launcher, Node node, String host) {
        this.launcher = launcher;
        this.node = node;
        this.host = host;
    }

    @Override
    public Future<?> start() {
        node.onMemberAdded(() -> context.runOnContext(v -> joined(null)));
        return vertx.eventBus().<JsonObject>consumer(Addresses.SUPERVISOR, this::handle).completion();
    }

    private void handle(Message<JsonObject> message) {
        JsonObject body = message.body();
        String op = body == null ? null : body.getString("op");
        try {
            switch (op == null ? "" : op) {
                case "start-group" -> startGroup(body, message);
                case "stop-group" -> stopGroup(body.getString("group"), body.getBoolean("force", false)).onComplete(
                        ok -> message.reply(new JsonObject()), err -> message.fail(500, err.getMessage()));
                case "ready" -> {
                    WorkerProcess w = workers.get(body.getString("name"));
                    if (w != null) {
                        w.markReady();
                        groups.computeIfPresent(w.group(), (k, g) -> { g.startFailures = 0; return g; });
                    }
                    message.reply(new JsonObject());
                }
                case "status" -> message.reply(status());
                default -> message.fail(400, "unknown supervisor op '" + op + "' in " + body
                        + "; expected start-group, stop-group, ready or status");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "supervisor request " + body + " failed", e);
            message.fail(500, e.toString());
        }
    }

    private void startGroup(JsonObject body, Message<JsonObject> message) {
        String name = body.getString("group");
        int processes = body.getInteger("processes", 1);
        List<String> role = new ArrayList<>();
        body.getJsonArray("role", new JsonArray()).forEach(r -> role.add(String.valueOf(r)));
        if (name == null || processes < 1) {
            message.fail(400, "start-group needs a group and processes >= 1: " + body);
            return;
        }
        if (groups.containsKey(name)) {
            message.fail(409, "group " + name + " already exists");
            return;
        }
        Group group = new Group(name, processes, role);
        groups.put(name, group);
        for (int i = 0; i < processes; i++) {
            spawn(group);
        }
        message.reply(new JsonObject());
    }

    private void spawn(Group group) {
        String name = group.name + "-worker-" + (++group.started);
        WorkerProcess worker;
        try {
            worker = launcher.launch(name, group.name, group.role);
        } catch (RuntimeException e) {
            breakGroup(group, e.getMessage());
            return;
        }
        workers.put(name, worker);
        awaitingJoin.addLast(worker);
        grantJoin();
        worker.process().onExit().thenRun(() -> context.runOnContext(v -> exited(worker)));
    }

    /**
     * Workers join the cluster one at a time: Hazelcast's master defers a join request that
     * comes while another join is in progress, and the joiner retries only a second later
     * (a fixed wait in Hazelcast 5.3). Their JVMs still start in parallel.
     */
    private void grantJoin() {
        while (joining == null && !awaitingJoin.isEmpty()) {
            WorkerProcess next = awaitingJoin.pollFirst();
            if (next.process().isAlive()) {
                joining = next;
                next.permitJoin();
                joinTimer = vertx.setTimer(JOIN_SLOT_MS, t -> joined(next));
            }
        }
    }

    /** The joining worker joined (or {@code worker} gave up its turn): the next may join. */
    private void joined(WorkerProcess worker) {
        if (joining == null || (worker != null && worker != joining)) {
            return;
        }
        vertx.cancelTimer(joinTimer);
        joining = null;
        grantJoin();
    }

    private void exited(WorkerProcess worker) {
        workers.remove(worker.name());
        awaitingJoin.remove(worker);
        joined(worker);
        int code = WorkerProcess.pythonExitCode(worker.process().exitValue());
        launcher.exited(worker.name(), code);
        vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("event", "exit").put("worker", worker.name())
                .put("group", worker.group()).put("pid", worker.pid()).put("code", code));
        Group group = groups.get(worker.group());
        if (group == null) {
            return;
        }
        if (group.stopping) {
            if (live(group) == 0) {
                groups.remove(group.name);
                group.stopped.forEach(Promise::tryComplete);
            }
            return;
        }
        if (!worker.isReady() || code == EXIT_START_FAILED) {
            group.startFailures++;
            if (group.startFailures >= START_FAILURE_LIMIT) {
                breakGroup(group, "worker " + worker.name() + " (pid " + worker.pid() + ") exited with code " + code
                        + " before it was ready, " + group.startFailures + " workers in a row; its last stderr lines:\n"
                        + worker.stderrTail());
                return;
            }
        }
        if (!group.broken) {
            LOG.log(System.Logger.Level.INFO, "worker {0} (pid {1}) exited with code {2}; starting a replacement",
                    worker.name(), worker.pid(), code);
            spawn(group);
        }
    }

    private void breakGroup(Group group, String reason) {
        group.broken = true;
        vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("event", "group-broken")
                .put("group", group.name).put("reason", reason));
    }

    private Future<Void> stopGroup(String name, boolean force) {
        Group group = groups.get(name);
        if (group == null) {
            return Future.succeededFuture();
        }
        group.stopping = true;
        Promise<Void> done = Promise.promise();
        group.stopped.add(done);
        List<WorkerProcess> members = workers.values().stream().filter(w -> w.group().equals(name)).toList();
        if (members.isEmpty()) {
            groups.remove(name);
            return Future.succeededFuture();
        }
        for (WorkerProcess w : members) {
            if (force) {
                w.process().destroy();
            } else {
                w.closeStdin();
            }
        }
        vertx.setTimer(STOP_GRACE_MS, t -> members.forEach(w -> w.process().destroyForcibly()));
        return done.future();
    }

    private int live(Group group) {
        return (int) workers.values().stream().filter(w -> w.group().equals(group.name)).count();
    }

    private JsonArray status() {
        JsonArray rows = new JsonArray();
        long now = System.currentTimeMillis();
        for (WorkerProcess w : workers.values()) {
            rows.add(new JsonObject().put("worker", w.name()).put("group", w.group()).put("host", host).put("pid", w.pid())
                    .put("state", w.isReady() ? "ready" : "starting").put("uptimeMs", now - w.startedAt()));
        }
        return rows;
    }

    /** Stops every worker: closes their standard input, then kills those still alive after the grace period. */
    @Override
    public Future<?> stop() {
        List<WorkerProcess> all = new ArrayList<>(workers.values());
        groups.values().forEach(g -> g.stopping = true);
        all.forEach(WorkerProcess::closeStdin);
        return vertx.executeBlocking(() -> {
            long deadline = System.currentTimeMillis() + STOP_GRACE_MS;
            for (WorkerProcess w : all) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || !w.process().waitFor(left, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    w.process().destroyForcibly().waitFor();
                }
            }
            return null;
        });
    }
}
