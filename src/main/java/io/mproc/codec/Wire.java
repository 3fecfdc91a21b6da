package io.mproc.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable big-endian byte sink ({@link Out}) and its reader ({@link In}), faster than Data streams. */
public final class Wire {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Wire() {
    }

    /** Writes into a byte array that grows as needed. */
    public static final class Out {
        private byte[] buf;
        private int pos;

        public Out(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        /** Makes room for {@code more} bytes, so that a run of writes grows the buffer once. */
        public Out ensure(int more) {
            if (pos + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
            return this;
        }

        public Out writeByte(int b) {
            ensure(1);
            buf[pos++] = (byte) b;
            return this;
        }

        public Out writeInt(int v) {
            ensure(4);
            INT.set(buf, pos, v);
            pos += 4;
            return this;
        }

        public Out writeLong(long v) {
            ensure(8);
            LONG.set(buf, pos, v);
            pos += 8;
            return this;
        }

        /** Length-prefixed bytes. */
        public Out writeBytes(byte[] bytes) {
            writeInt(bytes.length);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
            return this;
        }

        /** Bytes as they are, without a length. */
        public Out writeRaw(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
            return this;
        }

        /** Length-prefixed UTF-8. */
        public Out writeString(String s) {
            return writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }

        public int size() {
            return pos;
        }

        /** Forgets what was written after {@code size}, a value {@link #size()} returned. */
        public void truncate(int size) {
            pos = size;
        }

        public byte[] toByteArray() {
            return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
        }
    }

    /** Reads what an {@link Out} wrote. */
    public static final class In {
        private final byte[] buf;
        private int pos;

        public In(byte[] buf) {
            this.buf = buf;
        }

        public int readByte() {
            return buf[pos++];
        }

        public int readInt() {
            int v = (int) INT.get(buf, pos);
            pos += 4;
            return v;
        }

        public long readLong() {
            long v = (long) LONG.get(buf, pos);
            pos += 8;
            return v;
        }

        public byte[] readBytes() {
            int n = readInt();
            byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return out;
        }

        public String readString() {
            int n = readInt();
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        public boolean hasMore() {
            return pos < buf.length;
        }
    }
}
