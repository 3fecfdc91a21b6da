package io.mproc.process;

import io.mproc.Job;
import io.mproc.ProcessOptions;
import io.mproc.RemoteProcess;
import io.mproc.codec.SentClasses;
import io.mproc.cluster.Addresses;
import io.mproc.cluster.Blocking;
import io.mproc.cluster.Node;
import io.mproc.cluster.Pending;
import io.mproc.cluster.protocol.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The processes one context made: it answers their JVMs' requests for their jobs on one
 * address, and routes the supervisor's exit events to them.
 */
public final class ProcessTable {
    private final Vertx vertx;
    private final Pending pending;
    private final String address = "mproc.processes." + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, RemoteProcessImpl> processes = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final List<MessageConsumer<?>> consumers;
    private final String scope;
    /** Where jobs note their classes, and the member whose class server serves them to the process JVMs. */
    private final SentClasses sent;
    private final String program;

    /** @param scope prefix of this table's process ids, unique among the programs sharing a cluster ("" when alone) */
    public ProcessTable(Node node, String scope) {
        this(node.vertx(), node.pending(), scope, node.sentClasses(), node.memberId());
    }

    ProcessTable(Vertx vertx, Pending pending, String scope) {
        this(vertx, pending, scope, SentClasses.ALL, null);
    }

    private ProcessTable(Vertx vertx, Pending pending, String scope, SentClasses sent, String program) {
        this.sent = sent;
        this.program = program;
        this.vertx = vertx;
        this.pending = pending;
        this.scope = scope;
        MessageConsumer<JsonObject> jobs = vertx.eventBus().consumer(address, this::job);
        MessageConsumer<JsonObject> events = vertx.eventBus().consumer(Addresses.EVENTS, this::event);
        consumers = List.of(jobs, events);
        Blocking.await(Future.all(jobs.completion(), events.completion()), Duration.ofSeconds(30), "listening for processes");
    }

    public RemoteProcess create(Job job, ProcessOptions options) {
        if (job == null) {
            throw new NullPointerException("job must not be null");
        }
        int n = count.incrementAndGet();
        String name = options.name() != null ? options.name() : "Process-" + n;
        RemoteProcessImpl process = new RemoteProcessImpl(vertx, pending, this, scope + "process-" + n, name, options.isDaemon(), job);
        processes.put(process.id(), process);
        return process;
    }

    String address() {
        return address;
    }

    SentClasses sent() {
        return sent;
    }

    /** The member id of this table's program, whose class server the process JVMs fetch classes from; null for none. */
    String program() {
        return program;
    }

    /** Started and not exited, in the order they were made. */
    public List<RemoteProcess> active() {
        return processes.values().stream().filter(RemoteProcessImpl::isAlive)
                .sorted(java.util.Comparator.comparing(RemoteProcessImpl::id)).map(p -> (RemoteProcess) p).toList();
    }

    /** At the context's close: waits for the non-daemon processes, then ends the daemon ones. */
    public void shutdown() {
        for (RemoteProcessImpl p : processes.values()) {
            if (p.isAlive() && !p.daemon()) {
                p.join();
            }
        }
        for (RemoteProcessImpl p : processes.values()) {
            if (p.isAlive()) {
                p.terminate();
                p.join(Duration.ofSeconds(10));
            }
        }
        consumers.forEach(MessageConsumer::unregister);
    }

    /** The standing cluster whose workers ran these processes is gone, and they with it: each counts as ended by SIGTERM. */
    public void clusterGone() {
        for (RemoteProcessImpl p : processes.values()) {
            if (p.isAlive()) {
                p.exited(-15);
            }
        }
    }

    void forget(RemoteProcessImpl process) {
        processes.remove(process.id());
    }

    /** How many processes the table still routes to (made, and not exited or closed). */
    int size() {
        return processes.size();
    }

    private void job(Message<JsonObject> message) {
        RemoteProcessImpl process = processes.get(message.body().getString("process", ""));
        if (process == null) {
            message.fail(404, "no process " + message.body().getString("process") + " here");
            return;
        }
        message.reply(Buffer.buffer(process.job()));
    }

    /** The supervisor's events: a process's worker exited (with its code), or could not be started (-1). */
    private void event(Message<JsonObject> message) {
        Event event;
        try {
            event = Event.parse(message.body());
        } catch (IllegalArgumentException e) {
            return; // not one about a process
        }
        String group = event instanceof Event.WorkerExit exit ? exit.group() : event instanceof Event.GroupBroken broken ? broken.group() : null;
        RemoteProcessImpl process = group == null ? null : processes.get(group);
        if (process != null) {
            process.exited(event instanceof Event.WorkerExit exit ? exit.code() : -1);
        }
    }
}
