package io.mproc.pool;

import io.mproc.cluster.Addresses;
import io.mproc.cluster.Node;
import io.mproc.cluster.Patient;
import io.mproc.cluster.protocol.Event;
import io.mproc.cluster.protocol.Request;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * A worker of a standing cluster: it serves every pool that the programs connected to the
 * cluster open, one task at a time on one thread. It learns the open pools from the
 * supervisor and then from what the supervisor publishes on {@link Addresses#POOLS}, and
 * keeps pulls outstanding at each; batches run in the order they arrive, so that pools with
 * work take turns on it (each batch is sized to run about 2 ms, or one task when tasks are
 * long). That is how several programs share the workers fairly.
 *
 * <p>{@link #retire()} drains it ({@code run.sh scale} to fewer): it takes no more work, runs
 * what it holds, sends the results, and then finishes.
 */
public final class SharedWorker {
    private static final DeliveryOptions PATIENT = new DeliveryOptions().setSendTimeout(30_000);

    private final Node node;
    private final Vertx vertx;
    private final String name;
    private final ExecutorService tasks = PoolWorker.newTaskThread();
    private final Map<String, PoolWorker> pools = new HashMap<>();
    private final CompletableFuture<Integer> finished = new CompletableFuture<>();
    private Context context;
    private volatile boolean retiring;
    private int exitCode;

    public SharedWorker(Node node, String name) {
        this.node = node;
        this.vertx = node.vertx();
        this.name = name;
    }

    /** Serves the cluster's pools until retired; completes with the exit code for this JVM. */
    public CompletableFuture<Integer> run() {
        context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            vertx.eventBus().<JsonObject>consumer(Addresses.POOLS, m -> event(m.body()));
            Patient.<JsonObject>request(vertx, Addresses.SUPERVISOR, new Request.Pools().toJson(), PATIENT, 30_000)
                    .onSuccess(reply -> reply.body().getJsonArray("pools", new JsonArray())
                            .forEach(p -> join(entry(p))))
                    .onFailure(e -> System.err.println(name + ": cannot ask the supervisor for open pools: " + e));
        });
        return finished;
    }

    private void event(JsonObject body) {
        Event event;
        try {
            event = Event.parse(body);
        } catch (IllegalArgumentException e) {
            return; // not one for a cluster worker
        }
        if (event instanceof Event.PoolOpened opened) {
            join(opened);
        } else if (event instanceof Event.PoolClosed closed) {
            PoolWorker pool = pools.remove(closed.pool());
            if (pool != null) {
                pool.abandon();
            }
        }
    }

    /** An entry of the supervisor's {@code pools} reply; null (skipped) when it is not one. */
    private static Event.PoolOpened entry(Object entry) {
        try {
            return Event.PoolOpened.fromEntry(entry instanceof JsonObject json ? json : null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void join(Event.PoolOpened pool) {
        if (retiring || pool == null || pools.containsKey(pool.pool())) {
            return;
        }
        String id = pool.pool();
        String address = pool.address();
        PoolWorker worker = new PoolWorker(node, address, name, tasks, true);
        pools.put(id, worker);
        worker.run().whenComplete((code, error) -> context.runOnContext(v -> {
            pools.remove(id, worker);
            if (code != null && (code == PoolWorker.OUT_OF_MEMORY_EXIT || code == PoolWorker.TASK_STOPPED_EXIT)) {
                // a task ran out of memory, or one was stopped (its thread runs on): this JVM serves no pool
                // any more, the other pools take back what it held, and the cluster starts another
                exitCode = code;
                retire();
            }
            finishIfDrained();
        }));
    }

    /** Takes no more work; finishes (exit code 0) once the batches it holds are done and answered. */
    public void retire() {
        context.runOnContext(v -> {
            retiring = true;
            pools.values().forEach(PoolWorker::retire);
            finishIfDrained();
        });
    }

    public boolean isRetiring() {
        return retiring;
    }

    private void finishIfDrained() {
        if (retiring && pools.isEmpty()) {
            tasks.shutdown();
            finished.complete(exitCode);
        }
    }
}
