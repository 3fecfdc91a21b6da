package io.mproc.runtime;

import io.mproc.cluster.Addresses;
import io.mproc.cluster.ProgramClasses;
import io.mproc.cluster.WorkerProcess;
import io.mproc.cluster.protocol.Request;
import io.mproc.codec.ProgramLoader;
import io.mproc.pool.PoolWorker;
import io.mproc.pool.SharedWorker;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * What a worker JVM answers on its own address ({@link Addresses#worker(String)}): {@code info}
 * (its row of {@code run.sh status}); {@code cancel {pool, units}} (a pool's driver cancelled
 * units this JVM holds: the one running is stopped, and the JVM leaves; the others are skipped);
 * and, for a worker of a standing cluster, {@code retire}
 * (drain and leave) and {@code deploy {verticle, program}} (a user's verticle, by class name;
 * with {@code program}, a class this worker lacks comes from that program). Such a
 * worker also answers on {@link Addresses#SQUARE}, the address users can try {@code send} on.
 */
final class WorkerControl {
    private final Vertx vertx;
    private final ProgramClasses programs;
    private final String name;
    private final String host;
    private final SharedWorker shared;
    private final long startedAt = System.currentTimeMillis();

    private WorkerControl(Vertx vertx, ProgramClasses programs, String name, String host, SharedWorker shared) {
        this.vertx = vertx;
        this.programs = programs;
        this.name = name;
        this.host = host;
        this.shared = shared;
    }

    /** Listens on this worker's address (and for a cluster worker, on the demo address); {@code shared} is null for other roles. */
    static Future<Void> listen(Vertx vertx, ProgramClasses programs, String name, String host, SharedWorker shared) {
        WorkerControl control = new WorkerControl(vertx, programs, name, host, shared);
        Future<Void> own = vertx.eventBus().<JsonObject>consumer(Addresses.worker(name), control::handle).completion();
        if (shared == null) {
            return own;
        }
        return Future.all(own, vertx.eventBus().consumer(Addresses.SQUARE, control::square).completion()).mapEmpty();
    }

    private void handle(Message<JsonObject> message) {
        JsonObject body = message.body() == null ? new JsonObject() : message.body();
        String op = body.getString("op", "");
        switch (op) {
            case "info" -> message.reply(info());
            case "retire" -> {
                if (shared == null) {
                    message.fail(400, name + " is not a worker of a standing cluster; only those retire");
                    return;
                }
                shared.retire();
                message.reply(new JsonObject().put("retiring", name));
            }
            case "deploy" -> {
                if (shared == null) {
                    message.fail(400, name + " is not a worker of a standing cluster; only those take verticles");
                    return;
                }
                deploy(body.getString("verticle"), body.getValue("program") instanceof String p ? p : null).onComplete(
                        ok -> message.reply(new JsonObject().put("worker", name).put("deployment", ok)),
                        err -> message.fail(500, name + " cannot deploy " + body.getString("verticle") + ": " + err));
            }
            case "cancel" -> {
                if (!(body.getValue("pool") instanceof String pool) || !(body.getValue("units") instanceof JsonArray units)) {
                    message.fail(400, "cancel needs pool (the pool's address) and units (unit ids): " + body);
                    return;
                }
                List<Integer> ids = new ArrayList<>();
                for (Object unit : units) {
                    if (!(unit instanceof Integer id)) {
                        message.fail(400, "cancel: units are unit ids (integers), not " + unit);
                        return;
                    }
                    ids.add(id);
                }
                message.reply(new JsonObject().put("stopped", PoolWorker.cancel(pool, ids)));
            }
            default -> message.fail(400, "unknown worker op '" + op + "'; expected info, retire, deploy or cancel");
        }
    }

    /**
     * Deploys a verticle by class name. A class on this worker's class path stays deployed for good;
     * one that only {@code program} (a member id; may be null) has is loaded from it, and runs until
     * that program leaves the cluster.
     */
    Future<String> deploy(String verticle, String program) {
        return deploy(vertx, programs, verticle, program);
    }

    private static Future<String> deploy(Vertx vertx, ProgramClasses programs, String verticle, String program) {
        if (verticle == null || verticle.isBlank()) {
            return Future.failedFuture("no verticle class name given");
        }
        ProgramLoader loader = programs.loaderOf(program);
        if (loader == null || verticle.contains(":")) { // no program, or another factory's name ("js:...", "service:...")
            return vertx.deployVerticle(verticle);
        }
        // the class is looked up off the event loop: fetching it waits for the program's answer
        return vertx.executeBlocking(() -> Class.forName(verticle, false, loader).getClassLoader() == loader, false)
                .compose(fromProgram -> {
                    if (!fromProgram) {
                        return vertx.deployVerticle(verticle);
                    }
                    return vertx.deployVerticle(verticle, new DeploymentOptions().setClassLoader(loader.contextLoader()))
                            .onSuccess(id -> programs.whenGone(program, () -> vertx.undeploy(id)));
                });
    }

    /** Deploys each of {@code verticles} ({@link Request.Deploy#spec()}s) in turn; a failure is reported on stderr and the worker serves on. */
    static void deployAll(Vertx vertx, ProgramClasses programs, String name, JsonArray verticles) {
        for (Object v : verticles) {
            Request.Deploy deploy = Request.Deploy.ofSpec(String.valueOf(v));
            deploy(vertx, programs, deploy.verticle(), deploy.program()).onFailure(e ->
                    System.err.println(name + ": cannot deploy verticle " + v + ": " + e));
        }
    }

    private JsonObject info() {
        String state = shared == null ? "running" : shared.isRetiring() ? "retiring" : PoolWorker.busy() ? "busy" : "idle";
        return new JsonObject().put("worker", name).put("host", host).put("pid", ProcessHandle.current().pid())
                .put("state", state).put("tasks", PoolWorker.tasksDone()).put("running", PoolWorker.runningNow())
                .put("uptimeMs", System.currentTimeMillis() - startedAt).put("rssKb", WorkerProcess.rssKb(ProcessHandle.current().pid()))
                .put("programs", programs.programs()).put("programLoaders", programs.loadersInMemory())
                .put("classes", ManagementFactory.getClassLoadingMXBean().getLoadedClassCount()).put("metaspaceKb", metaspaceKb());
    }

    /** What the JVM's metaspace holds now, in KiB; -1 if it cannot tell. */
    private static long metaspaceKb() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                return pool.getUsage().getUsed() / 1024;
            }
        }
        return -1;
    }

    private void square(Message<Object> message) {
        Object body = message.body();
        Object n = body instanceof JsonObject json ? json.getValue("n") : body;
        if (!(n instanceof Number number)) {
            message.fail(400, Addresses.SQUARE + " squares a number: send {\"n\": 7}, not " + body);
            return;
        }
        double x = number.doubleValue();
        Object square = x == Math.rint(x) && Math.abs(x) < 3e9 ? (Object) (number.longValue() * number.longValue()) : x * x;
        message.reply(new JsonObject().put("n", n).put("square", square).put("worker", name)
                .put("host", host).put("pid", ProcessHandle.current().pid()));
    }
}
