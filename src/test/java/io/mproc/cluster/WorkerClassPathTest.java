package io.mproc.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a worker's classes come from: the program's class loaders first, then mproc's and its engines' jars, then java.class.path. */
@Timeout(10)
class WorkerClassPathTest {

    @Test
    void aLoadersFilesComeFirstEachOnceAndWhatIsNoFileIsNamed(@TempDir Path dir) throws Exception {
        Path app = dir.resolve("app-classes");
        Path lib = dir.resolve("lib.jar");
        URL nested = new URL("jar:file:" + dir.resolve("boot.jar") + "!/BOOT-INF/lib/x.jar!/");
        try (URLClassLoader program = new URLClassLoader(new URL[]{app.toUri().toURL(), lib.toUri().toURL(), nested, app.toUri().toURL()},
                ClassLoader.getSystemClassLoader())) {
            WorkerClassPath path = WorkerClassPath.of(program);
            assertThat(path.entries().subList(0, 2)).containsExactly(app.toString(), lib.toString());
            assertThat(path.entries()).doesNotHaveDuplicates();
            assertThat(path.unresolved()).containsExactly(nested.toString());
            String mproc = Path.of(WorkerClassPath.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            String vertx = Path.of(io.vertx.core.Vertx.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            assertThat(path.entries()).contains(mproc, vertx);
            assertThat(path.value()).startsWith(app + java.io.File.pathSeparator + lib);
        }
    }

    @Test
    void withoutALoaderOfItsOwnTheProgramGetsJavaClassPathAsBefore() {
        WorkerClassPath path = WorkerClassPath.of(ClassLoader.getSystemClassLoader());
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            assertThat(path.entries()).contains(Path.of(entry).toAbsolutePath().normalize().toString());
        }
        assertThat(path.unresolved()).isEmpty();
    }
}
