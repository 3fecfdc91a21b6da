package io.mproc.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
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
 * In a standing cluster it also keeps the cluster's own workers ({@value #CLUSTER_GROUP}: they
 * serve every pool of every connected program) at the count {@code scale} sets; there the
 * supervisor of the founding JVM is the cluster's, at {@link Addresses#SUPERVISOR}, and each
 * other host that adds workers ({@code run.sh worker --join}) runs one of its own, which
 * registers with it.
 *
 * <p>Requests, JSON with field {@code op}. Public (documented for {@code run.sh send}):
 * <ul>
 *   <li>{@code status}: one row per worker, over all hosts: {@code {workers: [{worker, host,
 *       pid, state, tasks, uptimeMs, rssKb, group}]}};</li>
 *   <li>{@code scale {workers, host}}: sets how many cluster workers run on {@code host} (default:
 *       the cluster's own); more start at once, fewer drain (take no more work, finish what they
 *       hold) and leave;</li>
 *   <li>{@code stop}: ends the whole cluster, every host's supervisor and workers;</li>
 *   <li>{@code deploy {verticle}}: deploys a verticle class on every cluster worker, now and later;</li>
 *   <li>{@code cpus}: cores of the hosts with cluster workers, {@code {cpus}}.</li>
 * </ul>
 * Between mproc's JVMs:
 * <ul>
 *   <li>{@code start-group {group, names: [...], role: {...}, replace}}: one worker per name,
 *       each given {@code role} (plus its {@code name}); warm spares are used first. Replies
 *       {@code {workers: [{name, pid}]}};</li>
 *   <li>{@code stop-group {group, signal}}: {@code leave} closes their standard input so that
 *       they leave the cluster, {@code term} sends SIGTERM, {@code kill} SIGKILL; replies
 *       once all have exited (after 5 s, SIGKILL);</li>
 *   <li>{@code ready {id}}: a worker is on the event bus and asks for its role; the reply is
 *       its role, or for a spare, held until a group takes it;</li>
 *   <li>{@code open-pool {pool, address, member}}, {@code close-pool {pool}}, {@code pools}: the
 *       pools the cluster workers serve (dropped when their program's member leaves), published
 *       on {@link Addresses#POOLS};</li>
 *   <li>{@code agent-hello {address, host, cpus}}: another host's supervisor registers.</li>
 * </ul>
 * It publishes on {@link Addresses#EVENTS}: {@code exit {worker, group, pid, code}} for every
 * worker that ends (code as Python reports it: -9 for SIGKILL), and {@code group-broken
 * {group, reason}} when {@value #START_FAILURE_LIMIT} workers in a row die before they are
 * ready (a bad JVM option, a failing initializer), instead of restarting them for ever.
 */
public final class Supervisor extends VerticleBase {
    static final int START_FAILURE_LIMIT = 3;
    private static final long STOP_GRACE_MS = 5_000;
    /** The group of a standing cluster's own workers, which serve every pool. */
    public static final String CLUSTER_GROUP = "cluster";
    private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);
    private static final System.Logger LOG = System.getLogger(Supervisor.class.getName());

    private final WorkerLauncher launcher;
    private final Node node;
    private final String host;
    private final int spares;
    private final Plan plan;
    private final List<String> verticles = new ArrayList<>();
    private final Map<String, JsonObject> pools = new LinkedHashMap<>();
    private final Map<String, JsonObject> agents = new LinkedHashMap<>();
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

    /**
     * What this supervisor is for.
     *
     * @param address     where it takes requests: {@link Addresses#SUPERVISOR} for the cluster's own, another for a host's
     * @param workers     cluster workers to keep (a standing cluster's; 0 for an embedded one)
     * @param verticles   verticle classes every cluster worker deploys
     * @param workerNames prefix of its cluster workers' names ({@code worker-1}, ...), unique per host
     * @param onStop      how the JVM ends on {@code stop}; null where the cluster lives inside a program
     */
    public record Plan(String address, int workers, List<String> verticles, String workerNames, Runnable onStop) {
        public static Plan embedded() {
            return new Plan(Addresses.SUPERVISOR, 0, List.of(), "worker-", null);
        }

        boolean isClusters() {
            return Addresses.SUPERVISOR.equals(address);
        }
    }

    /**
     * Founds cluster {@code name}: this JVM becomes its first (data) member, bound to {@code host}
     * and Hazelcast {@code port} (0: any), and hosts its supervisor, which keeps {@code spares}
     * worker JVMs ready. The member is left again if the supervisor cannot start.
     */
    public static Node found(Settings settings, String name, String host, int port, int spares, List<String> workerJvmOptions,
                             Plan plan) {
        Node node = Node.start(settings, name, host, null, false, port);
        return deploy(node, settings, name, node.joinAddress(), host, spares, workerJvmOptions, plan);
    }

    /**
     * Adds this host to cluster {@code name} at {@code join}: this JVM joins it as a lite member
     * and runs a supervisor of its own, which registers with the cluster's and keeps
     * {@code plan.workers()} cluster workers on this host.
     */
    public static Node joinAsHost(Settings settings, String name, String host, String join, Plan plan) {
        Node node = Node.start(settings, name, host, join, true);
        return deploy(node, settings, name, join, host, 0, List.of(), plan);
    }

    private static Node deploy(Node node, Settings settings, String name, String join, String host, int spares,
                               List<String> workerJvmOptions, Plan plan) {
        try {
            WorkerLauncher launcher = new WorkerLauncher(settings, name, join, host, plan.address(), workerJvmOptions);
            Blocking.await(node.vertx().deployVerticle(new Supervisor(launcher, node, host, spares, plan)), Duration.ofSeconds(60),
                    "deploying the supervisor");
            return node;
        } catch (RuntimeException e) {
            node.close(Duration.ofSeconds(5));
            throw e;
        }
    }

    public Supervisor(WorkerLauncher launcher, Node node, String host, int spares, Plan plan) {
        this.launcher = launcher;
        this.node = node;
        this.host = host;
        this.spares = spares;
        this.plan = plan;
        this.verticles.addAll(plan.verticles());
    }

    @Override
    public Future<?> start() {
        gate = new JoinGate(vertx);
        node.onMembership(() -> context.runOnContext(v -> gate.memberAdded()), uuid -> context.runOnContext(v -> memberLeft(uuid)));
        refillSpares();
        Future<Void> listening = vertx.eventBus().<JsonObject>consumer(plan.address(), this::handle).completion();
        if (plan.isClusters()) {
            return listening.onSuccess(v -> scaleTo(plan.workers()));
        }
        // another host's supervisor: it stops with the cluster, and learns the cluster's verticles when it registers
        vertx.eventBus().<JsonObject>consumer(Addresses.CONTROL, m -> {
            if ("stop".equals(m.body().getString("op"))) {
                stopJvm();
            }
        });
        return listening.compose(v -> Patient.<JsonObject>request(vertx, Addresses.SUPERVISOR, new JsonObject().put("op", "agent-hello")
                        .put("address", plan.address()).put("host", host).put("cpus", Runtime.getRuntime().availableProcessors()),
                        QUICK, 10_000))
                .map(reply -> {
                    reply.body().getJsonArray("verticles", new JsonArray()).forEach(v -> addVerticle(String.valueOf(v)));
                    scaleTo(plan.workers());
                    return null;
                });
    }

    private void addVerticle(String verticle) {
        if (!verticles.contains(verticle)) {
            verticles.add(verticle);
        }
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
                case "status" -> status().onComplete(rows -> message.reply(new JsonObject().put("workers", rows.result())));
                case "scale" -> scale(body, message);
                case "stop" -> stopCluster(message);
                case "deploy" -> deployEverywhere(body.getString("verticle"), message);
                case "cpus" -> cpus(message);
                case "pools" -> message.reply(new JsonObject().put("pools", new JsonArray(new ArrayList<>(pools.values()))));
                case "open-pool" -> openPool(body, message);
                case "close-pool" -> closePool(body.getString("pool"), message);
                case "agent-hello" -> agentHello(body, message);
                default -> message.fail(400, "unknown supervisor op '" + op + "' in " + body
                        + "; expected status, scale, stop, deploy or cpus (or mproc's own start-group, stop-group, ready,"
                        + " open-pool, close-pool, pools, agent-hello)");
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

    /**
     * A worker for {@code group} under {@code name}: a warm spare if there is one, else a spare
     * still starting (it gets the role once it is ready: sooner than a JVM started now), else a new JVM.
     */
    private WorkerProcess staff(Group group, String name) {
        JsonObject role = group.role.copy().put("name", name);
        var spare = idleSpares.entrySet().stream().filter(e -> e.getKey().process().isAlive()).findFirst();
        if (spare.isPresent()) {
            WorkerProcess worker = spare.get().getKey();
            idleSpares.remove(worker);
            worker.assign(group.name, name);
            group.roles.put(worker, role);
            spare.get().getValue().reply(withVerticles(role));
            return worker;
        }
        var starting = workers.values().stream().filter(w -> w.group() == null && !w.isReady() && w.process().isAlive()).findFirst();
        if (starting.isPresent()) {
            starting.get().assign(group.name, name);
            group.roles.put(starting.get(), role);
            return starting.get();
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
        worker.ended().thenRun(() -> context.runOnContext(v -> exited(worker)));
        return worker;
    }

    /**
     * Starts spares up to {@code spares}, but only while no other worker JVM is starting: a
     * spare uses otherwise idle time and never slows the start of a pool or process that waits.
     */
    private void refillSpares() {
        if (workers.values().stream().anyMatch(w -> !w.isReady())) {
            return; // called again as each worker becomes ready
        }
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
            message.reply(withVerticles(group.roles.get(worker)));
        } else {
            spareFailures = 0;
            idleSpares.put(worker, message);
        }
        refillSpares();
    }

    private void exited(WorkerProcess worker) {
        workers.remove(worker.id());
        idleSpares.remove(worker);
        gate.exited(worker);
        int code = worker.exitCode();
        launcher.exited(worker.id(), code);
        boolean early = !worker.isReady() || worker.failedToStart();
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

    /** A cluster worker's role gets the verticles to deploy as it is handed out, so that it has the latest list. */
    private JsonObject withVerticles(JsonObject role) {
        return role != null && "serve".equals(role.getString("kind")) ? role.copy().put("verticles", new JsonArray(verticles)) : role;
    }

    // ---- a standing cluster's own workers ------------------------------------------------

    private Group clusterGroup() {
        return groups.computeIfAbsent(CLUSTER_GROUP, g -> new Group(g, new JsonObject().put("kind", "serve"), true));
    }

    private void scale(JsonObject body, Message<JsonObject> message) {
        Integer target = body.getInteger("workers");
        if (target == null || target < 0) {
            message.fail(400, "scale needs workers >= 0: " + body);
            return;
        }
        String where = body.getString("host");
        if (where == null || where.equals(host) || !plan.isClusters()) {
            message.reply(scaleTo(target));
            return;
        }
        var agent = agents.entrySet().stream().filter(a -> where.equals(a.getValue().getString("host"))).findFirst();
        if (agent.isEmpty()) {
            List<String> hosts = new ArrayList<>(List.of(host));
            agents.values().forEach(a -> hosts.add(a.getString("host")));
            message.fail(404, "no workers' host " + where + " in this cluster; its hosts are " + hosts);
            return;
        }
        vertx.eventBus().<JsonObject>request(agent.get().getKey(), body, QUICK).onComplete(
                reply -> message.reply(reply.body()), err -> message.fail(500, "scaling on " + where + ": " + err.getMessage()));
    }

    /** Starts or drains cluster workers on this host until {@code target} remain; says which. */
    private JsonObject scaleTo(int target) {
        Group group = clusterGroup();
        List<WorkerProcess> members = new ArrayList<>(group.roles.keySet());
        JsonArray added = new JsonArray();
        JsonArray retiring = new JsonArray();
        for (int i = members.size(); i < target && !group.broken; i++) {
            WorkerProcess worker = staff(group, plan.workerNames() + (++group.named));
            if (worker != null) {
                added.add(worker.name());
            }
        }
        for (int i = members.size() - 1; i >= target; i--) {
            WorkerProcess worker = members.get(i);
            group.roles.remove(worker); // not replaced when it leaves
            retiring.add(worker.name());
            if (!worker.isReady()) {
                worker.closeStdin(); // it holds no work yet
                continue;
            }
            vertx.eventBus().request(Addresses.worker(worker.name()), new JsonObject().put("op", "retire"), QUICK)
                    .onFailure(e -> worker.closeStdin());
        }
        refillSpares();
        return new JsonObject().put("host", host).put("workers", target).put("added", added).put("retiring", retiring);
    }

    private void openPool(JsonObject body, Message<JsonObject> message) {
        if (body.getString("pool") == null || body.getString("address") == null) {
            message.fail(400, "open-pool needs a pool and an address: " + body);
            return;
        }
        JsonObject pool = new JsonObject().put("pool", body.getString("pool")).put("address", body.getString("address"))
                .put("member", body.getString("member"));
        pools.put(pool.getString("pool"), pool);
        vertx.eventBus().publish(Addresses.POOLS, pool.copy().put("event", "open"));
        message.reply(new JsonObject().put("workers", clusterGroup().roles.size()));
    }

    private void closePool(String pool, Message<JsonObject> message) {
        forgetPool(pool);
        message.reply(new JsonObject());
    }

    /** A member left: the pools of a program that ended without closing them (e.g. killed) are closed for it. */
    private void memberLeft(String uuid) {
        pools.values().stream().filter(p -> uuid.equals(p.getString("member"))).map(p -> p.getString("pool")).toList()
                .forEach(this::forgetPool);
    }

    /** The cluster workers stop serving {@code pool}. */
    private void forgetPool(String pool) {
        if (pools.remove(pool) != null) {
            vertx.eventBus().publish(Addresses.POOLS, new JsonObject().put("event", "closed").put("pool", pool));
        }
    }

    private void agentHello(JsonObject body, Message<JsonObject> message) {
        agents.put(body.getString("address"), new JsonObject().put("host", body.getString("host")).put("cpus", body.getInteger("cpus", 1)));
        message.reply(new JsonObject().put("verticles", new JsonArray(verticles)));
    }

    /** Other hosts' supervisors that answer; one that does not is forgotten. */
    private <T> Future<List<T>> askAgents(JsonObject request, java.util.function.Function<JsonObject, T> read) {
        List<Future<T>> answers = new ArrayList<>();
        for (String address : new ArrayList<>(agents.keySet())) {
            answers.add(vertx.eventBus().<JsonObject>request(address, request, QUICK).map(m -> read.apply(m.body()))
                    .recover(e -> {
                        if (Patient.noHandlers(e)) {
                            agents.remove(address);
                        }
                        return Future.succeededFuture(null);
                    }));
        }
        return Future.join(answers).map(all -> answers.stream().map(Future::result).filter(java.util.Objects::nonNull).toList());
    }

    private Future<JsonArray> status() {
        List<Future<JsonObject>> rows = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (WorkerProcess w : workers.values()) {
            JsonObject row = new JsonObject().put("worker", w.name()).put("host", host).put("pid", w.pid())
                    .put("state", !w.isReady() ? "starting" : w.group() == null ? "spare" : "ready").put("tasks", 0L)
                    .put("uptimeMs", now - w.startedAt()).put("rssKb", WorkerProcess.rssKb(w.pid())).put("group", w.group());
            if (!w.isReady() || w.group() == null) {
                rows.add(Future.succeededFuture(row));
                continue;
            }
            rows.add(vertx.eventBus().<JsonObject>request(Addresses.worker(w.name()), new JsonObject().put("op", "info"), QUICK)
                    .map(reply -> row.put("state", reply.body().getString("state")).put("tasks", reply.body().getLong("tasks"))
                            .put("rssKb", reply.body().getLong("rssKb")))
                    .otherwise(row));
        }
        Future<List<JsonObject>> local = Future.join(new ArrayList<>(rows)).map(all -> rows.stream().map(Future::result).toList());
        Future<List<JsonArray>> remote = plan.isClusters()
                ? askAgents(new JsonObject().put("op", "status"), body -> body.getJsonArray("workers"))
                : Future.succeededFuture(List.of());
        return Future.all(local, remote).map(all -> {
            JsonArray table = new JsonArray();
            local.result().forEach(table::add);
            remote.result().forEach(more -> more.forEach(table::add));
            return table;
        });
    }

    private void cpus(Message<JsonObject> message) {
        Map<String, Integer> byHost = new LinkedHashMap<>();
        byHost.put(host, Runtime.getRuntime().availableProcessors());
        agents.values().forEach(a -> byHost.merge(a.getString("host"), a.getInteger("cpus", 1), Math::max));
        message.reply(new JsonObject().put("cpus", byHost.values().stream().mapToInt(Integer::intValue).sum())
                .put("hosts", new JsonObject(new LinkedHashMap<>(byHost))));
    }

    /** Deploys {@code verticle} on every ready cluster worker of this host and, from the cluster's supervisor, of every host. */
    private void deployEverywhere(String verticle, Message<JsonObject> message) {
        if (verticle == null || verticle.isBlank()) {
            message.fail(400, "deploy needs a verticle class name: {\"op\": \"deploy\", \"verticle\": \"com.example.Echo\"}");
            return;
        }
        List<Future<JsonArray>> parts = new ArrayList<>();
        for (WorkerProcess w : clusterGroup().roles.keySet()) {
            if (w.isReady()) {
                parts.add(Patient.<JsonObject>request(vertx, Addresses.worker(w.name()), new JsonObject().put("op", "deploy")
                        .put("verticle", verticle), QUICK, 5_000).map(m -> new JsonArray().add(m.body().getString("worker"))));
            }
        }
        if (plan.isClusters()) {
            for (String agent : new ArrayList<>(agents.keySet())) {
                parts.add(vertx.eventBus().<JsonObject>request(agent, new JsonObject().put("op", "deploy").put("verticle", verticle),
                        new DeliveryOptions().setSendTimeout(30_000)).map(m -> m.body().getJsonArray("workers")));
            }
        }
        Future.join(new ArrayList<>(parts)).onComplete(done -> {
            JsonArray deployed = new JsonArray();
            List<String> failures = new ArrayList<>();
            for (Future<JsonArray> part : parts) {
                if (part.succeeded()) {
                    part.result().forEach(deployed::add);
                } else {
                    failures.add(part.cause().getMessage());
                }
            }
            if (!failures.isEmpty()) {
                message.fail(500, "verticle " + verticle + " failed on " + failures.size() + " worker(s): " + failures.get(0));
                return;
            }
            addVerticle(verticle);
            message.reply(new JsonObject().put("verticle", verticle).put("workers", deployed));
        });
    }

    private void stopCluster(Message<JsonObject> message) {
        if (plan.onStop() == null) {
            message.fail(403, "this cluster lives inside a program (Multiprocessing.local()); it ends when the program closes it");
            return;
        }
        if (plan.isClusters()) {
            vertx.eventBus().publish(Addresses.CONTROL, new JsonObject().put("op", "stop"));
        }
        message.reply(new JsonObject().put("stopping", host).put("workers", workers.size()).put("hosts", 1 + agents.size()));
        vertx.setTimer(200, t -> stopJvm());
    }

    /** Ends this JVM on a thread of its own: its shutdown hook leaves the cluster, which needs the event loops. */
    private void stopJvm() {
        Thread stop = new Thread(plan.onStop(), "mproc-stop");
        stop.start();
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
