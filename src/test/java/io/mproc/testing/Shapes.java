package io.mproc.testing;

import io.mproc.Task;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Two versions of a user's class {@code com.example.Shape} (test resources {@code shapes/v1},
 * {@code shapes/v2}), compiled once per JVM into a directory of their own: a class that no
 * JVM's class path has, only the loader this program makes for it.
 */
public final class Shapes {
    private static Path compiled;

    private Shapes() {
    }

    /** A new {@code com.example.Shape} of version {@code version} (1: "v1 square of n = n²", 2: "v2 cube of n = n³"), from a loader of its own. */
    @SuppressWarnings("unchecked")
    public static Task<Integer, String> shape(int version) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[]{dir(version).toUri().toURL()}, Shapes.class.getClassLoader());
        return (Task<Integer, String>) loader.loadClass("com.example.Shape").getConstructor().newInstance();
    }

    private static synchronized Path dir(int version) throws Exception {
        if (compiled == null) {
            Path root = Files.createTempDirectory("mproc-shapes");
            root.toFile().deleteOnExit();
            for (int v = 1; v <= 2; v++) {
                compile(v, root.resolve("v" + v));
            }
            compiled = root;
        }
        return compiled.resolve("v" + version);
    }

    private static void compile(int version, Path out) throws Exception {
        Path source = Path.of(Shapes.class.getResource("/shapes/v" + version + "/com/example/Shape.java").toURI());
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String mproc = Path.of(Task.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = javac.run(null, null, errors, "-d", out.toString(), "-cp", mproc, source.toString());
        if (code != 0) {
            throw new IllegalStateException("cannot compile com.example.Shape v" + version + ": " + errors);
        }
    }
}
