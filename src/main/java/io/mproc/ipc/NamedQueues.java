package io.mproc.ipc;

import com.hazelcast.core.HazelcastInstance;
import io.mproc.ProcessException;
import io.mproc.cluster.Blocking;
import io.mproc.cluster.Patient;
import io.mproc.codec.Wire;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The named queues of a cluster ({@code mp.queue("jobs")}), hosted in the JVM that founded it
 * (a standing cluster's own JVM, or an embedded cluster's program), so that programs that
 * connect and leave find the same queue, and a program's end does not take it along. Requests
 * on {@value #ADDRESS}: {@code {name, maxsize, joinable}} answers the queue's address, hosting
 * it on first use; a name already taken with another kind or size is refused; {@code {delete:
 * name}} stops hosting it (its items are dropped) and answers {@code {deleted: true|false}}.
 */
public final class NamedQueues {
    public static final String ADDRESS = "mproc.queues";

    private final Channels channels;
    private final Map<String, JsonObject> queues = new HashMap<>();

    private NamedQueues(Channels channels) {
        this.channels = channels;
    }

    /** Serves the cluster's named queues from this JVM; completes once the cluster can reach it. */
    public static Future<Void> serve(Vertx vertx, HazelcastInstance hazelcast, String cluster) {
        NamedQueues named = new NamedQueues(new Channels(vertx, hazelcast, cluster));
        return vertx.eventBus().<JsonObject>consumer(ADDRESS, named::handle).completion();
    }

    /**
     * The handle of named queue {@code name}, hosted on first use; returns once this JVM's
     * member sees the queue's address (a member's view of a new address lags 100-500 ms).
     *
     * @throws ProcessException the name is taken by a queue of another kind or size (the message says which)
     */
    public static <T> QueueHandle<T> find(Vertx vertx, String cluster, String name, int maxsize, boolean joinable) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a named queue needs a name");
        }
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(30_000);
        JsonObject queue = Blocking.await(Patient.<JsonObject>request(vertx, ADDRESS, new JsonObject().put("name", name)
                .put("maxsize", Math.max(0, maxsize)).put("joinable", joinable), options, 5_000), Duration.ofSeconds(35),
                "finding queue '" + name + "'").body();
        String address = queue.getString("address");
        Buffer size = Buffer.buffer(new Wire.Out(16).writeByte(QueueHost.SIZE).writeLong(0).toByteArray());
        Blocking.await(Patient.request(vertx, address, size, options, 5_000), Duration.ofSeconds(35), "reaching queue '" + name + "'");
        return new QueueHandle<>(cluster, address, name, queue.getInteger("maxsize"), joinable);
    }

    /** Stops hosting named queue {@code name}; whether it existed. */
    public static boolean delete(Vertx vertx, String name) {
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(30_000);
        return Blocking.await(vertx.eventBus().<JsonObject>request(ADDRESS, new JsonObject().put("delete", name), options),
                Duration.ofSeconds(35), "deleting queue '" + name + "'").body().getBoolean("deleted");
    }

    private void handle(Message<JsonObject> message) {
        JsonObject body = message.body();
        if (body.getString("delete") != null) {
            JsonObject gone = queues.remove(body.getString("delete"));
            if (gone != null) {
                channels.unhost(gone.getString("address"));
            }
            message.reply(new JsonObject().put("deleted", gone != null));
            return;
        }
        String name = body.getString("name");
        int maxsize = Math.max(0, body.getInteger("maxsize", 0));
        boolean joinable = body.getBoolean("joinable", false);
        if (name == null || name.isBlank()) {
            message.fail(400, "a named queue needs a name");
            return;
        }
        JsonObject known = queues.get(name);
        if (known == null) {
            JsonObject queue = new JsonObject().put("address", "mproc.queue.named." + name).put("maxsize", maxsize).put("joinable", joinable);
            queues.put(name, queue);
            channels.hostNamed(name, queue.getString("address"), maxsize).onComplete(
                    ok -> message.reply(queue), err -> message.fail(500, "cannot host queue '" + name + "': " + err));
            return;
        }
        if (known.getInteger("maxsize") != maxsize || known.getBoolean("joinable") != joinable) {
            message.fail(409, "queue '" + name + "' exists as a " + describe(known.getBoolean("joinable"), known.getInteger("maxsize"))
                    + "; asked for a " + describe(joinable, maxsize));
            return;
        }
        message.reply(known);
    }

    private static String describe(boolean joinable, int maxsize) {
        return (joinable ? "JoinableQueue" : "Queue") + " of maxsize " + maxsize;
    }
}
