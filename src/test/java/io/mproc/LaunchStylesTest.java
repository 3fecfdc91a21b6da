package io.mproc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * mproc as a user's Maven dependency: a small application (src/test/resources/launch/app) that
 * depends on the installed mproc artifact maps on a local pool when Maven runs it
 * ({@code mvn exec:java}: the program's classes are in a class loader of Maven's, and
 * {@code java.class.path} holds Maven's launcher) and when it runs as a shaded jar
 * ({@code java -jar}). Its workers are JVMs of their own: two PIDs other than the program's.
 */
@Timeout(600)
class LaunchStylesTest {

    @Test
    void anApplicationMapsOnAPoolWhenMavenRunsItAndAsAShadedJar(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(StandingClusterTest.works("mvn", "-v"),
                "no Maven (mvn) here: the launch-style test is skipped");
        String version = mprocVersion();
        Path jar = dir.resolve("mproc.jar");
        jarOf(Path.of("target", "classes"), jar);
        // installed as a user's "mvn install" would: the application's build finds it in the local repository
        run(dir, List.of("mvn", "-B", "-q", "install:install-file", "-Dfile=" + jar, "-DpomFile=" + Path.of("pom.xml").toAbsolutePath()));

        Path app = dir.resolve("app");
        copy(Path.of("src", "test", "resources", "launch", "app"), app);
        Path pom = app.resolve("pom.xml");
        Files.writeString(pom, Files.readString(pom).replace("@MPROC_VERSION@", version));

        String maven = run(app, List.of("mvn", "-B", "-q", "package", "exec:java"));
        assertThat(maven).as("mvn exec:java").contains("squares [1, 4, 9, 16, 25]", "worker JVMs 2");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String shaded = run(app, List.of(java, "-jar", app.resolve("target").resolve("launch-app-1.0.jar").toString()));
        assertThat(shaded).as("java -jar of the shaded jar").contains("squares [1, 4, 9, 16, 25]", "worker JVMs 2");

        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).as("JVMs left behind").isEmpty();
    }

    /** Runs {@code command} in {@code dir}; its output, which it must end with exit code 0 within 4 minutes. */
    private static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        java.lang.Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        java.util.concurrent.CompletableFuture<String> output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        boolean ended = process.waitFor(4, TimeUnit.MINUTES);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String out = output.join();
        assertThat(ended).as("%s ended within 4 minutes:%n%s", command, out).isTrue();
        assertThat(process.exitValue()).as("%s:%n%s", command, out).isZero();
        return out;
    }

    /** mproc's version, as pom.xml gives it. */
    private static String mprocVersion() throws IOException {
        Matcher version = Pattern.compile("<artifactId>mproc</artifactId>\\s*<version>([^<]+)</version>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(version.find()).as("mproc's version in pom.xml").isTrue();
        return version.group(1);
    }

    /** A jar of {@code classes}: the artifact "mvn package" would make, without running the build from inside it. */
    private static void jarOf(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        List<Path> all;
        try (Stream<Path> files = Files.walk(from)) {
            all = new ArrayList<>(files.toList());
        }
        for (Path source : all) {
            Path target = to.resolve(from.relativize(source).toString());
            if (Files.isDirectory(source)) {
                Files.createDirectories(target);
            } else {
                Files.copy(source, target);
            }
        }
    }
}
