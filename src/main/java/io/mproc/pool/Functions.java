package io.mproc.pool;

import io.mproc.codec.Codec;
import io.mproc.codec.ProgramLoader;
import io.mproc.codec.SentClasses;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Serialized tasks, both ways. The driver serializes a task at every call, as Python pickles
 * the function at every {@code map}: a task that captures state ships the state as it is at
 * that call. Only a task without state (a lambda or method reference that captures nothing)
 * is serialized once and its bytes reused. A worker deserializes given bytes once and keeps
 * the last {@value #WORKER_CACHE} it saw.
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

    /**
     * The task's bytes, noting its classes in {@code sent}, its program's; fails with a
     * {@link io.mproc.SerializationException} naming what cannot be serialized.
     */
    static byte[] serialize(Object task, SentClasses sent) {
        if (task == null) {
            throw new NullPointerException("task must not be null");
        }
        boolean stateless = isStateless(task.getClass());
        byte[] bytes = stateless ? SERIALIZED.get(task) : null;
        if (bytes == null) {
            bytes = Codec.serialize(task, "the task " + task.getClass().getName() + " or a value it captures", sent);
            if (stateless) {
                SERIALIZED.put(task, bytes);
            }
        }
        return bytes;
    }

    /**
     * True for a lambda's or method reference's class that captures nothing: its instances
     * have no fields, so their bytes can never change. Anything else may hold mutable state.
     */
    static boolean isStateless(Class<?> type) {
        if (!type.isSynthetic()) {
            return false;
        }
        for (java.lang.reflect.Field field : type.getDeclaredFields()) {
            if (!java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The task these bytes hold, deserialized once per worker and program: with a program's
     * loader its classes come from that program, and it is kept with the loader (two programs
     * may send the same bytes for classes of the same name that differ).
     */
    static Object load(byte[] bytes, ProgramLoader program) {
        ByteBuffer key = ByteBuffer.wrap(bytes);
        Map<Object, Object> cache = program != null ? program.cache() : (Map) LOADED;
        Object task = cache.get(key);
        if (task == null) {
            task = Codec.deserialize(bytes, "a task", program);
            cache.put(key, task);
        }
        return task;
    }
}
