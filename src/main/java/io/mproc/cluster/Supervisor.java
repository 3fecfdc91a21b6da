package io.mproc.cluster;

import io.mproc.cluster.protocol.Event;
import io.mproc.cluster.protocol.Request;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The supervisor verticle: it takes requests ({@link Request}, JSON with field {@code op}) on
 * its address and hands each to the part that owns the job: this host's worker JVMs to a
 * {@code WorkerFleet} (groups, spares, replacements, stops, exit events), the standing cluster's
 * pools, other hosts and verticles to a {@code ClusterRegistry}. Itself it owns only the JVM's
 * end ({@code stop}). In a standing cluster the supervisor of the founding JVM is the cluster's,
 * at {@link Addresses#SUPERVISOR}, and keeps the cluster's own workers at the count
 * {@code scale} sets; each other host that adds workers ({@code run.sh worker --join}) runs one
 * of its own, which registers with it.
 *
 * <p>Requests (see {@link Request} for each one's fields and reply). Public (documented for
 * {@code run.sh send}): {@code status}, {@code scale}, {@code stop}, {@code deploy}, {@code cpus}.
 * Between mproc's JVMs: {@code start-group}, {@code stop-group}, {@code ready}, {@code open-pool},
 * {@code close-pool}, {@code pools}, {@code agent-hello}. A malformed request fails with code 400
 * and a message that names the field. It publishes {@link io.mproc.cluster.protocol.Event}s:
 * {@code exit} and {@code group-broken} on {@link Addresses#EVENTS}, {@code open} and
 * {@code closed} on {@link Addresses#POOLS}.
 */
public final class Supervisor extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(Supervisor.class.getName());

    private final WorkerLauncher launcher;
    private final Node node;
    private final String host;
    private final int spares;
    private final Plan plan;
    private WorkerFleet fleet;
    private ClusterRegistry registry;
    /** What the programs told: their maps, task counts and queues, for the status page and metrics. */
    private final ProgramBoard board = new ProgramBoard();
    /** The workers that ended, on every host (the cluster's own supervisor only). */
    private final ExitLog exits = new ExitLog();

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
     * worker JVMs ready, its Vert.x with {@code metrics} (null: none). The member is left again if
     * the supervisor cannot start. What else a founder serves (named queues, the reaper) is added
     * by {@code io.mproc.runtime.Founding}, through which every founder goes.
     */
    public static Node found(Settings settings, String name, String host, int port, int spares, List<String> workerJvmOptions,
                             Plan plan, Node.Metrics metrics) {
        Node node = Node.start(settings, name, host, null, false, port, () -> { }, null, metrics);
        if (!ClusterIdentity.required(settings)) {
            System.getLogger(Supervisor.class.getName()).log(System.Logger.Level.WARNING, "mproc.security=off: cluster " + name
                    + " at " + node.joinAddress() + " lets in any JVM that reaches that port, and runs the code it sends");
        }
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
            WorkerLauncher launcher = new WorkerLauncher(settings, name, join, host, plan.address(), workerJvmOptions,
                    node.identity());
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
    }

    @Override
    public Future<?> start() {
        registry = new ClusterRegistry(vertx, host, plan.isClusters(), plan.verticles());
        fleet = new WorkerFleet(vertx, context, launcher, host, spares, plan.workerNames(), registry::verticles, node::memberGone);
        node.onMembership(() -> context.runOnContext(v -> fleet.memberAdded()), uuid -> context.runOnContext(v -> {
            registry.memberLeft(uuid);
            fleet.memberLeft(uuid);
        }));
        fleet.refillSpares();
        Future<Void> listening = vertx.eventBus().consumer(plan.address(), this::handle).completion();
        if (plan.isClusters()) {
            Future<Void> hearing = vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, this::event).completion();
            return Future.all(listening, hearing).onSuccess(v -> fleet.scaleTo(plan.workers()));
        }
        // another host's supervisor: it stops with the cluster, and learns the cluster's verticles when it registers
        registry.onClusterStop(this::stopJvm);
        return listening.compose(v -> registry.register(plan.address())).map(v -> {
            fleet.scaleTo(plan.workers());
            return null;
        });
    }

    /** Notes a worker's exit, told by the supervisor of its host, in the exit log. */
    private void event(Message<JsonObject> message) {
        try {
            if (Event.parse(message.body()) instanceof Event.WorkerExit exit) {
                exits.exited(exit.worker(), exit.pid(), exit.host(), exit.group(), exit.code(), exit.reason(), System.currentTimeMillis());
            }
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, "an event the exit log does not read: " + e.getMessage());
        }
    }

    /** Parses a request, hands it to its part, and replies with what that part completes {@code reply} with. */
    private void handle(Message<Object> message) {
        Request request;
        try {
            if (!(message.body() instanceof JsonObject body)) {
                throw new IllegalArgumentException("a supervisor request is a JSON object with field op, e.g. {\"op\": \"status\"};"
                        + " got " + message.body());
            }
            request = Request.parse(body);
        } catch (IllegalArgumentException e) {
            message.fail(400, e.getMessage());
            return;
        }
        Promise<JsonObject> reply = Promise.promise();
        reply.future().onComplete(message::reply, e -> message.fail(e instanceof Refusal r ? r.code() : 500, e.getMessage()));
        try {
            request.accept(router, reply);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "supervisor request " + message.body() + " failed", e);
            reply.tryFail(new Refusal(500, e.toString()));
        }
    }

    private final Request.Visitor<Promise<JsonObject>> router = new Request.Visitor<>() {
        @Override
        public void startGroup(Request.StartGroup request, Promise<JsonObject> reply) {
            fleet.startGroup(request, reply);
        }

        @Override
        public void stopGroup(Request.StopGroup request, Promise<JsonObject> reply) {
            fleet.stopGroup(request.group(), request.signal()).map(v -> new JsonObject()).onComplete(reply);
        }

        @Override
        public void ready(Request.Ready request, Promise<JsonObject> reply) {
            fleet.ready(request.id(), request.member(), reply);
        }

        @Override
        public void status(Request.Status request, Promise<JsonObject> reply) {
            Future<List<JsonObject>> local = fleet.status();
            Future<List<JsonArray>> remote = registry.status();
            Future.all(local, remote).map(all -> {
                JsonArray table = new JsonArray();
                local.result().forEach(table::add);
                remote.result().forEach(more -> more.forEach(table::add));
                long now = System.currentTimeMillis();
                return new JsonObject().put("workers", table).put("pools", board.pools(now)).put("tasks", board.tasks())
                        .put("queues", board.queues(now)).put("exits", exits.recent()).put("exitCounts", exits.counts());
            }).onComplete(reply);
        }

        @Override
        public void scale(Request.Scale request, Promise<JsonObject> reply) {
            if (request.host() == null || request.host().equals(host) || !plan.isClusters()) {
                reply.complete(fleet.scaleTo(request.workers()));
            } else {
                registry.scaleOn(request).onComplete(reply);
            }
        }

        @Override
        public void stop(Request.Stop request, Promise<JsonObject> reply) {
            stopCluster(reply);
        }

        @Override
        public void deploy(Request.Deploy request, Promise<JsonObject> reply) {
            String program = request.program();
            if (program != null && node.member(program) == null) {
                // its classes could come from no one, and its verticles would never be undeployed
                reply.fail(new Refusal(400, "deploy: program " + program + " is no member of this cluster; a verticle's classes"
                        + " come from a connected program (Multiprocessing.deployOnWorkers), or from the cluster's class path (no program)"));
                return;
            }
            deployEverywhere(request, reply);
        }

        @Override
        public void cpus(Request.Cpus request, Promise<JsonObject> reply) {
            reply.complete(registry.cpus());
        }

        @Override
        public void pools(Request.Pools request, Promise<JsonObject> reply) {
            reply.complete(registry.pools());
        }

        @Override
        public void openPool(Request.OpenPool request, Promise<JsonObject> reply) {
            registry.openPool(request);
            reply.complete(new JsonObject().put("workers", fleet.clusterWorkers()));
        }

        @Override
        public void closePool(Request.ClosePool request, Promise<JsonObject> reply) {
            registry.closePool(request.pool());
            reply.complete(new JsonObject());
        }

        @Override
        public void agentHello(Request.AgentHello request, Promise<JsonObject> reply) {
            reply.complete(registry.agentHello(request));
        }

        @Override
        public void progress(Request.Progress request, Promise<JsonObject> reply) {
            board.progress(request, System.currentTimeMillis());
            reply.complete(new JsonObject());
        }

        @Override
        public void queues(Request.Queues request, Promise<JsonObject> reply) {
            board.queues(request, System.currentTimeMillis());
            reply.complete(new JsonObject());
        }
    };

    /** Deploys a verticle on every ready cluster worker of this host and, from the cluster's supervisor, of every host. */
    private void deployEverywhere(Request.Deploy request, Promise<JsonObject> reply) {
        String verticle = request.verticle();
        List<Future<JsonArray>> parts = new ArrayList<>(fleet.deploy(request));
        parts.addAll(registry.deploy(request));
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
                reply.fail(new Refusal(500, "verticle " + verticle + " failed on " + failures.size() + " worker(s): " + failures.get(0)));
                return;
            }
            // a class the workers have (this JVM's class path is theirs) stays for good; one fetched from the
            // program, while it is connected
            boolean fromProgram = request.program() != null && !onClassPath(verticle);
            registry.addVerticle(fromProgram ? request.spec() : verticle);
            reply.complete(new JsonObject().put("verticle", verticle).put("workers", deployed).put("fromProgram", fromProgram));
        });
    }

    private static boolean onClassPath(String verticle) {
        try {
            Class.forName(verticle, false, Supervisor.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private void stopCluster(Promise<JsonObject> reply) {
        if (plan.onStop() == null) {
            reply.fail(new Refusal(403, "this cluster lives inside a program (Multiprocessing.local()); it ends when the program closes it"));
            return;
        }
        registry.stopOtherHosts();
        reply.complete(new JsonObject().put("stopping", host).put("workers", fleet.size()).put("hosts", registry.hosts()));
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
        return fleet == null ? Future.succeededFuture() : fleet.stopAll();
    }
}
