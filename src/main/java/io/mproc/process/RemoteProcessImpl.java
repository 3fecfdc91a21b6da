package io.mproc.process;

import io.mproc.Job;
import io.mproc.ProcessException;
import io.mproc.RemoteProcess;
import io.mproc.cluster.Addresses;
import io.mproc.cluster.Blocking;
import io.mproc.cluster.Pending;
import io.mproc.cluster.protocol.Request;
import io.mproc.codec.Codec;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A {@link RemoteProcess}: its state is Python's (new, started, exited, closed), checked at every entry. */
final class RemoteProcessImpl implements RemoteProcess {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final Pending pending;
    private final ProcessTable table;
    private final String id;
    private final String name;
    private final boolean daemon;
    private final Job body;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile byte[] job;
    private volatile Long pid;
    private volatile boolean closed;

    RemoteProcessImpl(Vertx vertx, Pending pending, ProcessTable table, String id, String name, boolean daemon, Job body) {
        this.vertx = vertx;
        this.pending = pending;
        this.table = table;
        this.id = id;
        this.name = name;
        this.daemon = daemon;
        this.body = body;
    }

    String id() {
        return id;
    }

    byte[] job() {
        return job;
    }

    /** It ended: its job's bytes are dropped (it fetched them long ago) and the table forgets it. */
    void exited(int code) {
        if (!exit.isDone()) {
            job = new byte[0];
            table.forget(this);
        }
        exit.complete(code); // last: who waits for it sees the rest done
    }

    @Override
    public synchronized void start() {
        pending.drain();
        if (closed) {
            throw new IllegalStateException("process " + name + " is closed");
        }
        if (job != null) {
            throw new IllegalStateException("process " + name + " was started already; a process can be started once");
        }
        byte[] bytes = Codec.serialize(body, "the job of process " + name + " or a value it captures", table.sent());
        Request request = new Request.StartGroup(id, List.of(name),
                new JsonObject().put("kind", "process").put("address", table.address()).put("process", id)
                        .put("program", table.program()), false);
        job = bytes; // the worker asks for it once it is up
        JsonArray workers;
        try {
            JsonObject reply = Blocking.await(vertx.eventBus().<JsonObject>request(Addresses.SUPERVISOR, request.toJson())
                    .map(m -> m.body()), REQUEST_TIMEOUT, "starting process " + name);
            workers = reply.getJsonArray("workers", new JsonArray());
        } catch (RuntimeException e) {
            job = null; // not started: not alive, and start() may be called again
            throw new ProcessException("process " + name + " could not be started: " + e.getMessage(), e);
        }
        if (workers.isEmpty()) {
            job = null;
            throw new ProcessException("process " + name + " could not be started: no worker JVM could be launched (see the log)");
        }
        pid = workers.getJsonObject(0).getLong("pid");
    }

    @Override
    public void join() {
        checkStarted("join");
        Blocking.checkNotOnEventLoop("RemoteProcess.join()");
        exit.join();
    }

    @Override
    public boolean join(Duration timeout) {
        checkStarted("join");
        Blocking.checkNotOnEventLoop("RemoteProcess.join(Duration)");
        try {
            exit.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // isAlive() tells
        }
        return exit.isDone();
    }

    private void checkStarted(String what) {
        if (job == null) {
            throw new IllegalStateException("can only " + what + " a started process; call start() on " + name + " first");
        }
    }

    @Override
    public boolean isAlive() {
        return job != null && !exit.isDone();
    }

    @Override
    public Integer exitCode() {
        return exit.getNow(null);
    }

    @Override
    public Long pid() {
        return pid;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean daemon() {
        return daemon;
    }

    @Override
    public void terminate() {
        signal(Request.StopGroup.Signal.TERM);
    }

    @Override
    public void kill() {
        signal(Request.StopGroup.Signal.KILL);
    }

    private void signal(Request.StopGroup.Signal signal) {
        checkStarted(signal == Request.StopGroup.Signal.KILL ? "kill" : "terminate");
        if (!exit.isDone()) {
            vertx.eventBus().request(Addresses.SUPERVISOR, new Request.StopGroup(id, signal).toJson());
        }
    }

    @Override
    public synchronized void close() {
        if (isAlive()) {
            throw new IllegalStateException("process " + name + " is still running; join() or terminate() it before close()");
        }
        closed = true;
        table.forget(this);
    }

    @Override
    public String toString() {
        return "RemoteProcess[" + name + ", " + (job == null ? "initial" : exit.isDone() ? "exitcode=" + exit.getNow(null) : "started")
                + (pid == null ? "" : ", pid=" + pid) + (daemon ? ", daemon" : "") + "]";
    }
}
