package io.mproc.codec;

import io.mproc.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class CodecTest {
    record Point(int x, int y) implements Serializable {
    }

    static final class Unsafe implements Serializable {
    }

    static List<Object> roundTrip(List<?> values) {
        Wire.Out out = new Wire.Out(16);
        Codec.writeValues(out, values, "test values");
        return Codec.readValues(new Wire.In(out.toByteArray()), "test values");
    }

    @Test
    void aFailureToLinkSaysWhatFailedUnderIt() {
        Throwable fetch = new java.io.UncheckedIOException(new java.io.IOException("no answer in 30000 ms"));
        String text = Codec.withCauses(new NoClassDefFoundError("com/example/Base") {{ initCause(fetch); }});
        assertThat(text).contains("com/example/Base").contains("caused by java.io.UncheckedIOException")
                .endsWith("caused by java.io.IOException: no answer in 30000 ms");
    }

    @Test
    void listsOfCommonTypesRoundTrip() {
        List<List<?>> cases = List.of(List.of(), List.of(1, -2, Integer.MAX_VALUE), List.of(1L, Long.MIN_VALUE),
                List.of(1.5, Double.NaN, -0.0), List.of("", "héllo", "x".repeat(10_000)),
                List.of(Map.entry(1, "a"), Map.entry(2, "b")), List.of(new Point(1, 2)),
                Arrays.asList(1, null, "mixed", 2L), List.of(Map.entry(new Point(0, 0), List.of(1))));
        for (List<?> values : cases) {
            assertThat(roundTrip(values)).as("%s", values).isEqualTo(values);
        }
    }

    @Test
    void compactFormsAreSmallerThanJavaSerialization() {
        List<Integer> ints = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ints.add(i * 1000);
        }
        Wire.Out out = new Wire.Out(16);
        Codec.writeValues(out, ints, "ints");
        assertThat(out.size()).isEqualTo(1 + 4 + 4 * 1000);
    }

    @Test
    void anUnserializableValueIsNamed() {
        assertThatThrownBy(() -> roundTrip(List.of(new Object())))
                .isInstanceOf(SerializationException.class).hasMessageContaining("java.lang.Object").hasMessageContaining("test values");
    }

    @Test
    void theFilterRefusesGadgetClassesTheExtensionAndGraphsOverTheLimits() throws Exception {
        assertThat(SerialFilter.pattern("")).contains("!org.apache.commons.collections.functors.*", "maxdepth=");
        byte[] unsafe = serialize(new Unsafe());
        assertThat(read(unsafe, SerialFilter.build(""))).isInstanceOf(Unsafe.class);
        assertThatThrownBy(() -> read(unsafe, SerialFilter.build("!" + Unsafe.class.getName())))
                .hasMessageContaining("REJECTED");

        List<Object> deep = new ArrayList<>();
        List<Object> cursor = deep;
        for (int i = 0; i < SerialFilter.MAX_DEPTH + 10; i++) {
            List<Object> next = new ArrayList<>();
            cursor.add(next);
            cursor = next;
        }
        byte[] tooDeep = serialize(deep);
        assertThatThrownBy(() -> Codec.deserialize(tooDeep, "a deep graph"))
                .isInstanceOf(SerializationException.class).hasMessageContaining("refused by the deserialization filter");
    }

    private static byte[] serialize(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static Object read(byte[] data, java.io.ObjectInputFilter filter) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        }
    }
}
