package io.mproc;

import io.mproc.runtime.LocalContext;

import java.util.List;
import io.mproc.cluster.NodeIdentity;

/**
 * The context: where processes run. Python's {@code import multiprocessing as mp}.
 *
 * <pre>{@code
 * try (Multiprocessing mp = Multiprocessing.local();
 *      Pool pool = mp.pool(4)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));
 * }
 * }</pre>
 *
 * <p>{@link #local()} starts an embedded cluster on this machine: this JVM joins a new
 * Hazelcast cluster of its own (loopback, a unique name) and hosts the supervisor,
 * which starts worker JVMs with this JVM's class path when pools need them. Every
 * worker JVM ends when {@link #close()} returns, and also when this JVM dies, even by
 * {@code kill -9}: a worker reads its standard input, which this JVM holds open, and
 * exits at end of file.
 */
public interface Multiprocessing extends AutoCloseable {

    /** An embedded cluster with options from the configuration. */
    static Multiprocessing local() {
        return local(ClusterOptions.defaults());
    }

    /** An embedded cluster with these options. */
    static Multiprocessing local(ClusterOptions options) {
        return LocalContext.start(options);
    }

    /**
     * Ray's {@code ray.init(address=...)}: joins the standing cluster started by
     * {@code ./run.sh cluster} at {@code address}, {@code [name@]host:port} (name default
     * {@code mproc}). Pools and processes then run on the cluster's workers, with the
     * cluster's class path: the classes of your tasks must be on it. This program holds none
     * of the cluster's data; {@link #close()} ends its pools and processes and leaves.
     */
    static Multiprocessing connect(String address) {
        return LocalContext.connect(address, ClusterOptions.defaults());
    }

    /** Python's {@code cpu_count()}: the cores of this machine. */
    static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * The cores of all hosts with workers: on a standing cluster, the cluster's host and every
     * host that added workers to it ({@code run.sh worker}); on an embedded one, this machine's.
     */
    int clusterCpuCount();

    /**
     * The URL of the status page this embedded cluster serves, with its token in it
     * ({@code http://HOST:PORT/?token=...}), when {@link ClusterOptions#statusPage(int)} asked
     * for one; empty otherwise, and on a standing cluster (which prints its own).
     */
    java.util.Optional<String> statusPage();

    /**
     * Deploys a verticle, by class name, on every worker of the standing cluster this program
     * is connected to, and on every worker that joins later (as {@code run.sh cluster --verticle}
     * does); what it listens on is then reachable with {@code run.sh send}. A class the workers'
     * class path lacks is fetched from this program, as a task's is; such a verticle runs while
     * this program is connected, and is undeployed everywhere when it leaves. One on the
     * workers' class path ({@code MPROC_CLASSPATH} of {@code run.sh cluster}) stays for good.
     *
     * @return the workers it now runs on
     * @throws UnsupportedOperationException on an embedded cluster, which has no standing workers
     * @throws ProcessException a worker could not deploy it (e.g. neither it nor this program has the class); the message says why
     */
    List<String> deployOnWorkers(String verticleClass);

    /**
     * Removes from the cluster every named object called {@code name}: a value, array, lock,
     * semaphore, event, condition or barrier, a Manager dict, list or namespace, and a named
     * queue (its items are dropped). Named objects otherwise stay in the cluster for good, for
     * the programs that come later; unnamed ones go when the context that made them closes or
     * its program dies. Afterwards a handle to a removed shared state fails saying it is gone,
     * one to a collection sees a new, empty collection, and one to a queue fails; the name
     * may be used again, for any kind.
     *
     * @return whether anything of that name existed
     */
    boolean delete(String name);

    /** Python's {@code current_process()}: name and PID of the JVM running the caller; inside a task, the worker's. */
    static ProcessInfo currentProcess() {
        return NodeIdentity.current();
    }

    /** Python's {@code Pool()}: one worker JVM per core. */
    default Pool pool() {
        return pool(PoolOptions.defaults());
    }

    /** Python's {@code Pool(processes)}. */
    default Pool pool(int processes) {
        return pool(PoolOptions.processes(processes));
    }

    /** Python's {@code Pool(processes, initializer=..., maxtasksperchild=...)}. */
    Pool pool(PoolOptions options);

    /** Python's {@code Process(target=job)}: a process, not yet started. */
    default RemoteProcess process(Job job) {
        return process(job, ProcessOptions.defaults());
    }

