package io.mproc.codec;

import com.example.shipped.Program;
import io.mproc.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A program's loader with a fake program (a map of paths to bytes) and the platform class loader
 * as the worker's class path, so that this test's own classes are ones "the worker lacks".
 */
@Timeout(60)
class ProgramLoaderTest {
    private static final String POINT = Program.Point.class.getName();
    private static final String POINT_FILE = POINT.replace('.', '/') + ".class";

    /** A program that has {@link Program.Point}'s class file and {@code conf/greeting.txt}, and counts what it is asked. */
    private static final class FakeProgram implements ClassSource {
        final Map<String, byte[]> files = new HashMap<>();
        final List<String> asked = new ArrayList<>();

        FakeProgram() {
            files.put(POINT_FILE, classFile(Program.Point.class));
            files.put(Program.class.getName().replace('.', '/') + ".class", classFile(Program.class)); // its declaring class
            files.put(Program.Greeter.class.getName().replace('.', '/') + ".class", classFile(Program.Greeter.class));
            files.put("conf/greeting.txt", "hello".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public synchronized byte[] fetch(String path) {
            asked.add(path);
            return files.get(path);
        }
    }

    static byte[] classFile(Class<?> type) {
        try (InputStream in = type.getResourceAsStream(type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProgramLoader loader(ClassSource program) {
        return new ProgramLoader("p1", ClassLoader.getPlatformClassLoader(), program);
    }

    @Test
    void aClassTheWorkerLacksIsFetchedOnceAndDefinedInTheProgramsLoader() throws Exception {
        FakeProgram program = new FakeProgram();
        ProgramLoader loader = loader(program);
        Class<?> point = loader.loadClass(POINT);
        assertThat(point.getClassLoader()).isSameAs(loader);
        assertThat(point).isNotSameAs(Program.Point.class);
        assertThat(loader.loadClass(POINT)).isSameAs(point);
        assertThat(program.asked).containsExactly(POINT_FILE);
        assertThat(loader.fetched()).isEqualTo(1);
        assertThat(point.getPackage().getName()).isEqualTo("com.example.shipped");
    }

    @Test
    void theContextLoaderStandsInForTheProgramUntilItLeaves() throws Exception {
        FakeProgram program = new FakeProgram();
        ProgramLoader loader = loader(program);
        ClassLoader context = loader.contextLoader();
        assertThat(context).isNotSameAs(loader);
        assertThat(ProgramLoader.behind(context)).isSameAs(loader);
        assertThat(ProgramLoader.behind(loader)).isSameAs(loader);
        assertThat(ProgramLoader.behind(ClassLoader.getSystemClassLoader())).isNull();
        assertThat(Class.forName(POINT, false, context).getClassLoader()).isSameAs(loader);
        assertThat(context.getResource("conf/greeting.txt")).isNotNull();

        loader.close(); // the program left: what kept the stand-in keeps nothing of the program
        assertThat(ProgramLoader.behind(context)).isNull();
        assertThatThrownBy(() -> context.loadClass("com.example.Other")).isInstanceOf(ClassNotFoundException.class)
                .hasMessageContaining("its program has left");
        assertThat(context.getResource("conf/greeting.txt")).isNull();
        assertThat(context.loadClass("java.util.List")).isSameAs(List.class); // the worker's own classes still load
    }

    @Test
    void classesDefinedForAProgramHaveADomainThatDoesNotNameItsLoader() throws Exception {
        // a thread started while such a class is on the stack keeps the stack's domains for its life
        Class<?> point = loader(new FakeProgram()).loadClass(POINT);
        assertThat(point.getProtectionDomain().getClassLoader()).isNull();
    }

    @Test
    void twoProgramsGetTwoClassesOfOneName() throws Exception {
        Class<?> first = loader(new FakeProgram()).loadClass(POINT);
        Class<?> second = loader(new FakeProgram()).loadClass(POINT);
        assertThat(first.getName()).isEqualTo(second.getName());
        assertThat(first).isNotSameAs(second);
    }

    @Test
    void whatTheWorkerHasLoadsLocallyWithoutAskingTheProgram() throws Exception {
        FakeProgram program = new FakeProgram();
        ProgramLoader loader = new ProgramLoader("p1", ProgramLoaderTest.class.getClassLoader(), program);
        assertThat(loader.loadClass(POINT)).isSameAs(Program.Point.class);
        assertThat(loader.loadClass("java.util.List")).isSameAs(List.class);
        assertThat(program.asked).isEmpty();
    }

    @Test
    void classesOfTheJdkMprocAndItsEnginesAreNeverTakenFromAProgram() {
        FakeProgram program = new FakeProgram();
        program.files.put("io/mproc/Fake.class", new byte[]{1});
        ProgramLoader loader = loader(program);
        for (String name : List.of("io.mproc.Fake", "io.vertx.core.Fake", "com.hazelcast.Fake", "io.netty.Fake", "jdk.Fake", "sun.Fake")) {
            assertThatThrownBy(() -> loader.loadClass(name)).isInstanceOf(ClassNotFoundException.class)
                    .hasMessageContaining("never taken from a program").hasMessageContaining("same mproc version");
        }
        assertThat(program.asked).isEmpty();
        assertThat(ProgramLoader.localOnly("com.example.Shape")).isFalse();
        assertThat(ProgramLoader.localOnly("javax.inject.Inject")).isFalse(); // a library's, not the JDK's
    }

    @Test
    void aClassNeitherHasFailsNamingTheProgramAndIsAskedOnce() {
        FakeProgram program = new FakeProgram();
        ProgramLoader loader = loader(program);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> loader.loadClass("com.example.Missing")).isInstanceOf(ClassNotFoundException.class)
                    .hasMessage("com.example.Missing: neither on this worker's class path nor on the class path of its program p1");
        }
        assertThat(program.asked).containsExactly("com/example/Missing.class");
    }

    @Test
    void aProgramThatCannotBeAskedFailsTheLoadSayingWhy() {
        ProgramLoader loader = loader(path -> {
            throw new UncheckedIOException(new IOException("it has left the cluster"));
        });
        assertThatThrownBy(() -> loader.loadClass("com.example.Shape")).isInstanceOf(ClassNotFoundException.class)
                .hasMessage("com.example.Shape: not on this worker's class path, and its program p1 could not be asked for it"
                        + " (it has left the cluster)");
        assertThat(loader.getResource("conf/greeting.txt")).isNull();
    }

    @Test
    void bytesThatAreNoClassFailClearly() {
        FakeProgram program = new FakeProgram();
        program.files.put("com/example/Broken.class", new byte[]{1, 2, 3});
        assertThatThrownBy(() -> loader(program).loadClass("com.example.Broken")).isInstanceOf(ClassNotFoundException.class)
                .hasMessageStartingWith("com.example.Broken: the bytes program p1 sent are not a class this JVM accepts");
    }

    @Test
    void resourcesComeFromTheProgramAsGetResourceFindsThem() throws Exception {
        FakeProgram program = new FakeProgram();
        ProgramLoader loader = loader(program);
        URL url = loader.getResource("conf/greeting.txt");
        assertThat(url).isNotNull();
        assertThat(url.toString()).isEqualTo("mproc-program://p1/conf/greeting.txt");
        try (InputStream in = url.openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
        try (InputStream again = loader.getResourceAsStream("conf/greeting.txt")) {
            assertThat(new String(again.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
        assertThat(loader.getResources("conf/greeting.txt").hasMoreElements()).isTrue();
        assertThat(loader.getResource("conf/none.txt")).isNull();
        assertThat(loader.getResource("conf/none.txt")).isNull();
        assertThat(program.asked).containsExactly("conf/greeting.txt", "conf/none.txt");
    }

    @Test
    void valuesDeserializeWithTheProgramsClassesGivenOrAsTheThreadsContextLoader() throws Exception {
        byte[] bytes = Codec.serialize(new Program.Point(3, 4), "a point");
        ProgramLoader loader = loader(new FakeProgram());
        Object given = Codec.deserialize(bytes, "a point", loader);
        assertThat(given.getClass().getClassLoader()).isSameAs(loader);
        assertThat(given.toString()).isEqualTo("Point[x=3, y=4]");

        ClassLoader own = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader.contextLoader()); // as a task's thread has it
        try {
            assertThat(Codec.deserialize(bytes, "a point").getClass()).isSameAs(given.getClass());
        } finally {
            Thread.currentThread().setContextClassLoader(own);
        }
        assertThat(Codec.deserialize(bytes, "a point")).isEqualTo(new Program.Point(3, 4)); // no program: as the JDK does
    }

    /** A proxy's handler, serializable, of the worker's own (test) classes. */
    record Hello(String greeting) implements java.lang.reflect.InvocationHandler, java.io.Serializable {
        @Override
        public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) {
            return greeting + ", " + args[0];
        }
    }

    @Test
    void aProxyOfAProgramsInterfaceIsMadeInTheProgramsLoader() throws Exception {
        Object proxy = java.lang.reflect.Proxy.newProxyInstance(Program.Greeter.class.getClassLoader(),
                new Class<?>[]{Program.Greeter.class}, new Hello("hello"));
        byte[] bytes = Codec.serialize(proxy, "a proxy");
        ProgramLoader loader = loader(new FakeProgram());
        Object back = Codec.deserialize(bytes, "a proxy", loader);
        Class<?> greeter = back.getClass().getInterfaces()[0];
        assertThat(greeter.getName()).isEqualTo(Program.Greeter.class.getName());
        assertThat(greeter.getClassLoader()).isSameAs(loader);
        assertThat(greeter.getMethod("greet", String.class).invoke(back, "mproc")).isEqualTo("hello, mproc");
    }

    @Test
    void aValueOfAClassNobodyHasFailsNamingTheProgram() {
        // a point whose class, as the stream names it, exists nowhere: Program$Gone1
        byte[] bytes = Codec.serialize(new Program.Point(3, 4), "a point");
        String stream = new String(bytes, StandardCharsets.ISO_8859_1).replace("Program$Point", "Program$Gone1");
        byte[] nowhere = stream.getBytes(StandardCharsets.ISO_8859_1);
        ProgramLoader empty = loader(path -> null);
        assertThatThrownBy(() -> Codec.deserialize(nowhere, "the arguments", empty)).isInstanceOf(SerializationException.class)
                .hasMessage("cannot deserialize the arguments: class com.example.shipped.Program$Gone1: neither on this worker's class"
                        + " path nor on the class path of its program p1");
    }

    @Test
    void theFilterStillRefusesWhatItRefusesForAProgramsClasses() {
        FakeProgram program = new FakeProgram();
        ProgramLoader loader = loader(program);
        System.setProperty(SerialFilter.PROPERTY, "!com.example.shipped.*");
        try {
            SerialFilter.reload();
            assertThatThrownBy(() -> Codec.deserialize(Codec.serialize(new Program.Point(1, 2), "p"), "an item", loader))
                    .isInstanceOf(SerializationException.class).hasMessageContaining("refused by the deserialization filter");
        } finally {
            System.clearProperty(SerialFilter.PROPERTY);
            SerialFilter.reload();
        }
    }
}
