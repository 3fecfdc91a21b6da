package io.mproc.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An AppCDS archive of the classes a worker JVM loads, made by the first worker and mapped
 * by every later one: measured here, it cuts a worker's start from about 1.5 s to 0.9 s.
 *
 * <p>The archive is keyed by the JDK and the exact class path (jar names, sizes and dates),
 * and lives in {@code mproc.cds.dir} (default {@code ~/.cache/mproc}). The JDK can only
 * archive a class path made of jars: {@link ClassPathJars} packs each directory on it (as in
 * a Maven test run) into one first. {@code mproc.cds=false} turns both off.
 *
 * <p>mproc's other JVMs on the same class path (the shell commands, a standing cluster, an
 * agent, the demo) map the workers' archive too ({@link #optionsOn}; {@code run.sh} passes the
 * newest archive, which the JVM maps only if it was made for its class path): measured,
 * {@code run.sh status} 2.2 -> 1.45 s, 2.5 -> 1.65 CPU-s.
 */
public final class ClassDataSharing {
    private static final System.Logger LOG = System.getLogger(ClassDataSharing.class.getName());

    /** A half-dumped archive: {@code worker-DIGEST.jsa.PID.WORKER.partial}, PID the program that started the worker. */
    private static final Pattern PARTIAL = Pattern.compile("worker-[0-9a-f]+\\.jsa\\.([0-9]+)\\..+\\.partial");

    /** How many archives (class paths) the cache keeps. */
    static final int KEPT = 4;

    private final Path archive;
    private final AtomicBoolean dumping = new AtomicBoolean();

    private ClassDataSharing(Path archive) {
        this.archive = archive;
    }

    static boolean enabled(Settings settings) {
        return Boolean.parseBoolean(settings.get("mproc.cds", "true"));
    }

    /** Where archives (and {@link ClassPathJars}' jars) are kept: {@code mproc.cds.dir}, default {@code ~/.cache/mproc}. */
    static Path cacheDir(Settings settings) {
        return Path.of(settings.get("mproc.cds.dir", Path.of(System.getProperty("user.home"), ".cache", "mproc").toString()));
    }

    /**
     * The options that run a JVM other than a worker on {@code classPath} as a worker would be:
     * {@code -cp} with each directory packed into its jar, and the workers' archive for that
     * class path once one exists. What {@code run.sh} does for its JVMs, for a JVM started from Java.
     */
    public static List<String> optionsOn(Settings settings, String classPath) {
        if (!enabled(settings)) {
            return List.of("-cp", classPath);
        }
        String packed = ClassPathJars.pack(classPath, cacheDir(settings));
        ClassDataSharing cds = forClassPath(settings, packed);
        if (cds == null || !Files.isRegularFile(cds.archive)) {
            return List.of("-cp", packed);
        }
        touch(cds.archive);
        return List.of("-cp", packed, "-XX:SharedArchiveFile=" + cds.archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /** The archive for the workers' class path, or null when none can be made. */
    static ClassDataSharing forClassPath(Settings settings, String classPath) {
        if (!enabled(settings)) {
            return null;
        }
        StringBuilder key = new StringBuilder(System.getProperty("java.home")).append('|').append(System.getProperty("java.vm.version"));
        for (String entry : classPath.split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)) {
                return null;
            }
            try {
                key.append('|').append(jar.toAbsolutePath()).append(':').append(Files.size(jar)).append(':')
                        .append(Files.getLastModifiedTime(jar).toMillis());
            } catch (IOException e) {
                return null;
            }
        }
        return new ClassDataSharing(cacheDir(settings).resolve("worker-" + digest(key.toString()) + ".jsa"));
    }

    /**
     * The JVM options for the next worker: map the archive if it exists; else, for one
     * worker at a time, dump it at exit into a file of its own, which {@link #dumped} moves into place.
     */
    List<String> options(String worker) {
        if (Files.isRegularFile(archive)) {
            touch(archive);
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        }
        if (!dumping.compareAndSet(false, true)) {
            return List.of();
        }
        try {
            Files.createDirectories(archive.getParent());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "no AppCDS archive: cannot create " + archive.getParent() + ": " + e);
            return List.of();
        }
        return List.of("-XX:ArchiveClassesAtExit=" + partial(worker), "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /**
     * A worker exited: if it was dumping the archive and ended through its own exit path
     * ({@code orderly}: a stop, {@code System.exit}, a caught SIGTERM, whatever its code), move the
     * archive into place; one killed mid-dump may have left half a file, which is deleted.
     */
    void dumped(String worker, boolean orderly) {
        Path partial = partial(worker);
        if (!Files.exists(partial)) {
            return;
        }
        try {
            if (orderly && Files.size(partial) > 0) {
                Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                LOG.log(System.Logger.Level.INFO, "AppCDS archive for workers: {0}", archive);
            } else {
                Files.deleteIfExists(partial);
            }
            prune(archive.getParent(), KEPT);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "AppCDS archive not kept: " + e);
        } finally {
            dumping.set(false);
        }
    }

    /** Marks an archive as used now, so that {@link #prune} keeps the ones in use. */
    private static void touch(Path archive) {
        try {
            Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // read-only cache: it is then only pruned by whoever owns it
        }
    }

    /**
     * Deletes all but the {@code kept} most recently used archives in {@code dir}: each class
     * path (each build of a program) makes one of about 40 MB. A JVM that maps a deleted one
     * keeps its mapping; the next worker of that class path dumps it again. Also deletes the
     * half-dumped archives of programs that are gone (killed while a worker of theirs dumped:
     * no one else would move or delete them).
     */
    static void prune(Path dir, int kept) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            List<Path> archives = all.stream().filter(f -> f.getFileName().toString().matches("worker-[0-9a-f]+\\.jsa"))
                    .sorted(Comparator.comparing(ClassDataSharing::lastModified).reversed())
                    .toList();
            for (Path stale : archives.subList(Math.min(kept, archives.size()), archives.size())) {
                Files.deleteIfExists(stale);
            }
            for (Path file : all) {
                Matcher partial = PARTIAL.matcher(file.getFileName().toString());
                if (partial.matches() && !ProcessHandle.of(Long.parseLong(partial.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.DEBUG, "old AppCDS archives not pruned: " + e);
        }
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private Path partial(String worker) {
        return archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + "." + worker + ".partial");
    }

    static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
