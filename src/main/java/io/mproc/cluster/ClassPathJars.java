package io.mproc.cluster;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Worker JVMs get this JVM's class path with each directory on it (an IDE's or Maven's
 * {@code target/classes}) replaced by a jar of its files, in the same place: the JDK archives
 * classes for AppCDS from jars only, and refuses any class path with a non-empty directory.
 * Measured here: a worker on the Maven test class path took about 1.8 s to start without an
 * archive. A jar is made once per content of its directory (files' names, sizes and dates)
 * under {@code <cache>/classpath}, and an older jar of the same directory is deleted.
 *
 * <p>A worker then reads a directory's files as they were when the launcher was made: a
 * class compiled later reaches workers of a new context. {@code mproc.cds=false} keeps the
 * directories as they are.
 */
final class ClassPathJars {
    private static final System.Logger LOG = System.getLogger(ClassPathJars.class.getName());
    private static final FileTime EPOCH = FileTime.fromMillis(0);

    private ClassPathJars() {
    }

    /** {@code classPath} with each non-empty directory replaced by its jar; unchanged if a jar cannot be made. */
    static String pack(String classPath, Path cache) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path dir = Path.of(entry).toAbsolutePath();
            if (!Files.isDirectory(dir)) {
                entries.add(entry);
                continue;
            }
            try {
                entries.add(jarOf(dir, cache.resolve("classpath")).toString());
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "workers keep directory " + dir + " on their class path: " + e);
                return classPath;
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Path jarOf(Path dir, Path cache) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty()) {
            return dir; // an empty directory does not stop AppCDS
        }
        StringBuilder content = new StringBuilder();
        for (Path file : files) {
            content.append(dir.relativize(file)).append(':').append(Files.size(file)).append(':')
                    .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
        }
        String prefix = ClassDataSharing.digest(dir.toString()) + "-";
        Path jar = cache.resolve(prefix + ClassDataSharing.digest(content.toString()) + ".jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        Files.createDirectories(cache);
        Path partial = Files.createTempFile(cache, prefix, ".partial");
        try (OutputStream out = Files.newOutputStream(partial); JarOutputStream zip = new JarOutputStream(out)) {
            for (Path file : files) {
                JarEntry entry = new JarEntry(dir.relativize(file).toString().replace(File.separatorChar, '/'));
                entry.setLastModifiedTime(EPOCH);
                zip.putNextEntry(entry);
                Files.copy(file, zip);
                zip.closeEntry();
            }
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (Stream<Path> old = Files.list(cache)) {
            for (Path stale : old.filter(p -> p.getFileName().toString().startsWith(prefix) && !p.equals(jar)
                    && p.getFileName().toString().endsWith(".jar")).toList()) {
                Files.deleteIfExists(stale); // a worker still running keeps its open copy
            }
        }
        return jar;
    }
}
