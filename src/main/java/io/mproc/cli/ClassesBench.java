package io.mproc.cli;

import io.mproc.Multiprocessing;
import io.mproc.Pool;
import io.mproc.Task;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * What classes on demand cost, on a standing cluster ({@code run.sh cluster} in a JVM of its
 * own, 2 workers): a program's first map when the workers fetch its classes from it, against the
 * same first map on a cluster that has them on its class path ({@code MPROC_CLASSPATH}), and a
 * warm map on each. The program's code is compiled here, into a directory of its own, so that
 * only this JVM has it: a task class with helper classes of its own, as real code has.
 */
final class ClassesBench {
    private static final Pattern BANNER = Pattern.compile("connect with Multiprocessing\\.connect\\(\"([^\"]+)\"\\)");
    /** The program's classes: a task and five helpers, each a class file the workers load. */
    private static final String SOURCE = """
            package bench.shipped;

            public class Score implements io.mproc.Task<Integer, Long> {
                public Long apply(Integer n) { return new A().f(n) + new B().f(n) + new C().f(n) + new D().f(n) + new E().f(n); }
                static final class A { long f(long n) { return n * n; } }
                static final class B { long f(long n) { return n + 1; } }
                static final class C { long f(long n) { return n ^ 5; } }
                static final class D { long f(long n) { return Long.rotateLeft(n, 3); } }
                static final class E { long f(long n) { return n % 7; } }
            }
            """;

    private ClassesBench() {
    }

    /** {@code [fetched first map ms, present first map ms, fetched warm items/s, present warm items/s]}: medians of {@code runs} programs each. */
    static double[] firstMaps(int runs) throws Exception {
        Path dir = compile();
        String own = System.getProperty("java.class.path");
        List<Double> fetchedFirst = new ArrayList<>();
        List<Double> presentFirst = new ArrayList<>();
        List<Double> fetchedWarm = new ArrayList<>();
        List<Double> presentWarm = new ArrayList<>();
        try (Standing without = Standing.start(own); Standing with = Standing.start(own + File.pathSeparator + dir)) {
            for (int i = 0; i < runs; i++) {
                double[] a = program(without.address, dir);
                double[] b = program(with.address, dir);
                fetchedFirst.add(a[0]);
                fetchedWarm.add(a[1]);
                presentFirst.add(b[0]);
                presentWarm.add(b[1]);
            }
        }
        return new double[]{Bench.median(fetchedFirst), Bench.median(presentFirst), Bench.median(fetchedWarm), Bench.median(presentWarm)};
    }

    /** A new program on the cluster at {@code address}: {@code [ms from pool() to its first map's results, warm items/s]}. */
    @SuppressWarnings("unchecked")
    private static double[] program(String address, Path dir) throws Exception {
        try (URLClassLoader classes = new URLClassLoader(new URL[]{dir.toUri().toURL()}, ClassesBench.class.getClassLoader());
             Multiprocessing mp = Multiprocessing.connect(address)) {
            Task<Integer, Long> score = (Task<Integer, Long>) classes.loadClass("bench.shipped.Score").getConstructor().newInstance();
            long t = System.nanoTime();
            try (Pool pool = mp.pool(2)) {
                List<Long> first = pool.map(score, List.of(1, 2, 3, 4), 1);
                double firstMs = (System.nanoTime() - t) / 1e6;
                Bench.check(first.get(3) == 16 + 5 + (4 ^ 5) + 32 + 4, "first map");
                List<Integer> items = IntStream.range(0, 200_000).boxed().toList();
                pool.map(score, items); // warm-up
                long w = System.nanoTime();
                List<Long> warm = pool.map(score, items);
                double warmRate = items.size() / ((System.nanoTime() - w) / 1e9);
                Bench.check(warm.size() == items.size(), "warm map");
                return new double[]{firstMs, warmRate};
            }
        }
    }

    private static Path compile() throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("the classes group compiles a program at run time and needs a JDK's compiler; this Java is a runtime only");
        }
        Path dir = Files.createTempDirectory("mproc-bench-classes");
        Path source = Files.createDirectories(dir.resolve("src/bench/shipped")).resolve("Score.java");
        Files.writeString(source, SOURCE);
        Path out = Files.createDirectories(dir.resolve("classes"));
        String mproc;
        try {
            mproc = Path.of(Task.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        if (javac.run(null, null, errors, "-d", out.toString(), "-cp", mproc, source.toString()) != 0) {
            throw new IllegalStateException("cannot compile the bench's program: " + errors);
        }
        return out;
    }

    /**
     * {@code run.sh cluster} on {@code classPath}, in a JVM of its own, with 2 workers; stopped at
     * close, and ending with this JVM however it ends (it holds the cluster's standard input).
     */
    private record Standing(java.lang.Process process, String address) implements AutoCloseable {
        static Standing start(String classPath) throws IOException {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseParallelGC",
                    "-cp", classPath, Main.class.getName(), "cluster", "--port", "0", "--http-port", "-1",
                    "--name", "bench-" + UUID.randomUUID().toString().substring(0, 8), "--workers", "2", "--end-with-stdin");
            java.lang.Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            List<String> said = new ArrayList<>();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                said.add(line);
                Matcher m = BANNER.matcher(line);
                if (m.find()) {
                    Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "bench-cluster-output");
                    drain.setDaemon(true);
                    drain.start();
                    Standing standing = new Standing(process, m.group(1));
                    standing.awaitWorkers();
                    return standing;
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("the bench's cluster printed no address: " + said);
        }

        /** Waits until both workers serve, so that a first map measures classes, not JVM starts. */
        private void awaitWorkers() {
            try (Multiprocessing mp = Multiprocessing.connect(address); Pool pool = mp.pool(2)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && pool.map(Work::pidAfter, java.util.Collections.nCopies(8, 20), 1).stream().distinct().count() < 2) {
                    Thread.onSpinWait();
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            List<ProcessHandle> jvms = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            jvms.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
