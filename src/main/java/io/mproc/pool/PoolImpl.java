package io.mproc.pool;

import io.mproc.AsyncResult;
import io.mproc.BiTask;
import io.mproc.BrokenPoolException;
import io.mproc.Pool;
import io.mproc.PoolOptions;
import io.mproc.ProcessException;
import io.mproc.Task;
import io.mproc.codec.SentClasses;
import io.mproc.cluster.Addresses;
import io.mproc.cluster.Blocking;
import io.mproc.cluster.Node;
import io.mproc.cluster.Pending;
import io.mproc.cluster.protocol.Event;
import io.mproc.cluster.protocol.Request;
import io.mproc.codec.Wire;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The driver side of a {@link Pool}. Its lifecycle is Python's: RUN, then CLOSE (no new
 * work, outstanding work finishes) or TERMINATE (outstanding work fails), checked at every
 * entry. See {@code package-info.java} for how work flows.
 */
public final class PoolImpl implements Pool {
    private static final System.Logger LOG = System.getLogger(PoolImpl.class.getName());
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final int SUBMIT_GROUP_ITEMS = 16_384;
    private static final int SUBMIT_GROUP_UNITS = 256;

    private enum State { RUN, CLOSE, TERMINATE }

    private final Vertx vertx;
    private final Pending pending;
    private final String id;
    private final PoolOptions options;
    private final Dispatcher dispatcher;
    private final Buffer init;
    /** Where this pool's tasks and arguments note their classes: the context's, which its class server serves from. */
    private final SentClasses sent;
    private final ExecutorService callbacks;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Consumer<PoolImpl> onEnd;
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private final boolean onClusterWorkers;
    private State state = State.RUN;
    private boolean stopping;
    /** Stops telling the dispatcher of members that leave the cluster. */
    private Runnable unwatch = () -> { };
    /** The maps, starmaps and their async twins not done yet, whose progress the pool tells the supervisor. */
    private final java.util.Set<MapJob<?>> maps = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Whether the last progress told had maps in it (then one more, empty, says they are done). */
    private boolean toldMaps;
    /** The task counts last told. */
    private Request.Progress.Tally toldTasks = Request.Progress.Tally.NONE;
    /** The timer that tells the progress, once a second. */
    private long progressTimer = -1;
    /** Between two progress reports to the supervisor. */
    static final long PROGRESS_PERIOD_MS = 1_000;
    /** The cluster that served this pool is gone: nobody is left to ask to stop its workers. */
    private volatile boolean orphaned;

