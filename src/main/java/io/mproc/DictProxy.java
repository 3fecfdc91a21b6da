package io.mproc;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;

/**
 * Python's {@code manager.dict()}: a {@link Map} kept in the cluster (a Hazelcast map), shared
 * by every process. Each call is one round trip to the member that holds the key; keys and
 * values must be {@link Serializable} (a value that is not fails in the caller, naming its class).
 *
 * <p>It is a {@link ConcurrentMap}: {@code putIfAbsent}, {@code replace(k, old, new)} and
 * {@code remove(k, v)} are atomic on the cluster, and {@code merge}, {@code compute},
 * {@code computeIfAbsent}, {@code computeIfPresent} and {@code replaceAll} are built on them
 * as {@code ConcurrentMap} builds them: the function runs in the calling process, and the
 * update is applied only if the entry has not changed meanwhile, else read and run again.
 * So two processes that each {@code merge(k, 1, Integer::sum)} a thousand times leave 2,000;
 * the function may run more than once under contention (keep it free of side effects).
 * Values are compared by their serialized form.
 *
 * <p>{@link #keySet()}, {@link #values()} and {@link #entrySet()} are copies taken when called,
 * as Python's {@code d.keys()} on a proxy is a list: change the dict through its own methods.
 * {@code null} keys and values are refused, as by {@code ConcurrentHashMap}.
 */
public interface DictProxy<K, V> extends ConcurrentMap<K, V>, Serializable {

    /**
     * Python's {@code d[k] = v}: puts without returning the previous value and without
     * waiting for the write to be stored, so that a process can send many (at most 512 at a
     * time). The write is ordered before anything this process does next that another process
     * can see: every other call on a dict, list, namespace, value, lock or queue, a task's
     * result, a process start and a process exit first wait until it is stored. A process that
     * only watches the dict without any of those may see a later write of this process before
     * an earlier one to another key. A write that fails is reported by that next call.
     */
    void set(K key, V value);

    /** The dict's name in the cluster. */
    String name();
}
