package io.mproc.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor verticle: starts worker JVMs for the groups (a pool, a process) that ask
 * for them, watches each (name, host, pid, group, ready), replaces one that dies while its
 * group wants replacements, keeps warm spares, and stops them on request or when undeployed.
 *
 * <p>Requests on {@link Addresses#SUPERVISOR}, JSON with field {@code op}:
 * <ul>
 *   <li>{@code start-group {group, names: [...], role: {...}, replace}}: one worker per name,
 *       each given {@code role} (plus its {@code name}); warm spares are used first. Replies
 *       {@code {workers: [{name, pid}]}};</li>
 *   <li>{@code stop-group {group, signal}}: {@code leave} closes their standard input so that
 *       they leave the cluster, {@code term} sends SIGTERM, {@code kill} SIGKILL; replies
 *       once all have exited (after 5 s, SIGKILL);</li>
 *   <li>{@code ready {id}}: a worker is on the event bus and asks for its role; the reply is
 *       its role, or for a spare, held until a group takes it;</li>
 *   <li>{@code status}: one row per worker.</li>
 * </ul>
 * It publishes on {@link Addresses#EVENTS}: {@code exit {worker, group, pid, code}} for every
 * worker that ends (code as Python reports it: -9 for SIGKILL), and {@code group-broken
 * {group, reason}} when {@value #START_FAILURE_LIMIT} workers in a row die before they are
 * ready (a bad JVM option, a failing initializer), instead of restarting them for ever.
 */
public final class Supervisor extends VerticleBase {
    static final int START_FAILURE_LIMIT = 3;
    /** The exit code by which a worker says its start-up (e.g. a pool initializer) failed. */
    public static final int EXIT_START_FAILED = 3;
    private static final long STOP_GRACE_MS = 5_000;
    private static final System.Logger LOG = System.getLogger(Supervisor.class.getName());

    private final WorkerLauncher launcher;
    private final Node node;
    private final String host;
    private final int spares;
    private final Map<String, WorkerProcess> workers = new LinkedHashMap<>();
    private final Map<WorkerProcess, Message<JsonObject>> idleSpares = new LinkedHashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private JoinGate gate;
    private int launched;
    private int spareFailures;
    private boolean stopping;

    private static final class Group {
        final String name;
        final JsonObject role;
        final boolean replace;
        final Deque<String> names = new ArrayDeque<>();
        final Map<WorkerProcess, JsonObject> roles = new LinkedHashMap<>();
        final List<Promise<Void>> stopped = new ArrayList<>();
        boolean stopping;
        boolean broken;
        int startFailures;
        int named;

        Group(String name, JsonObject role, boolean replace) {
            this.name = name;
            this.role = role;
            this.replace = replace;
        }
    }

    /** @param spares how many idle worker JVMs to keep ready for groups that start */
    /**
     * Founds cluster {@code name}: this JVM becomes its first (data) member, bound to {@code host}
     * and Hazelcast {@code port} (0: any), and hosts its supervisor, which keeps {@code spares}
     * worker JVMs ready. The member is left again if the supervisor cannot start.
     */
    public static Node found(Settings settings, String name, String host, int port, int spares, List<String> workerJvmOptions) {
        Node node = Node.start(settings, name, host, null, false, port);
        try {
            WorkerLauncher launcher = new WorkerLauncher(settings, name, node.joinAddress(), host, workerJvmOptions);
            Blocking.await(node.vertx().deployVerticle(new Supervisor(launcher, node, host, spares)), Duration.ofSeconds(30),
                    "deploying the supervisor");
            return node;
        } catch (RuntimeException e) {
            node.close(Duration.ofSeconds(5));
            throw e;
        }
    }

    public Supervisor(WorkerLauncher launcher, Node node, String host, int spares) {
        this.launcher = launcher;
        this.node = node;
        this.host = host;
        this.spares = spares;
    }

    @Override
    public Future<?> start() {
        gate = new JoinGate(vertx);
        node.onMemberAdded(() -> context.runOnContext(v -> gate.memberAdded()));
        refillSpares();
        return vertx.eventBus().<JsonObject>consumer(Addresses.SUPERVISOR, this::handle).completion();
    }

    private void handle(Message<JsonObject> message) {
        JsonObject body = message.body();
        String op = body == null ? null : body.getString("op");
        try {
            switch (op == null ? "" : op) {
                case "start-group" -> startGroup(body, message);
                case "stop-group" -> stopGroup(body.getString("group"), body.getString("signal", "leave")).onComplete(
                        ok -> message.reply(new JsonObject()), err -> message.fail(500, err.getMessage()));
                case "ready" -> ready(body.getString("id"), message);
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
        JsonArray names = body.getJsonArray("names", new JsonArray());
        if (name == null || names.isEmpty() || body.getJsonObject("role") == null) {
            message.fail(400, "start-group needs a group, names and a role: " + body);
            return;
        }
        if (groups.containsKey(name)) {
            message.fail(409, "group " + name + " already exists");
            return;
        }
        Group group = new Group(name, body.getJsonObject("role"), body.getBoolean("replace", true));
        names.forEach(n -> group.names.add(String.valueOf(n)));
        group.named = group.names.size();
        groups.put(name, group);
        JsonArray started = new JsonArray();
        while (!group.names.isEmpty() && !group.broken) {
            WorkerProcess worker = staff(group, group.names.pollFirst());
            if (worker != null) {
                started.add(new JsonObject().put("name", worker.name()).put("pid", worker.pid()));
            }
        }
        message.reply(new JsonObject().put("workers", started));
        refillSpares();
    }

    /** A worker for {@code group} under {@code name}: a warm spare if there is one, else a new JVM. */
    private WorkerProcess staff(Group group, String name) {
        JsonObject role = group.role.copy().put("name", name);
        var spare = idleSpares.entrySet().stream().filter(e -> e.getKey().process().isAlive()).findFirst();
        if (spare.isPresent()) {
            WorkerProcess worker = spare.get().getKey();
            idleSpares.remove(worker);
            worker.assign(group.name, name);
            group.roles.put(worker, role);
            spare.get().getValue().reply(role);
            return worker;
        }
        WorkerProcess worker = launch(group.name);
        if (worker == null) {
            breakGroup(group, "cannot start a worker JVM; see the log");
            return null;
        }
        worker.assign(group.name, name);
        group.roles.put(worker, role);
        return worker;
    }

    private WorkerProcess launch(String group) {
        WorkerProcess worker;
        try {
            worker = launcher.launch("w" + (++launched), group);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
            return null;
        }
        workers.put(worker.id(), worker);
        gate.enqueue(worker);
        worker.process().onExit().thenRun(() -> context.runOnContext(v -> exited(worker)));
        return worker;
    }

    private void refillSpares() {
        long live = workers.values().stream().filter(w -> w.group() == null).count();
        while (!stopping && live < spares && spareFailures < START_FAILURE_LIMIT) {
            if (launch(null) == null) {
                return;
            }
            live++;
        }
    }

    private void ready(String id, Message<JsonObject> message) {
        WorkerProcess worker = workers.get(id);
        if (worker == null) {
            message.fail(404, "no worker " + id + " in this cluster");
            return;
        }
        worker.markReady();
        Group group = worker.group() == null ? null : groups.get(worker.group());
        if (group != null) {
            group.startFailures = 0;
            message.reply(group.roles.get(worker));
        } else {
            spareFailures = 0;
            idleSpares.put(worker, message);
        }
    }

    private void exited(WorkerProcess worker) {
        workers.remove(worker.id());
        idleSpares.remove(worker);
        gate.exited(worker);
        int code = WorkerProcess.pythonExitCode(worker.process().exitValue());
        launcher.exited(worker.id(), code);
        boolean early = !worker.isReady() || code == EXIT_START_FAILED;
        Group group = worker.group() == null ? null : groups.get(worker.group());
        if (worker.group() == null) {
            spareFailures = early ? spareFailures + 1 : 0;
            refillSpares();
            return;
        }
        vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("event", "exit").put("worker", worker.name())
                .put("group", worker.group()).put("pid", worker.pid()).put("code", code));
        if (group == null) {
            return;
        }
        JsonObject role = group.roles.remove(worker);
        if (group.stopping || !group.replace) {
            if (group.roles.isEmpty()) {
                groups.remove(group.name);
                group.stopped.forEach(Promise::tryComplete);
            }
            return;
        }
        if (early && ++group.startFailures >= START_FAILURE_LIMIT) {
            breakGroup(group, "worker " + worker.name() + " (pid " + worker.pid() + ") exited with code " + code
                    + " before it was ready, " + group.startFailures + " workers in a row; its last stderr lines:\n"
                    + worker.stderrTail());
            return;
        }
        if (!group.broken && role != null) {
            LOG.log(System.Logger.Level.INFO, "worker {0} (pid {1}) exited with code {2}; starting a replacement",
                    worker.name(), worker.pid(), code);
            staff(group, replacementName(group, worker.name()));
        }
    }

    /** {@code pool-1-worker-2} is replaced by {@code pool-1-worker-N}, N one more than the group has named so far. */
    private static String replacementName(Group group, String old) {
        int dash = old.lastIndexOf('-');
        return (dash > 0 ? old.substring(0, dash + 1) : old + "-") + (++group.named);
    }

    private void breakGroup(Group group, String reason) {
        group.broken = true;
        vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put("event", "group-broken")
                .put("group", group.name).put("reason", reason));
    }

    private Future<Void> stopGroup(String name, String signal) {
        Group group = groups.get(name);
        if (group == null) {
            return Future.succeededFuture();
        }
        group.stopping = true;
        List<WorkerProcess> members = new ArrayList<>(group.roles.keySet());
        if (members.isEmpty()) {
            groups.remove(name);
            return Future.succeededFuture();
        }
        Promise<Void> done = Promise.promise();
        group.stopped.add(done);
        for (WorkerProcess w : members) {
            switch (signal) {
                case "kill" -> w.process().destroyForcibly();
                case "term" -> w.process().destroy();
                default -> w.closeStdin();
            }
        }
        vertx.setTimer(STOP_GRACE_MS, t -> members.forEach(w -> w.process().destroyForcibly()));
        return done.future();
    }

    private JsonArray status() {
        JsonArray rows = new JsonArray();
        long now = System.currentTimeMillis();
        for (WorkerProcess w : workers.values()) {
            rows.add(new JsonObject().put("worker", w.name()).put("group", w.group()).put("host", host).put("pid", w.pid())
                    .put("state", w.group() == null ? "spare" : w.isReady() ? "ready" : "starting")
                    .put("uptimeMs", now - w.startedAt()));
        }
        return rows;
    }

    /** Stops every worker: closes their standard input, then kills those still alive after the grace period. */
    @Override
    public Future<?> stop() {
        stopping = true;
        List<WorkerProcess> all = new ArrayList<>(workers.values());
        groups.values().forEach(g -> g.stopping = true);
        all.forEach(WorkerProcess::closeStdin);
        return vertx.executeBlocking(() -> {
            long deadline = System.currentTimeMillis() + STOP_GRACE_MS;
            for (WorkerProcess w : all) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || !w.process().waitFor(left, TimeUnit.MILLISECONDS)) {
                    w.process().destroyForcibly().waitFor();
                }
            }
            return null;
        });
    }
}
