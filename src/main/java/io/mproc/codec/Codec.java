package io.mproc.codec;

import io.mproc.SerializationException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encodes values for the wire. A list whose elements are all {@code Integer}, all
 * {@code Long}, all {@code Double}, all {@code String}, all {@code byte[]} or all {@link Map.Entry} is written
 * compactly (a tag and the raw values); any other list is one JDK-serialized stream.
 * Decoding always goes through {@link SerialFilter}.
 *
 * <p>Classes: what a context serializes notes its classes' loaders ({@link SentClasses}); what
 * is deserialized finds its classes in the loader given (a worker's {@link ProgramLoader} for
 * the program that sent the value, a context's {@link SentClasses} for what comes back to
 * it), else, inside a program's task, in the program's loader behind the thread's context class
 * loader ({@link ProgramLoader#behind}), else as the JDK does, then (outside workers' program
 * loaders) in {@link SentClasses#ALL}.
 */
public final class Codec {
    private static final byte INTS = 1;
    private static final byte LONGS = 2;
    private static final byte DOUBLES = 3;
    private static final byte STRINGS = 4;
    private static final byte PAIRS = 5;
    private static final byte JAVA = 6;
    private static final byte BYTES = 7;

    private Codec() {
    }

    /** JDK serialization of one object; {@code what} names it in the error, e.g. "the task". */
    public static byte[] serialize(Object value, String what) {
        return serialize(value, what, SentClasses.ALL);
    }

    /** As {@link #serialize(Object, String)}, noting the loaders of the classes written in {@code sent}. */
    public static byte[] serialize(Object value, String what, SentClasses sent) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new Output(bytes, sent)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new SerializationException("cannot serialize " + what + ": class " + e.getMessage()
                    + " is not Serializable; make it implement java.io.Serializable, or do not capture or pass it", e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot serialize " + what + " (" + describe(value) + "): " + e, e);
        }
        return bytes.toByteArray();
    }

    /** Reads what {@link #serialize} wrote, through {@link SerialFilter}. */
    public static Object deserialize(byte[] data, String what) {
        return deserialize(data, what, null);
    }

    /** As {@link #deserialize(byte[], String)}, finding classes in {@code loader} first (null: see the class comment). */
    public static Object deserialize(byte[] data, String what, ClassLoader loader) {
        try (ObjectInputStream in = new Input(new ByteArrayInputStream(data), loader)) {
            in.setObjectInputFilter(SerialFilter.get());
            return in.readObject();
        } catch (InvalidClassException e) {
            String refused = SerialFilter.takeRefusal();
            if (refused != null) {
                throw new SerializationException("cannot deserialize " + what + ": " + refused
                        + " is refused by the deserialization filter; see " + SerialFilter.PROPERTY + " to extend it", e);
            }
            throw new SerializationException("cannot deserialize " + what + ": " + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            String message = e.getMessage() != null && e.getMessage().contains(" ") ? e.getMessage()
                    : e.getMessage() + " is not on this JVM's class path";
            throw new SerializationException("cannot deserialize " + what + ": class " + message, e);
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new SerializationException("cannot deserialize " + what + ": " + withCauses(e), e);
        } finally {
            SerialFilter.takeRefusal();
        }
    }

    /** {@code e} and its causes, e.g. a class that failed to link and the fetch that failed under it. */
    static String withCauses(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("; caused by ").append(cause);
            if (text.length() > 2_000) {
                break;
            }
        }
        return text.toString();
    }

    /** Notes the loader of every class it writes. */
    private static final class Output extends ObjectOutputStream {
        private final SentClasses sent;

        Output(OutputStream out, SentClasses sent) throws IOException {
            super(out);
            this.sent = sent;
        }

        @Override
        protected void annotateClass(Class<?> type) {
            sent.note(type);
        }

        @Override
        protected void annotateProxyClass(Class<?> type) {
            sent.note(type);
        }
    }

    /** Finds classes as the class comment says. */
    private static final class Input extends ObjectInputStream {
        private final ClassLoader loader;

        Input(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        private ClassLoader first() {
            return loader != null ? loader : ProgramLoader.behind(Thread.currentThread().getContextClassLoader());
        }

        /**
         * A dynamic proxy of a program's interfaces, in a worker: its class is made in the program's
         * loader, which sees them and the worker's own. Elsewhere, or when that cannot be (a
         * non-public interface of another loader), as the JDK does.
         */
        @Override
        @SuppressWarnings("deprecation") // Proxy.getProxyClass: what ObjectInputStream itself uses
        protected Class<?> resolveProxyClass(String[] interfaces) throws IOException, ClassNotFoundException {
            if (!(first() instanceof ProgramLoader program)) {
                return super.resolveProxyClass(interfaces);
            }
            Class<?>[] types = new Class<?>[interfaces.length];
            for (int i = 0; i < interfaces.length; i++) {
                types[i] = Class.forName(interfaces[i], false, program);
            }
            try {
                return java.lang.reflect.Proxy.getProxyClass(program, types);
            } catch (IllegalArgumentException e) {
                return super.resolveProxyClass(interfaces);
            }
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader first = first();
            ClassNotFoundException notFound = null;
            if (first instanceof SentClasses sent) {
                Class<?> found = sent.find(desc.getName()); // not through the JVM's cache: a loader made anew is seen
                if (found != null) {
                    return found;
                }
            } else if (first != null) {
                try {
                    return Class.forName(desc.getName(), false, first);
                } catch (ClassNotFoundException e) {
                    notFound = e; // a primitive type's name, or none: as the JDK does, then
                }
            }
            try {
                return super.resolveClass(desc);
            } catch (ClassNotFoundException e) {
                // in a worker, one program's classes are never looked for in another's; a SentClasses looked in ALL already
                Class<?> sent = first instanceof ProgramLoader || first instanceof SentClasses ? null : SentClasses.ALL.find(desc.getName());
                if (sent != null) {
                    return sent;
                }
                throw notFound != null ? notFound : e;
            }
        }
    }

    /** Writes a list of values, compactly where their types allow. */
    public static void writeValues(Wire.Out out, List<?> values, String what) {
        writeValues(out, values, what, SentClasses.ALL);
    }

    /** As {@link #writeValues(Wire.Out, List, String)}, noting the loaders of the classes written in {@code sent}. */
    public static void writeValues(Wire.Out out, List<?> values, String what, SentClasses sent) {
        byte tag = tagOf(values);
        out.writeByte(tag);
        int n = values.size();
        switch (tag) {
            case INTS -> {
                out.ensure(4 + 4 * n).writeInt(n);
                for (Object v : values) {
                    out.writeInt((Integer) v);
                }
            }
            case LONGS -> {
                out.ensure(4 + 8 * n).writeInt(n);
                for (Object v : values) {
                    out.writeLong((Long) v);
                }
            }
            case DOUBLES -> {
                out.ensure(4 + 8 * n).writeInt(n);
                for (Object v : values) {
                    out.writeLong(Double.doubleToRawLongBits((Double) v));
                }
            }
            case STRINGS -> {
                out.writeInt(n);
                for (Object v : values) {
                    out.writeString((String) v);
                }
            }
            case BYTES -> {
                out.writeInt(n);
                for (Object v : values) {
                    out.writeBytes((byte[]) v);
                }
            }
            case PAIRS -> {
                List<Object> keys = new ArrayList<>(n);
                List<Object> vals = new ArrayList<>(n);
                for (Object v : values) {
                    Map.Entry<?, ?> e = (Map.Entry<?, ?>) v;
                    keys.add(e.getKey());
                    vals.add(e.getValue());
                }
                writeValues(out, keys, what, sent);
                writeValues(out, vals, what, sent);
            }
            default -> out.writeBytes(serialize(values instanceof ArrayList ? values : new ArrayList<>(values), what, sent));
        }
    }

    /** Reads a list that {@link #writeValues} wrote. */
    public static List<Object> readValues(Wire.In in, String what) {
        return Arrays.asList(readArray(in, what));
    }

    /** Reads, as an array, a list that {@link #writeValues} wrote. */
    public static Object[] readArray(Wire.In in, String what) {
        return readArray(in, what, null);
    }

    /** As {@link #readArray(Wire.In, String)}, finding classes in {@code loader} first. */
    public static Object[] readArray(Wire.In in, String what, ClassLoader loader) {
        byte tag = (byte) in.readByte();
        if (tag == JAVA) {
            return ((List<?>) deserialize(in.readBytes(), what, loader)).toArray();
        }
        if (tag == PAIRS) {
            Object[] keys = readArray(in, what, loader);
            Object[] vals = readArray(in, what, loader);
            Object[] pairs = new Object[keys.length];
            for (int i = 0; i < pairs.length; i++) {
                pairs[i] = new AbstractMap.SimpleImmutableEntry<>(keys[i], vals[i]);
            }
            return pairs;
        }
        int n = in.readInt();
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (tag) {
                case INTS -> in.readInt();
                case LONGS -> in.readLong();
                case DOUBLES -> Double.longBitsToDouble(in.readLong());
                case STRINGS -> in.readString();
                case BYTES -> in.readBytes();
                default -> throw new SerializationException("cannot decode " + what + ": unknown tag " + tag
                        + " (a message from another mproc version?)", null);
            };
        }
        return out;
    }

    private static byte tagOf(List<?> values) {
        if (values.isEmpty()) {
            return INTS;
        }
        Class<?> first = values.get(0) == null ? null : values.get(0).getClass();
        byte tag = first == Integer.class ? INTS : first == Long.class ? LONGS : first == Double.class ? DOUBLES
                : first == String.class ? STRINGS : first == byte[].class ? BYTES : values.get(0) instanceof Map.Entry ? PAIRS : JAVA;
        if (tag == JAVA) {
            return JAVA;
        }
        for (Object v : values) {
            if (v == null || (tag == PAIRS ? !(v instanceof Map.Entry) : v.getClass() != first)) {
                return JAVA;
            }
        }
        return tag;
    }

    private static String describe(Object value) {
        return value == null ? "null" : "class " + value.getClass().getName();
    }
}
