package io.mproc.codec;

import com.hazelcast.internal.serialization.SerializationClassNameFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The classes mproc refuses are refused by Hazelcast's Java deserialization too; the user's classes pass. */
class SerialFilterTest {

    @AfterEach
    void clear() {
        System.clearProperty(SerialFilter.PROPERTY);
    }

    @Test
    void hazelcastRefusesTheGadgetsAndTheExtensionAndAllowsTheRest() {
        System.setProperty(SerialFilter.PROPERTY, "!com.example.Unsafe;!com.example.bad.*;maxbytes=1000");
        SerializationClassNameFilter filter = new SerializationClassNameFilter(SerialFilter.hazelcastFilter());
        for (String refused : new String[]{"org.mozilla.javascript.FakeGadget", "org.apache.commons.collections.functors.InvokerTransformer",
                "org.apache.commons.beanutils.BeanComparator", "com.example.Unsafe", "com.example.bad.Thing"}) {
            assertThatThrownBy(() -> filter.filter(refused)).as(refused).isInstanceOf(SecurityException.class);
        }
        for (String allowed : new String[]{"io.mproc.shared.Mutation$Set", "com.example.Fine", "com.example.bad.deeper.Thing",
                "org.apache.commons.beanutils.Other", "java.util.ArrayList", "[Ljava.lang.String;"}) {
            assertThatCode(() -> filter.filter(allowed)).as(allowed).doesNotThrowAnyException();
        }
    }
}
