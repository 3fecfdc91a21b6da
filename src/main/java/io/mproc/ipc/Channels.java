package io.mproc.ipc;

import com.hazelcast.core.HazelcastInstance;
import io.mproc.Connection;
import io.mproc.Pipe;
import io.mproc.cluster.Addresses;
import io.mproc.cluster.Blocking;
import io.mproc.cluster.protocol.Request;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The queues and pipes one context hosts in its JVM. Once a second, while it hosts any queue,
 * it tells the cluster's supervisor their names and depths ({@link Request.Queues}), for the
 * status page and {@code /metrics}; pipes are not listed.
 */
public final class Channels {
    /** Between two reports of the queues' depths. */
    static final long REPORT_PERIOD_MS = 1_000;

    private final Vertx vertx;
    private final String cluster;
    /** Names this JVM's queues in the reports: a few characters, unique enough to tell programs apart. */
    private final String program = "program-" + UUID.randomUUID().toString().substring(0, 8);
    private final long reportTimer;
    /** Whether the last report listed queues (then one more, empty, says there are none). */
    private boolean toldQueues;
    private final AtomicInteger queues = new AtomicInteger();
    private final AtomicInteger pipes = new AtomicInteger();
    private final List<Hosted> hosted = new CopyOnWriteArrayList<>();

    /** A queue hosted here; {@code pipe}: one way of a pipe, not listed in the reports. */
    private record Hosted(QueueHost host, String address, boolean pipe) {
    }

    private record Ends(Connection left, Connection right) implements Pipe {
    }

    /** {@code hazelcast}: this JVM's member, whose cluster's leaves the queues hosted here hear of ({@link QueueHost#watchMembers}). */
    public Channels(Vertx vertx, HazelcastInstance hazelcast, String cluster) {
        this.vertx = vertx;
        this.cluster = cluster;
        QueueHost.watchMembers(hazelcast);
        this.reportTimer = vertx.setPeriodic(REPORT_PERIOD_MS, t -> report());
    }

    /** Tells the supervisor the depths of the queues hosted here, without waiting. */
    private synchronized void report() {
        List<Request.Queues.QueueState> queues = hosted.stream().filter(h -> !h.pipe())
                .map(h -> new Request.Queues.QueueState(h.host().name(), h.host().depth(), h.host().maxsize())).toList();
        if (queues.isEmpty() && !toldQueues) {
            return;
        }
        toldQueues = !queues.isEmpty();
        try {
            vertx.eventBus().send(Addresses.SUPERVISOR, new Request.Queues(program, queues).toJson());
        } catch (RuntimeException e) {
            // this JVM is leaving the cluster: nobody to tell
        }
    }

    public <T> QueueHandle<T> queue(int maxsize, boolean joinable) {
        return host((joinable ? "JoinableQueue-" : "Queue-") + queues.incrementAndGet(), maxsize, joinable, false);
    }

    /** A duplex pipe is two queues, one each way; a one-way pipe is one queue, {@code left} receiving. */
    public Pipe pipe(boolean duplex) {
        String name = "Pipe-" + pipes.incrementAndGet();
        QueueHandle<Object> toLeft = host(name + "-to-left", 0, false, true);
        if (!duplex) {
            return new Ends(new PipeEnd(name + "-left", null, toLeft), new PipeEnd(name + "-right", toLeft, null));
        }
        QueueHandle<Object> toRight = host(name + "-to-right", 0, false, true);
        return new Ends(new PipeEnd(name + "-left", toRight, toLeft), new PipeEnd(name + "-right", toLeft, toRight));
    }

    /** Hosts a queue's state in this JVM, its remote requests on one event loop, and returns a handle on it. */
    private <T> QueueHandle<T> host(String name, int maxsize, boolean joinable, boolean pipe) {
        String address = "mproc.queue." + UUID.randomUUID();
        QueueHost host = Blocking.onContext(vertx.getOrCreateContext(), () -> new QueueHost(vertx, address, name, maxsize));
        Blocking.await(host.consumer().completion(), Duration.ofSeconds(30), "hosting " + name);
        hosted.add(new Hosted(host, address, pipe));
        return new QueueHandle<>(cluster, address, name, maxsize, joinable);
    }

    /** Hosts a named queue at {@code address}, on the caller's event loop; completes once it is served. */
    Future<Void> hostNamed(String name, String address, int maxsize) {
        QueueHost host = new QueueHost(vertx, address, name, maxsize);
        hosted.add(new Hosted(host, address, false));
        return host.consumer().completion();
    }

    /** Stops hosting the queue at {@code address}: its handles fail from now on, in every JVM. */
    void unhost(String address) {
        for (Hosted h : hosted) {
            if (h.address().equals(address)) {
                hosted.remove(h);
                h.host().close(h.address());
            }
        }
    }

    /** Stops hosting: the handles fail from now on, in every JVM. */
    public void close() {
        vertx.cancelTimer(reportTimer);
        hosted.forEach(h -> h.host().close(h.address()));
        hosted.clear();
        report();
    }
}
