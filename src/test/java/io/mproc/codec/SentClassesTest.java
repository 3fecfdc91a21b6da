package io.mproc.codec;

import com.example.shipped.Program;
import io.mproc.Task;
import io.mproc.testing.Shapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a program finds the classes and resources its workers ask for, and the classes of what comes back. */
@Timeout(60)
class SentClassesTest {

    /** A loader of its own over a directory holding {@code shape.txt} with {@code text}. */
    private static URLClassLoader loaderWith(String text) throws Exception {
        Path dir = Files.createTempDirectory("sent");
        Files.writeString(dir.resolve("shape.txt"), text);
        dir.toFile().deleteOnExit();
        return new URLClassLoader(new URL[]{dir.toUri().toURL()}, SentClassesTest.class.getClassLoader());
    }

    @Test
    void twoContextsOfOneJvmEachFindTheirOwnVersionFirst() throws Exception {
        SentClasses first = SentClasses.forContext();
        SentClasses second = SentClasses.forContext();
        first.noteLoader(loaderWith("one"));
        second.noteLoader(loaderWith("two"));
        assertThat(new String(first.bytes("shape.txt"), StandardCharsets.UTF_8)).isEqualTo("one");
        assertThat(new String(second.bytes("shape.txt"), StandardCharsets.UTF_8)).isEqualTo("two");
    }

    @Test
    void whatAContextSerializesNotesItsClassesLoaders() throws Exception {
        Task<Integer, String> shape = Shapes.shape(1);
        SentClasses sent = SentClasses.forContext();
        Codec.serialize(shape, "a task", sent);
        byte[] file = sent.bytes("com/example/Shape.class");
        assertThat(file).isNotNull();
        assertThat(file).startsWith(0xCA, 0xFE, 0xBA, 0xBE);
        assertThat(sent.loadClass("com.example.Shape")).isSameAs(shape.getClass());
        // its helpers, never serialized, are found in the same loader
        assertThat(sent.bytes("com/example/Shape$Measure.class")).isNotNull();
    }

    @Test
    void aWorkersLoaderOfAProgramIsNeverNoted() throws Exception {
        ProgramLoader program = new ProgramLoader("p1", ClassLoader.getPlatformClassLoader(),
                path -> path.equals("com/example/shipped/Program$Point.class") ? ProgramLoaderTest.classFile(Program.Point.class) : null);
        SentClasses sent = SentClasses.forContext();
        Class<?> point = program.loadClass(Program.Point.class.getName());
        sent.note(point);
        assertThat(sent.find(point.getName())).isNotSameAs(point); // found on the class path, not through the worker's loader
    }

    @Test
    void theClassPathAndTheJdkAreFoundAndNothingElse() {
        SentClasses sent = SentClasses.forContext();
        assertThat(sent.bytes("com/example/shipped/message.txt")).isNotNull();
        assertThat(sent.bytes(Program.class.getName().replace('.', '/') + ".class")).isNotNull();
        assertThat(sent.bytes("java/lang/String.class")).isNotNull();
        assertThat(sent.bytes("com/example/None.class")).isNull();
    }

    @Test
    void aResultOfAClassOnlyTheProgramsOwnLoaderHasFindsItsClass() throws Exception {
        Task<Integer, String> shape = Shapes.shape(2);
        byte[] bytes = Codec.serialize(shape, "a value", SentClasses.forContext());
        // as a result comes back: decoded where mproc's loader cannot see com.example.Shape
        Object back = Codec.deserialize(bytes, "a result");
        assertThat(back.getClass()).isSameAs(shape.getClass());
        SentClasses fresh = SentClasses.forContext();
        assertThat(Codec.deserialize(bytes, "a result", fresh).getClass()).isSameAs(shape.getClass());
    }
}