    /** Python's {@code Process(target=job, name=..., daemon=...)}: a process, not yet started. */
    RemoteProcess process(Job job, ProcessOptions options);

    /** Python's {@code Queue()}: an unbounded queue, kept in this JVM. */
    default <T> Queue<T> queue() {
        return queue(0);
    }

    /** Python's {@code Queue(maxsize)}: a queue of at most {@code maxsize} items; 0 or less is unbounded. */
    <T> Queue<T> queue(int maxsize);

    /**
     * A named, unbounded queue of the cluster: every program connected to the same cluster that
     * asks for {@code name} gets the same queue. It lives in the cluster's own JVM (the one
     * {@code run.sh cluster} runs, or the program that made an embedded cluster), so programs may
     * come and go.
     */
    default <T> Queue<T> queue(String name) {
        return queue(name, 0);
    }

    /** A named queue of at most {@code maxsize} items; a name already taken with another size or kind is refused. */
    <T> Queue<T> queue(String name, int maxsize);

    /** A named {@link JoinableQueue}, as {@link #queue(String, int)}. */
    <T> JoinableQueue<T> joinableQueue(String name, int maxsize);

    /** Python's {@code JoinableQueue()}. */
    default <T> JoinableQueue<T> joinableQueue() {
        return joinableQueue(0);
    }

    /** Python's {@code JoinableQueue(maxsize)}. */
    <T> JoinableQueue<T> joinableQueue(int maxsize);

    /** Python's {@code Pipe()}: a duplex pipe, its messages kept in this JVM until received. */
    default Pipe pipe() {
        return pipe(true);
    }

    /** Python's {@code Pipe(duplex)}: with false, {@code left()} only receives and {@code right()} only sends. */
    Pipe pipe(boolean duplex);

    /** Python's {@code Value(typecode, x)}: a value shared by every process, with its own lock. */
    <T> Value<T> value(T initial);

    /** The value named {@code name} in the cluster, made with {@code initial} if it does not exist yet. */
    <T> Value<T> value(String name, T initial);

    /** Python's {@code Array('q', [...])}: a shared array of longs (a copy of {@code initial}). */
    LongArray array(long[] initial);

    /** Python's {@code Array('d', [...])}: a shared array of doubles (a copy of {@code initial}). */
    DoubleArray array(double[] initial);

    /** Python's {@code Manager()}: dicts, lists and namespaces kept in the cluster. */
    Manager manager();

    /** Python's {@code Lock()}. */
    default Lock lock() {
        return lock(null);
    }

    /** The lock named {@code name} in the cluster (null: a new unnamed one). */
    Lock lock(String name);

    /** Python's {@code RLock()}: reentrant, owned by one thread of one process. */
    default Lock rlock() {
        return rlock(null);
    }

    /** The reentrant lock named {@code name} in the cluster (null: a new unnamed one). */
    Lock rlock(String name);

    /** Python's {@code Semaphore(value)}. */
    default Semaphore semaphore(int permits) {
        return semaphore(null, permits);
    }

    /** The semaphore named {@code name}, made with {@code permits} if it does not exist yet. */
    Semaphore semaphore(String name, int permits);

    /** Python's {@code BoundedSemaphore(value)}: a release above {@code permits} is refused. */
    default Semaphore boundedSemaphore(int permits) {
        return boundedSemaphore(null, permits);
    }

    /** The bounded semaphore named {@code name}, made with {@code permits} if it does not exist yet. */
    Semaphore boundedSemaphore(String name, int permits);

    /** Python's {@code Event()}. */
    default Event event() {
        return event(null);
    }

    /** The event named {@code name} in the cluster. */
    Event event(String name);

    /** Python's {@code Condition()}: under a new reentrant lock. */
    default Condition condition() {
        return condition(null);
    }

    /** Python's {@code Condition(lock)}: under {@code lock} (a lock of this cluster; null: a new reentrant one). */
    Condition condition(Lock lock);

    /** Python's {@code Barrier(parties)}. */
    default Barrier barrier(int parties) {
        return barrier(null, parties);
    }

    /** The barrier named {@code name}, made for {@code parties} if it does not exist yet. */
    Barrier barrier(String name, int parties);

    /** Python's {@code active_children()}: the processes this context started that have not exited. */
    java.util.List<RemoteProcess> activeChildren();

    /**
     * Waits for the non-daemon processes still running (as Python does at exit), ends the
     * daemon ones,
     * terminates the pools still open, stops every worker JVM of this context and leaves
     * the cluster. Idempotent.
     */
    @Override
    void close();
}
