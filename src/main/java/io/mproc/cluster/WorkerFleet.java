package io.mproc.cluster;

import io.mproc.cluster.protocol.Event;
import io.mproc.cluster.protocol.Request;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * This host's worker JVMs: launches them (one cluster join at a time, {@link JoinGate}), keeps
 * warm spares, staffs groups with them, replaces one that dies while its group wants
 * replacements, gives up on a group whose workers die before they are ready, stops and kills
 * them, and publishes their exits on {@link Addresses#EVENTS}. What it decides is in its
 * {@link Roster}; this class launches, signals and publishes. Used on the supervisor's event loop.
 */
final class WorkerFleet {
    private static final long STOP_GRACE_MS = 5_000;
    /** How long a worker whose cluster member left may take to exit before it counts as silent and is killed. */
    private static final long SILENT_GRACE_MS = 3_000;
    private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);
    private static final System.Logger LOG = System.getLogger(WorkerFleet.class.getName());

    private final Vertx vertx;
    private final Context context;
    private final WorkerLauncher launcher;
    private final String host;
    private final int spares;
    private final String workerNames;
    private final Supplier<List<String>> verticles;
    private final Roster<WorkerProcess> roster = new Roster<>(this::withVerticles);
    private final JoinGate gate;
    private int launched;
    /** Drops the cluster member of a worker that has ended ({@link Node#memberGone}). */
    private final Consumer<String> memberGone;

    /**
     * @param spares      warm spares to keep
     * @param workerNames prefix of its cluster workers' names ({@code worker-1}, ...), unique per host
     * @param verticles   the verticle classes a cluster worker deploys, as it is handed its role
     * @param memberGone  drops the cluster member (by uuid) of a worker that left and ended
     */
    WorkerFleet(Vertx vertx, Context context, WorkerLauncher launcher, String host, int spares, String workerNames,
                Supplier<List<String>> verticles, Consumer<String> memberGone) {
        this.vertx = vertx;
        this.context = context;
        this.launcher = launcher;
        this.host = host;
        this.spares = spares;
        this.workerNames = workerNames;
        this.verticles = verticles;
        this.memberGone = memberGone;
        this.gate = new JoinGate(vertx);
    }

    /** A member joined the cluster: the worker whose turn it was is in. */
    void memberAdded() {
        gate.memberAdded();
    }

    /** How many worker JVMs run (spares included). */
    int size() {
        return roster.size();
    }

    /** How many cluster workers this host keeps. */
    int clusterWorkers() {
        return roster.clusterGroup().roles.size();
    }

    /** Starts a group; {@code reply} gets {@code {workers: [{name, pid}]}}, or a refusal if the group exists. */
    void startGroup(Request.StartGroup request, Promise<JsonObject> reply) {
        Roster.Group<WorkerProcess> group = roster.open(request.group(), request.role(), request.replace(), request.names());
        if (group == null) {
            reply.fail(new Refusal(409, "group " + request.group() + " already exists"));
            return;
        }
        JsonArray started = new JsonArray();
        while (!group.names.isEmpty() && !group.broken) {
            WorkerProcess worker = staff(group, group.names.pollFirst());
            if (worker != null) {
                started.add(new JsonObject().put("name", worker.name()).put("pid", worker.pid()));
            }
        }
        reply.complete(new JsonObject().put("workers", started));
        refillSpares();
    }

    /**
     * A worker for {@code group} under {@code name}: a warm spare if there is one, else a spare
     * still starting (it gets the role once it is ready: sooner than a JVM started now), else a new JVM.
     */
    private WorkerProcess staff(Roster.Group<WorkerProcess> group, String name) {
        WorkerProcess spare = roster.place(group, name);
        if (spare != null) {
            return spare;
        }
        WorkerProcess worker = launch(group.name);
        if (worker == null) {
            breakGroup(group, "cannot start a worker JVM; see the log");
            return null;
        }
        roster.enlist(group, worker, name);
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
        roster.add(worker);
        gate.enqueue(worker);
        worker.ended().thenRun(() -> context.runOnContext(v -> exited(worker)));
        return worker;
    }

    /** Starts spares up to their number, but only while no other worker JVM is starting (see {@link Roster#sparesWanted}). */
    void refillSpares() {
        for (int i = roster.sparesWanted(spares); i > 0; i--) {
            if (launch(null) == null) {
                return;
            }
        }
    }

    /** Worker {@code id} is on the event bus as cluster member {@code member}: {@code reply} gets its role, for a spare once a group takes it. */
    void ready(String id, String member, Promise<JsonObject> reply) {
        WorkerProcess worker = roster.get(id);
        if (worker == null) {
            reply.fail(new Refusal(404, "no worker " + id + " in this cluster"));
            return;
        }
        worker.member(member);
        roster.ready(worker, reply::complete);
        refillSpares();
    }

    /**
     * Cluster member {@code uuid} left or was taken for dead. If it is one of this host's workers
     * and its process still runs {@link #SILENT_GRACE_MS} later, the worker is silent (stopped by
     * SIGSTOP, frozen, cut off): it is killed with SIGKILL, and its exit then re-runs its work and
     * replaces it as any death does. A worker that merely runs a long task keeps its heartbeats
     * (they have threads of their own), and one that leaves normally says so in its exit note
     * (its JVM may take longer to end: the first worker of a class path writes the AppCDS archive).
     */
    void memberLeft(String uuid) {
        for (WorkerProcess worker : roster.workers()) {
            if (uuid.equals(worker.member()) && !worker.told()) {
                vertx.setTimer(SILENT_GRACE_MS, t -> {
                    if (worker.silent()) {
                        LOG.log(System.Logger.Level.WARNING, "worker {0} (pid {1}) stopped answering the cluster (its member was"
                                + " taken for dead after mproc.max.no.heartbeat.seconds): killing it", worker.name(), worker.pid());
                        worker.killAsSilent();
                    }
                });
            }
        }
    }

    private void exited(WorkerProcess worker) {
        gate.exited(worker);
        int code = worker.exitCode();
        launcher.exited(worker.id(), worker.endedItself());
        boolean early = !worker.isReady() || worker.failedToStart();
        String reason = ExitLog.reason(code, early, worker.killedAsSilent(), worker.askedToEnd());
        vertx.eventBus().publish(Addresses.EVENTS, new Event.WorkerExit(worker.name(), worker.group(), worker.pid(), code, host, reason).toJson());
        if (worker.endedItself() && worker.member() != null) {
            // it left the cluster before it ended: its member goes now, after its exit was told (a
            // pool learns the exit code from the event, not "left the cluster" from the member's
            // removal). A JVM that died without its exit note is left to Hazelcast's detection.
            String member = worker.member();
            vertx.executeBlocking(() -> {
                memberGone.accept(member);
                return null;
            }, false);
        }
        Roster.AfterExit<WorkerProcess> after = roster.exited(worker, early);
        switch (after.next()) {
            case REFILL_SPARES -> refillSpares();
            case BREAK_GROUP -> breakGroup(after.group(), "worker " + worker.name() + " (pid " + worker.pid() + ") exited with code "
                    + code + " before it was ready, " + after.group().startFailures + " workers in a row; its last stderr lines:\n"
                    + worker.stderrTail());
            case REPLACE -> {
                LOG.log(System.Logger.Level.INFO, "worker {0} (pid {1}) exited with code {2}; starting a replacement",
                        worker.name(), worker.pid(), code);
                staff(after.group(), after.replacement());
            }
            case NOTHING -> { }
        }
    }

    private void breakGroup(Roster.Group<WorkerProcess> group, String reason) {
        group.broken = true;
        vertx.eventBus().publish(Addresses.EVENTS, new Event.GroupBroken(group.name, reason).toJson());
    }

    /** Stops group {@code name} with {@code signal}; completes once all its workers have exited (after 5 s, SIGKILL). */
    Future<Void> stopGroup(String name, Request.StopGroup.Signal signal) {
        Promise<Void> done = Promise.promise();
        List<WorkerProcess> members = roster.stop(name, done::tryComplete);
        if (members.isEmpty()) {
            return done.future();
        }
        for (WorkerProcess w : members) {
            switch (signal) {
                case KILL -> w.signal(true);
                case TERM -> w.signal(false);
                case LEAVE -> w.closeStdin();
            }
        }
        vertx.setTimer(STOP_GRACE_MS, t -> members.forEach(w -> w.signal(true)));
        return done.future();
    }

    /** A cluster worker's role gets the verticles to deploy as it is handed out, so that it has the latest list. */
    private JsonObject withVerticles(JsonObject role) {
        return role != null && "serve".equals(role.getString("kind")) ? role.copy().put("verticles", new JsonArray(verticles.get())) : role;
    }

    /** Starts or drains cluster workers on this host until {@code target} remain; says which, {@code {host, workers, added, retiring}}. */
    JsonObject scaleTo(int target) {
        Roster.Group<WorkerProcess> group = roster.clusterGroup();
        List<WorkerProcess> members = new ArrayList<>(group.roles.keySet());
        JsonArray added = new JsonArray();
        JsonArray retiring = new JsonArray();
        for (int i = members.size(); i < target && !group.broken; i++) {
            WorkerProcess worker = staff(group, workerNames + (++group.named));
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
            worker.retiring();
            vertx.eventBus().request(Addresses.worker(worker.name()), new JsonObject().put("op", "retire"), QUICK)
                    .onFailure(e -> worker.closeStdin());
        }
        refillSpares();
        return new JsonObject().put("host", host).put("workers", target).put("added", added).put("retiring", retiring);
    }

    /** This host's rows of {@code status}; a ready worker of a group adds its own state, tasks, RSS and the task it runs now. */
    Future<List<JsonObject>> status() {
        List<Future<JsonObject>> rows = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (WorkerProcess w : roster.workers()) {
            JsonObject row = new JsonObject().put("worker", w.name()).put("host", host).put("pid", w.pid())
                    .put("state", !w.isReady() ? "starting" : w.group() == null ? "spare" : "ready").put("tasks", 0L)
                    .put("uptimeMs", now - w.startedAt()).put("rssKb", WorkerProcess.rssKb(w.pid())).put("group", w.group());
            if (!w.isReady() || w.group() == null) {
                rows.add(Future.succeededFuture(row));
                continue;
            }
            rows.add(vertx.eventBus().<JsonObject>request(Addresses.worker(w.name()), new JsonObject().put("op", "info"), QUICK)
                    .map(reply -> row.put("state", reply.body().getString("state")).put("tasks", reply.body().getLong("tasks"))
                            .put("rssKb", reply.body().getLong("rssKb")).put("running", reply.body().getString("running")))
                    .otherwise(row));
        }
        return Future.join(new ArrayList<>(rows)).map(all -> rows.stream().map(Future::result).toList());
    }

    /** Deploys a verticle on each ready cluster worker of this host; each part the names of the workers that did. */
    List<Future<JsonArray>> deploy(Request.Deploy deploy) {
        List<Future<JsonArray>> parts = new ArrayList<>();
        for (WorkerProcess w : roster.clusterGroup().roles.keySet()) {
            if (w.isReady()) {
                parts.add(Patient.<JsonObject>request(vertx, Addresses.worker(w.name()), new JsonObject().put("op", "deploy")
                        .put("verticle", deploy.verticle()).put("program", deploy.program()), QUICK, 5_000)
                        .map(m -> new JsonArray().add(m.body().getString("worker"))));
            }
        }
        return parts;
    }

    /** Stops every worker: closes their standard input, then kills those still alive after the grace period. */
    Future<Void> stopAll() {
        List<WorkerProcess> all = roster.stopAll();
        all.forEach(WorkerProcess::closeStdin);
        return vertx.executeBlocking(() -> {
            long deadline = System.currentTimeMillis() + STOP_GRACE_MS;
            for (WorkerProcess w : all) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || !w.process().waitFor(left, TimeUnit.MILLISECONDS)) {
                    w.signal(true);
                    w.process().waitFor();
                }
            }
            return null;
        });
    }
}
