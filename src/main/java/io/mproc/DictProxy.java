package io.mproc;

import java.io.Serializable;
import java.util.Map;

/**
 * Python's {@code manager.dict()}: a {@link Map} kept in the cluster (a Hazelcast map), shared
 * by every process. Each call is one round trip to the member that holds the key; keys and
 * values must be {@link Serializable} (a value that is not fails in the caller, naming its class).
 *
 * <p>{@link #keySet()}, {@link #values()} and {@link #entrySet()} are copies taken when called,
 * as Python's {@code d.keys()} on a proxy is a list: change the dict through its own methods.
 * {@code null} keys and values are refused, as by {@code ConcurrentHashMap}.
 */
public interface DictProxy<K, V> extends Map<K, V>, Serializable {

    /**
     * Python's {@code d[k] = v}: puts without returning the previous value, which saves
     * reading it back (Hazelcast's {@code IMap.set}).
     */
    void set(K key, V value);

    /** The dict's name in the cluster. */
    String name();
}
