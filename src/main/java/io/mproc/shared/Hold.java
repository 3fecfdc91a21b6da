package io.mproc.shared;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This JVM's record of a lock it holds: the owner id and fencing token the host knows it by,
 * how many times the holding thread entered it, and for a value or an array the copy that
 * calls work on while the lock is held.
 */
final class Hold implements Box {
    private static final Map<String, Hold> HELD = new ConcurrentHashMap<>();

    final String owner;
    final long thread;
    final long fence;
    int entries = 1;
    private Object value;
    boolean dirty;

    private Hold(String owner, long fence, Object value) {
        this.owner = owner;
        this.thread = Thread.currentThread().getId();
        this.fence = fence;
        this.value = value instanceof long[] longs ? longs.clone() : value instanceof double[] doubles ? doubles.clone() : value;
    }

    /** Records that the calling thread now holds {@code key}. */
    static Hold take(String key, String owner, CellState.Grant grant) {
        Hold hold = new Hold(owner, grant.fence(), grant.value());
        HELD.put(key, hold);
        return hold;
    }

    /** This JVM's hold of {@code key}, by any thread, or null. */
    static Hold of(String key) {
        return HELD.get(key);
    }

    /** The calling thread's hold of {@code key}, or null. */
    static Hold mine(String key) {
        Hold hold = HELD.get(key);
        return hold != null && hold.thread == Thread.currentThread().getId() ? hold : null;
    }

    static void drop(String key) {
        HELD.remove(key);
    }

    @Override
    public Object value() {
        return value;
    }

    @Override
    public void value(Object newValue) {
        value = newValue;
        dirty = true;
    }
}
