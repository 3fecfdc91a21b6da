package io.mproc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** How worker JVMs come to hold the cluster's identity: from their parent, through a pipe. */
class IdentityTest {

    /** The command line of the JVM that runs it, arguments separated by spaces. */
    static String commandLine(Object ignored) throws Exception {
        return Files.readString(Path.of("/proc/self/cmdline")).replace('\0', ' ');
    }

    @Test
    @Timeout(120)
    void workersGetTheIdentityFromTheirParentNeitherFromTheFileNorOnTheirCommandLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("identity.p12");
        System.setProperty("mproc.identity", file.toString());
        System.setProperty("mproc.spares", "0"); // every worker below starts after the file is gone
        try (Multiprocessing mp = Multiprocessing.local()) {
            assertThat(file).exists();
            // a worker that looked for the file now would make another identity there, and be refused
            Files.delete(file);
            try (Pool pool = mp.pool(2)) {
                assertThat(pool.map(Tasks::pid, java.util.List.of(1, 2, 3, 4), 1)).doesNotContain(ProcessHandle.current().pid());
                String command = pool.apply(IdentityTest::commandLine, 0);
                assertThat(command).contains("io.mproc.runtime.WorkerMain").doesNotContain("identity");
            }
            assertThat(file).doesNotExist();
        } finally {
            System.clearProperty("mproc.identity");
            System.clearProperty("mproc.spares");
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).as("JVMs left behind").isEmpty();
    }
}
