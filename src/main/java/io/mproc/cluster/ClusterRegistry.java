package io.mproc.cluster;

import io.mproc.cluster.protocol.Event;
import io.mproc.cluster.protocol.Request;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a standing cluster keeps beside its workers: the pools its workers serve (an address
 * each, closed for a program whose member leaves; published on {@link Addresses#POOLS}), the
 * supervisors of its other hosts ({@code agents}: their requests, cores and workers' status),
 * and the verticles every cluster worker deploys. On another host's supervisor it is that
 * host's side: it registers with the cluster's supervisor and learns its verticles, and
 * hears {@code stop} on {@link Addresses#CONTROL}. Of a pool it knows the name, the address and
 * the member only. Used on the supervisor's event loop.
 */
final class ClusterRegistry {
    private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);

    /** Another host's supervisor, at its address. */
    private record Agent(String host, int cpus) {
    }

    private final Vertx vertx;
    private final String host;
    private final boolean clusters;
    private final List<String> verticles = new ArrayList<>();
    private final Map<String, Event.PoolOpened> pools = new LinkedHashMap<>();
    private final Map<String, Agent> agents = new LinkedHashMap<>();

    /**
     * @param host      this host, as the status and the cores name it
     * @param clusters  whether this is the cluster's supervisor (else another host's)
     * @param verticles verticle classes every cluster worker deploys, to begin with
     */
    ClusterRegistry(Vertx vertx, String host, boolean clusters, List<String> verticles) {
        this.vertx = vertx;
        this.host = host;
        this.clusters = clusters;
        verticles.forEach(this::addVerticle);
    }

    // ---- verticles ------------------------------------------------------------------------

    /** A copy of the verticles every cluster worker deploys, as {@link Request.Deploy#spec()}s. */
    List<String> verticles() {
        return new ArrayList<>(verticles);
    }

    void addVerticle(String verticle) {
        if (!verticles.contains(verticle)) {
            verticles.add(verticle);
        }
    }

    // ---- pools ----------------------------------------------------------------------------

    /** The cluster workers are to serve {@code request.pool()}. */
    void openPool(Request.OpenPool request) {
        Event.PoolOpened pool = new Event.PoolOpened(request.pool(), request.address(), request.member());
        pools.put(pool.pool(), pool);
        vertx.eventBus().publish(Addresses.POOLS, pool.toJson());
    }

    /** The cluster workers stop serving {@code pool}. */
    void closePool(String pool) {
        if (pools.remove(pool) != null) {
            vertx.eventBus().publish(Addresses.POOLS, new Event.PoolClosed(pool).toJson());
        }
    }

    /** A member left: the pools of a program that ended without closing them (e.g. killed) are closed for it. */
    void memberLeft(String uuid) {
        pools.values().stream().filter(p -> uuid.equals(p.member())).map(Event.PoolOpened::pool).toList().forEach(this::closePool);
        verticles.removeIf(spec -> uuid.equals(Request.Deploy.ofSpec(spec).program())); // its workers undeploy them themselves
    }

    /** The reply to {@code pools}: {@code {pools: [{pool, address, member}]}}. */
    JsonObject pools() {
        JsonArray entries = new JsonArray();
        pools.values().forEach(p -> entries.add(p.entry()));
        return new JsonObject().put("pools", entries);
    }

    // ---- other hosts, seen from the cluster's supervisor ------------------------------------

    /** Another host's supervisor registers; the reply tells it the verticles, {@code {verticles}}. */
    JsonObject agentHello(Request.AgentHello request) {
        agents.put(request.address(), new Agent(request.host(), request.cpus()));
        return new JsonObject().put("verticles", new JsonArray(verticles()));
    }

    /** How many hosts the cluster has: this one and those that registered. */
    int hosts() {
        return 1 + agents.size();
    }

    /** Has the supervisor of {@code request.host()} scale its workers; its reply. */
    Future<JsonObject> scaleOn(Request.Scale request) {
        String where = request.host();
        var agent = agents.entrySet().stream().filter(a -> where.equals(a.getValue().host())).findFirst();
        if (agent.isEmpty()) {
            List<String> hosts = new ArrayList<>(List.of(host));
            agents.values().forEach(a -> hosts.add(a.host()));
            return Future.failedFuture(new Refusal(404, "no workers' host " + where + " in this cluster; its hosts are " + hosts));
        }
        return vertx.eventBus().<JsonObject>request(agent.get().getKey(), request.toJson(), QUICK).map(m -> m.body())
                .recover(e -> Future.failedFuture(new Refusal(500, "scaling on " + where + ": " + e.getMessage())));
    }

    /** The other hosts' rows of {@code status} (none on another host's supervisor). */
    Future<List<JsonArray>> status() {
        return clusters ? askAgents(new Request.Status().toJson(), body -> body.getJsonArray("workers")) : Future.succeededFuture(List.of());
    }

    /** The reply to {@code cpus}: {@code {cpus, hosts}}, the cores of this host and of the others, one count per host name. */
    JsonObject cpus() {
        Map<String, Integer> byHost = new LinkedHashMap<>();
        byHost.put(host, Runtime.getRuntime().availableProcessors());
        agents.values().forEach(a -> byHost.merge(a.host(), a.cpus(), Math::max));
        return new JsonObject().put("cpus", byHost.values().stream().mapToInt(Integer::intValue).sum())
                .put("hosts", new JsonObject(new LinkedHashMap<>(byHost)));
    }

    /** Deploys a verticle through the other hosts' supervisors (none on another host's); each part the workers that did. */
    List<Future<JsonArray>> deploy(Request.Deploy deploy) {
        List<Future<JsonArray>> parts = new ArrayList<>();
        if (clusters) {
            for (String agent : new ArrayList<>(agents.keySet())) {
                parts.add(vertx.eventBus().<JsonObject>request(agent, deploy.toJson(),
                        new DeliveryOptions().setSendTimeout(30_000)).map(m -> m.body().getJsonArray("workers")));
            }
        }
        return parts;
    }

    /** From the cluster's supervisor: every other host's supervisor stops. */
    void stopOtherHosts() {
        if (clusters) {
            vertx.eventBus().publish(Addresses.CONTROL, new Request.Stop().toJson());
        }
    }

    /** Other hosts' supervisors that answer; one that does not is forgotten. */
    private <T> Future<List<T>> askAgents(JsonObject request, Function<JsonObject, T> read) {
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
        return Future.join(answers).map(all -> answers.stream().map(Future::result).filter(Objects::nonNull).toList());
    }

    // ---- this host's side, on another host's supervisor ------------------------------------

    /** Registers this host's supervisor at {@code address} with the cluster's, and takes up the cluster's verticles. */
    Future<Void> register(String address) {
        JsonObject hello = new Request.AgentHello(address, host, Runtime.getRuntime().availableProcessors()).toJson();
        return Patient.<JsonObject>request(vertx, Addresses.SUPERVISOR, hello, QUICK, 10_000).map(reply -> {
            reply.body().getJsonArray("verticles", new JsonArray()).forEach(v -> addVerticle(String.valueOf(v)));
            return null;
        });
    }

    /** Runs {@code stop} when the cluster's supervisor says the cluster stops. */
    void onClusterStop(Runnable stop) {
        vertx.eventBus().<Object>consumer(Addresses.CONTROL, m -> {
            if (m.body() instanceof JsonObject body && isStop(body)) {
                stop.run();
            }
        });
    }

    private static boolean isStop(JsonObject body) {
        try {
            return Request.parse(body) instanceof Request.Stop;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
