package io.mproc.codec;

import io.mproc.SerializationException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
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
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
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
            throw new SerializationException("cannot deserialize " + what + ": class " + e.getMessage()
                    + " is not on this JVM's class path", e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot deserialize " + what + ": " + e, e);
        } finally {
            SerialFilter.takeRefusal();
        }
    }

    /** Writes a list of values, compactly where their types allow. */
    public static void writeValues(Wire.Out out, List<?> values, String what) {
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
                writeValues(out, keys, what);
                writeValues(out, vals, what);
            }
            default -> out.writeBytes(serialize(values instanceof ArrayList ? values : new ArrayList<>(values), what));
        }
    }

    /** Reads a list that {@link #writeValues} wrote. */
    public static List<Object> readValues(Wire.In in, String what) {
        return Arrays.asList(readArray(in, what));
    }

    /** Reads, as an array, a list that {@link #writeValues} wrote. */
    public static Object[] readArray(Wire.In in, String what) {
        byte tag = (byte) in.readByte();
        if (tag == JAVA) {
            return ((List<?>) deserialize(in.readBytes(), what)).toArray();
        }
        if (tag == PAIRS) {
            Object[] keys = readArray(in, what);
            Object[] vals = readArray(in, what);
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
