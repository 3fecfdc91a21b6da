package io.mproc.pool;

import io.mproc.codec.Codec;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Serialized tasks, both ways. The driver serializes a task object once (a non-capturing
 * lambda is one object for all calls); a worker deserializes given bytes once and keeps the
 * last {@value #WORKER_CACHE} it saw.
 */
final class Functions {
    private static final int WORKER_CACHE = 256;
    private static final Map<Object, byte[]> SERIALIZED = Collections.synchronizedMap(new WeakHashMap<>());
    private static final Map<ByteBuffer, Object> LOADED = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Object> eldest) {
            return size() > WORKER_CACHE;
        }
    });

    private Functions() {
    }

    /** The task's bytes; fails with a {@link io.mproc.SerializationException} naming what cannot be serialized. */
    static byte[] serialize(Object task) {
        if (task == null) {
            throw new NullPointerException("task must not be null");
        }
        byte[] bytes = SERIALIZED.get(task);
        if (bytes == null) {
            bytes = Codec.serialize(task, "the task " + task.getClass().getName() + " or a value it captures");
            SERIALIZED.put(task, bytes);
        }
        return bytes;
    }

    /** The task these bytes hold, deserialized once per worker. */
    static Object load(byte[] bytes) {
        ByteBuffer key = ByteBuffer.wrap(bytes);
        Object task = LOADED.get(key);
        if (task == null) {
            task = Codec.deserialize(bytes, "a task");
            LOADED.put(key, task);
        }
        return task;
    }
}
