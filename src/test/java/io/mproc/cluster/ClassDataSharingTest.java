package io.mproc.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The archive's life: which worker dumps it, when its dump is kept, and how the cache stays small. No JVM is started. */
class ClassDataSharingTest {

    private ClassDataSharing archiveIn(Path cache) throws Exception {
        Path jar = Files.writeString(cache.resolve("app.jar"), "not really a jar");
        System.setProperty("mproc.cds.dir", cache.toString());
        try {
            return ClassDataSharing.forClassPath(Settings.load(), jar.toString());
        } finally {
            System.clearProperty("mproc.cds.dir");
        }
    }

    private static Path partialOf(List<String> options) {
        String option = options.stream().filter(o -> o.startsWith("-XX:ArchiveClassesAtExit=")).findFirst().orElseThrow();
        return Path.of(option.substring(option.indexOf('=') + 1));
    }

    private static List<Path> archives(Path cache) throws Exception {
        try (var files = Files.list(cache)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    @Test
    void aWorkerThatEndsThroughItsOwnExitPathWithAnyCodeLeavesTheArchiveEveryLaterWorkerMaps(@TempDir Path cache) throws Exception {
        ClassDataSharing cds = archiveIn(cache);
        Path partial = partialOf(cds.options("w1"));
        assertThat(cds.options("w2")).as("one worker dumps at a time").isEmpty();
        Files.writeString(partial, "archive");

        cds.dumped("w1", true); // e.g. ended by SIGTERM through its handler: exit -15, archive whole

        assertThat(archives(cache)).hasSize(1);
        assertThat(cds.options("w3")).anyMatch(o -> o.startsWith("-XX:SharedArchiveFile="));
    }

    @Test
    void aWorkerKilledMidDumpLeavesNoArchiveAndTheNextWorkerDumpsAgain(@TempDir Path cache) throws Exception {
        ClassDataSharing cds = archiveIn(cache);
        Path partial = partialOf(cds.options("w1"));
        Files.writeString(partial, "half an archive");

        cds.dumped("w1", false);

        assertThat(partial).doesNotExist();
        assertThat(archives(cache)).isEmpty();
        assertThat(cds.options("w2")).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));
    }

    @Test
    void theCacheKeepsOnlyTheMostRecentlyUsedArchives(@TempDir Path cache) throws Exception {
        for (int i = 0; i < 7; i++) {
            Path archive = Files.writeString(cache.resolve("worker-" + i + "a.jsa"), "archive " + i);
            Files.setLastModifiedTime(archive, FileTime.fromMillis(1_000_000L * (i == 0 ? 99 : i)));
        }
        Files.writeString(cache.resolve("other.txt"), "not an archive");

        ClassDataSharing.prune(cache, 4);

        assertThat(archives(cache)).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("worker-0a.jsa", "worker-6a.jsa", "worker-5a.jsa", "worker-4a.jsa");
        assertThat(cache.resolve("other.txt")).exists();
    }

    @Test
    void aHalfDumpedArchiveIsDeletedOnceItsProgramIsGone(@TempDir Path cache) throws Exception {
        long gone = ProcessHandle.current().pid() + 1_000_000_000L; // above any Linux PID
        Path orphan = Files.writeString(cache.resolve("worker-1a.jsa." + gone + ".w1.partial"), "half an archive");
        Path ours = Files.writeString(cache.resolve("worker-1a.jsa." + ProcessHandle.current().pid() + ".w2.partial"), "being dumped");

        ClassDataSharing.prune(cache, 4);

        assertThat(orphan).doesNotExist();
        assertThat(ours).as("its program is alive: its worker may still be dumping").exists();
    }

    @Test
    void anotherJvmOnTheWorkersClassPathMapsTheirArchiveOnceItExists(@TempDir Path cache) throws Exception {
        Path dir = Files.createDirectories(cache.resolve("classes"));
        Files.writeString(dir.resolve("A.class"), "not really a class");
        Path jar = Files.writeString(cache.resolve("app.jar"), "not really a jar");
        String classPath = dir + java.io.File.pathSeparator + jar;
        System.setProperty("mproc.cds.dir", cache.toString());
        try {
            List<String> before = ClassDataSharing.optionsOn(Settings.load(), classPath);
            assertThat(before).hasSize(2).first().isEqualTo("-cp");
            String packed = before.get(1);
            assertThat(packed).as("the directory packed as for a worker").doesNotContain(dir.toString()).endsWith(jar.toString());

            ClassDataSharing workers = ClassDataSharing.forClassPath(Settings.load(), packed);
            Files.writeString(partialOf(workers.options("w1")), "archive");
            workers.dumped("w1", true);

            assertThat(ClassDataSharing.optionsOn(Settings.load(), classPath))
                    .containsExactly("-cp", packed, "-XX:SharedArchiveFile=" + archives(cache).get(0), "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
            System.setProperty("mproc.cds", "false");
            assertThat(ClassDataSharing.optionsOn(Settings.load(), classPath)).containsExactly("-cp", classPath);
        } finally {
            System.clearProperty("mproc.cds.dir");
            System.clearProperty("mproc.cds");
        }
    }
}
