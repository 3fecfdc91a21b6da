package io.mproc;

/**
 * Python's {@code multiprocessing.Manager()}: shared collections, kept in the cluster's
 * Hazelcast maps rather than in a manager server process ({@link Multiprocessing#manager()}).
 *
 * <p>A collection handle is {@link java.io.Serializable}: pass it to a task or a process, or
 * store it in another collection. A dict holding a dict handle holds a live reference, so
 * {@code outer.get("inner").put(k, v)} and {@code inner.put(k, v)} change the same dict, as
 * with Python's nested proxies. A plain {@code java.util.HashMap} stored in a dict is a copy,
 * as a plain Python {@code dict} stored in a proxy is.
 *
 * <p>Named collections ({@code dict("scores")}) are found by that name by every program of
 * the cluster; unnamed ones are new every time.
 *
 * <p><b>Lifetime.</b> Unnamed objects (collections here, and values, arrays, locks,
 * semaphores, events, conditions and barriers of {@link Multiprocessing}) belong to the
 * context that made them: they are removed from the cluster when it closes, or when its
 * program dies (its member leaves a standing cluster), as a Python manager's objects go with
 * the manager. Named objects belong to the cluster and stay until {@link Multiprocessing#delete(String)}.
 */
public interface Manager {

    /** Python's {@code manager.dict()}. */
    <K, V> DictProxy<K, V> dict();

    /** The dict named {@code name}, made empty if it does not exist yet. */
    <K, V> DictProxy<K, V> dict(String name);

    /** Python's {@code manager.list()}. */
    <E> ListProxy<E> list();

    /** The list named {@code name}, made empty if it does not exist yet. */
    <E> ListProxy<E> list(String name);

    /** Python's {@code manager.Namespace()}. */
    Namespace namespace();

    /** The namespace named {@code name}. */
    Namespace namespace(String name);

}