    private PoolImpl(Node node, String id, PoolOptions options, Consumer<PoolImpl> onEnd, boolean onClusterWorkers) {
        this.onClusterWorkers = onClusterWorkers;
        this.vertx = node.vertx();
        this.pending = node.pending();
        this.id = id;
        this.options = options;
        this.onEnd = onEnd;
        long timeout = options.taskTimeout().toMillis();
        this.dispatcher = new Dispatcher(id, options.processes(), options.maxRetries(), timeout);
        this.sent = node.sentClasses();
        this.dispatcher.resolveIn(sent);
        byte[] initializer = options.initializer() == null ? null : Functions.serialize(options.initializer(), sent);
        this.init = Protocol.init(options.maxTasksPerChild(), options.maxTasksPerChild() > 0 ? 1 : 2, timeout, initializer,
                node.memberId());
        this.callbacks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mproc-" + id + "-results");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a pool: listens on its own address, asks the supervisor for its workers, and
     * returns once all of them are connected, so that the first tasks already spread over
     * every worker (a pool that returned at its first worker ran a short map in that one JVM
     * while the others were still starting). Warm spares make this fast; a cold worker JVM
     * costs about a second. On a standing cluster it returns once one of the cluster's
     * workers serves it.
     *
     * @throws BrokenPoolException the workers cannot start (a bad JVM option, a failing initializer); the reason is in the message
     *
     * @param id    unique in the cluster, e.g. {@code pool-1}; names its workers
     * @param onEnd called once the pool's workers are stopped
     */
    public static PoolImpl start(Node node, String id, PoolOptions options, Consumer<PoolImpl> onEnd) {
        return start(node, id, options, onEnd, null);
    }

    /**
     * As {@link #start(Node, String, PoolOptions, Consumer)}; with {@code member} (this JVM's
     * cluster member id) the pool starts no workers of its own but is served by a standing
     * cluster's workers, shared with the other programs' pools.
     */
    public static PoolImpl start(Node node, String id, PoolOptions options, Consumer<PoolImpl> onEnd, String member) {
        Vertx vertx = node.vertx();
        PoolImpl pool = new PoolImpl(node, id, options, onEnd, member != null);
        String address = Addresses.POOL_PREFIX + id;
        Context context = vertx.getOrCreateContext();
        pool.dispatcher.bind(context);
        MessageConsumer<Buffer> work = Blocking.onContext(context, () -> vertx.eventBus().consumer(address, pool::handle));
        MessageConsumer<JsonObject> events = Blocking.onContext(context, () -> vertx.eventBus().consumer(Addresses.EVENTS, pool::event));
        pool.consumers.add(work);
        pool.consumers.add(events);
        pool.unwatch = node.onMembership(() -> { }, pool.dispatcher::memberLeft);
        pool.progressTimer = vertx.setPeriodic(PROGRESS_PERIOD_MS, t -> pool.tellProgress(false));
        Request workers = member != null ? new Request.OpenPool(id, address, member)
                : new Request.StartGroup(id, workerNames(id, options.processes()), new JsonObject().put("kind", "pool").put("address", address), true);
        Blocking.await(Future.all(work.completion(), events.completion())
                .compose(v -> vertx.eventBus().request(Addresses.SUPERVISOR, workers.toJson())), STOP_TIMEOUT, "starting " + id);
        try {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            pool.dispatcher.connected().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (member == null && !pool.dispatcher.awaitWorkers(options.processes(), (deadline - System.nanoTime()) / 1_000_000)) {
                ProcessException why = pool.dispatcher.broken();
                if (why != null) {
                    pool.terminate();
                    throw why;
                }
                throw new TimeoutException();
            }
        } catch (ExecutionException e) {
            pool.terminate();
            throw (RuntimeException) e.getCause();
        } catch (TimeoutException | InterruptedException e) {
            pool.terminate();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new BrokenPoolException(id + ": " + (member != null ? "none of the cluster's workers" : "only " + pool.connectedWorkers()
                    + " of its " + options.processes() + " workers") + " connected within " + START_TIMEOUT.toSeconds() + " s; "
                    + (member != null ? "does the cluster have workers (run.sh status, run.sh scale N)?" : "is the machine overloaded?"));
        }
        return pool;
    }

    private static List<String> workerNames(String id, int processes) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= processes; i++) {
            names.add(id + "-worker-" + i);
        }
        return names;
    }

    private void handle(Message<Buffer> message) {
        try {
            Wire.In in = Protocol.read(message.body());
            byte kind = (byte) in.readByte();
            switch (kind) {
                case Protocol.HELLO -> dispatcher.hello(message, in.readString(), in.readLong(), in.readString(), init);
                case Protocol.PULL -> dispatcher.pull(message, in);
                case Protocol.REFUSE -> {
                    String worker = in.readString();
                    dispatcher.failAll(new BrokenPoolException(id + " cannot run on worker " + worker + ": " + in.readString()));
                }
                default -> message.fail(400, id + " got a message of unknown kind " + kind + "; expected HELLO, PULL or REFUSE");
            }
        } catch (RuntimeException e) {
            // a truncated or foreign message: say so to its sender; the pool's state is untouched
            LOG.log(System.Logger.Level.WARNING, id + " dropped a malformed message: " + e);
            message.fail(400, id + " cannot read this message (" + e + "); is the sender an mproc worker of the same version?");
        }
    }

    /** The supervisor's events: a worker of this pool (or of the cluster's, which serve it) exited, or its group broke. */
    private void event(Message<JsonObject> message) {
        Event event;
        try {
            event = Event.parse(message.body());
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, id + " ignores an event: " + e.getMessage());
            return;
        }
        if (event instanceof Event.WorkerExit exit
                && (id.equals(exit.group()) || onClusterWorkers && Event.CLUSTER_GROUP.equals(exit.group()))) {
            dispatcher.workerExited(exit.worker(), exit.code());
        } else if (event instanceof Event.GroupBroken broken && id.equals(broken.group())) {
            dispatcher.failAll(new BrokenPoolException(id + " cannot keep its workers running: " + broken.reason()));
        }
    }

    public String id() {
        return id;
    }

    /** How many worker JVMs have said hello and not exited. */
    public int connectedWorkers() {
        return dispatcher.workers();
    }

    @Override
    public boolean awaitWorkers(Duration timeout) {
        Blocking.checkNotOnEventLoop("Pool.awaitWorkers");
        try {
            return dispatcher.awaitWorkers(options.processes(), timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public int processes() {
        return options.processes();
    }

    // ---- map family (the blocking and short forms are defaults of Pool) -----------------

    @Override
    public <T, R> AsyncResult<List<R>> mapAsync(Task<? super T, ? extends R> task, Iterable<? extends T> items) {
        return submitAll("map", Unit.SINGLE, task, items, 0);
    }

    @Override
    public <T, R> AsyncResult<List<R>> mapAsync(Task<? super T, ? extends R> task, Iterable<? extends T> items, int chunksize) {
        return submitAll("map", Unit.SINGLE, task, items, checkChunksize(chunksize));
    }

    @Override
    public <A, B, R> AsyncResult<List<R>> starmapAsync(BiTask<? super A, ? super B, ? extends R> task,
                                                       Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        return submitAll("starmap", Unit.STAR, task, pairs, 0);
    }

    @Override
    public <A, B, R> AsyncResult<List<R>> starmapAsync(BiTask<? super A, ? super B, ? extends R> task,
                                                       Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize) {
        return submitAll("starmap", Unit.STAR, task, pairs, checkChunksize(chunksize));
    }

    @Override
    public <T, R> Iterator<R> imap(Task<? super T, ? extends R> task, Iterable<? extends T> items, int chunksize) {
        return stream("imap", task, items, checkChunksize(chunksize), true);
    }

    @Override
    public <T, R> Iterator<R> imapUnordered(Task<? super T, ? extends R> task, Iterable<? extends T> items, int chunksize) {
        return stream("imapUnordered", task, items, checkChunksize(chunksize), false);
    }

    @Override
    public <T, R> AsyncResult<R> applyAsync(Task<? super T, ? extends R> task, T argument,
                                            Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        checkRunning();
        byte[] function = Functions.serialize(task, sent);
        AsyncResultImpl<R> result = new AsyncResultImpl<>(callbacks, 1);
        if (callback != null) {
            result.onSuccess(callback);
        }
        if (errorCallback != null) {
            result.onFailure(errorCallback);
        }
        MapJob<R> job = new MapJob<>("apply on " + id, 1, result, true);
        pending.drain();
        Unit unit = unit(job, 0, 0, Collections.singletonList(argument), Unit.SINGLE, function);
        result.cancelWith(() -> cancel(List.of(unit)));
        dispatcher.submit(List.of(unit));
        return result;
    }

    private <R> AsyncResultImpl<List<R>> submitAll(String what, byte kind, Object task, Iterable<?> items, int chunksize) {
        pending.drain();
        checkRunning();
        byte[] function = Functions.serialize(task, sent);
        List<?> list = items instanceof List<?> l ? l : items instanceof Collection<?> c ? new ArrayList<>(c) : toList(items);
        AsyncResultImpl<List<R>> result = new AsyncResultImpl<>(callbacks, list.size());
        if (list.isEmpty()) {
            result.complete(new ArrayList<>());
            return result;
        }
        int size = chunksize > 0 ? chunksize : (int) Math.max(1, (list.size() + 4L * processes() - 1) / (4L * processes()));
        int chunks = (list.size() + size - 1) / size;
        MapJob<List<R>> job = new MapJob<>(what + " on " + id, chunks, result, false);
        maps.add(job);
        List<Unit> all = new ArrayList<>(chunks);
        result.cancelWith(() -> cancel(all));
        // Units go out in groups as they are encoded, so that workers start while the rest is encoded.
        List<Unit> group = new ArrayList<>();
        int grouped = 0;
        for (int i = 0; i < chunks; i++) {
            int first = i * size;
            Unit unit = unit(job, i, first, list.subList(first, Math.min(list.size(), first + size)), kind, function);
            group.add(unit);
            all.add(unit);
            grouped += unit.items;
            if (grouped >= SUBMIT_GROUP_ITEMS || group.size() >= SUBMIT_GROUP_UNITS || i == chunks - 1) {
                dispatcher.submit(group);
                group = new ArrayList<>();
                grouped = 0;
            }
        }
        return result;
    }

    private <T, R> Iterator<R> stream(String what, Task<? super T, ? extends R> task, Iterable<? extends T> items,
                                      int chunksize, boolean ordered) {
        checkRunning();
        byte[] function = Functions.serialize(task, sent);
        int window = Math.max(8, 4 * processes());
        return new ImapIterator<T, R>(what + " on " + id, items.iterator(), chunksize, window, ordered,
                (sink, index, first, chunk) -> dispatcher.submit(List.of(unit(sink, index, first, chunk, Unit.SINGLE, function))));
    }

    /**
     * Cancels those of {@code units} not done (they fail with CancellationException), and tells
     * each worker that holds some of them: it stops the one it runs (and leaves), skips the others.
     */
    private boolean cancel(List<Unit> units) {
        Map<String, List<Integer>> onWorkers = dispatcher.cancel(units);
        if (onWorkers == null) {
            return false;
        }
        onWorkers.forEach((worker, ids) -> vertx.eventBus().request(Addresses.worker(worker),
                new JsonObject().put("op", "cancel").put("pool", Addresses.POOL_PREFIX + id).put("units", new JsonArray(ids)), QUICK)
                .onFailure(e -> LOG.log(System.Logger.Level.INFO, id + ": cannot tell worker " + worker + " of a cancel (it may have"
                        + " left; its units are dropped anyway): " + e.getMessage())));
        return true;
    }

    private Unit unit(UnitSink sink, int index, int first, List<?> items, byte kind, byte[] function) {
        return new Unit(dispatcher.newUnitId(), index, first, items, kind, function, sink, sent);
    }

    private static List<Object> toList(Iterable<?> items) {
        List<Object> list = new ArrayList<>();
        items.forEach(list::add);
        return list;
    }

    private static int checkChunksize(int chunksize) {
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be >= 1: " + chunksize);
        }
        return chunksize;
    }

    private synchronized void checkRunning() {
        if (state != State.RUN) {
            throw new IllegalStateException(id + " is " + (state == State.CLOSE ? "closed" : "terminated") + "; start a new pool");
        }
    }

    // ---- lifecycle ---------------------------------------------------------------------

    /**
     * Tells the supervisor how this pool's maps stand and what became of its tasks
     * ({@link Request.Progress}), for the status page and {@code /metrics}: while any map runs or
     * a count changed, once more, with no maps, when they are done, and once as the pool ends.
     * Sent without waiting.
     */
    private synchronized void tellProgress(boolean last) {
        maps.removeIf(MapJob::done);
        Request.Progress.Tally tasks = dispatcher.counts().tally();
        if (maps.isEmpty() && !toldMaps && tasks.equals(toldTasks) && !last) {
            return;
        }
        List<Request.Progress.MapState> states = maps.stream().map(MapJob::state).toList();
        toldMaps = !states.isEmpty();
        toldTasks = tasks;
        try {
            vertx.eventBus().send(Addresses.SUPERVISOR, new Request.Progress(id, states, tasks).toJson());
        } catch (RuntimeException e) {
            // this JVM is leaving the cluster: nobody to tell
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (state == State.TERMINATE) {
                return;
            }
            state = State.CLOSE;
        }
        Blocking.checkNotOnEventLoop("Pool.close()");
        dispatcher.drained().join();
        dispatcher.stop();
        stopWorkers(false);
    }

    @Override
    public void terminate() {
        synchronized (this) {
            if (state == State.TERMINATE) {
                return;
            }
            state = State.TERMINATE;
        }
        dispatcher.failAll(new BrokenPoolException(id + " was terminated; its outstanding work was dropped"));
        dispatcher.stop();
        stopWorkers(true);
    }

    @Override
    public void join() {
        synchronized (this) {
            if (state == State.RUN) {
                throw new IllegalStateException(id + " is still running; call close() or terminate() before join()");
            }
        }
        Blocking.checkNotOnEventLoop("Pool.join()");
        ended.join();
    }

    /** The standing cluster that serves this pool is gone: its outstanding work fails with {@code why}. */
    public void clusterGone(ProcessException why) {
        orphaned = true;
        dispatcher.failAll(why);
    }

    private void stopWorkers(boolean force) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        try {
            if (orphaned) {
                return;
            }
            // a cluster's workers serve other programs too: they are not stopped, they stop serving this pool
            Request request = onClusterWorkers ? new Request.ClosePool(id)
                    : new Request.StopGroup(id, force ? Request.StopGroup.Signal.TERM : Request.StopGroup.Signal.LEAVE);
            Blocking.await(vertx.eventBus().request(Addresses.SUPERVISOR, request.toJson()), STOP_TIMEOUT, "stopping the workers of " + id);
        } finally {
            unwatch.run();
            vertx.cancelTimer(progressTimer);
            if (!orphaned) {
                tellProgress(true);
            }
            consumers.forEach(MessageConsumer::unregister);
            callbacks.shutdown();
            ended.complete(null);
            onEnd.accept(this);
        }
    }
}
