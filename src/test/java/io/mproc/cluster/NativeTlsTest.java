package io.mproc.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NativeTlsTest {

    @Test
    void theLibraryIsUnpackedOnceIntoAnOwnerOnlyDirectoryOfTheCache(@TempDir Path tmp) throws Exception {
        Path source = Files.write(tmp.resolve("source.so"), new byte[]{1, 2, 3, 4});
        URL url = source.toUri().toURL();
        Path cache = tmp.resolve("cache");

        Path dir = NativeTls.unpacked(cache, url, "libx.so");
        assertThat(dir.getParent()).isEqualTo(cache.resolve("native"));
        assertThat(Files.readAllBytes(dir.resolve("libx.so"))).containsExactly(1, 2, 3, 4);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(dir.toFile().list()).as("no partial copy left").containsExactly("libx.so");

        FileTime written = Files.getLastModifiedTime(dir.resolve("libx.so"));
        Files.setLastModifiedTime(dir.resolve("libx.so"), FileTime.fromMillis(written.toMillis() - 60_000));
        assertThat(NativeTls.unpacked(cache, url, "libx.so")).as("the same library again").isEqualTo(dir);
        assertThat(Files.getLastModifiedTime(dir.resolve("libx.so")).toMillis()).as("not written again").isEqualTo(written.toMillis() - 60_000);

        Files.write(source, new byte[]{1, 2, 3, 4, 5});
        assertThat(NativeTls.unpacked(cache, url, "libx.so")).as("another library (its size changed)").isNotEqualTo(dir);
    }

    @Test
    void workersAreGivenTheCacheFirstOnTheirLibraryPathAndNothingWithoutTheLibrary(@TempDir Path tmp) throws Exception {
        List<String> options = NativeTls.jvmOptions(tmp, getClass().getClassLoader());
        assertThat(options).singleElement().asString().startsWith("-Djava.library.path=" + tmp.resolve("native"))
                .contains(File.pathSeparator + System.getProperty("java.library.path"));

        ClassLoader without = new ClassLoader(null) { };
        assertThat(NativeTls.jvmOptions(tmp, without)).isEmpty();
    }
}
