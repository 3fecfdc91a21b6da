package io.mproc.cluster;

import io.netty.util.internal.PlatformDependent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * BoringSSL's native library (netty-tcnative), unpacked once for every worker JVM. Netty
 * first looks for the library on {@code java.library.path}, and only then unpacks it from
 * its jar: 3 MB inflated and written to a temporary file in every JVM, then loaded from
 * there. This unpacks the library of this platform into {@code mproc.cds.dir}
 * ({@code ~/.cache/mproc}, owner-only) once per jar, and workers find it on their
 * {@code java.library.path}. When it cannot (no such jar, a read-only cache), workers unpack
 * it themselves, as before.
 */
final class NativeTls {
    private static final System.Logger LOG = System.getLogger(NativeTls.class.getName());

    private NativeTls() {
    }

    /** The JVM options that let a worker load BoringSSL from the cache, or none. */
    static List<String> jvmOptions(Path cacheDir, ClassLoader loader) {
        String library = System.mapLibraryName("netty_tcnative_" + PlatformDependent.normalizedOs() + "_"
                + PlatformDependent.normalizedArch());
        URL url = loader.getResource("META-INF/native/" + library);
        if (url == null) {
            return List.of();
        }
        try {
            Path dir = unpacked(cacheDir, url, library);
            String inherited = System.getProperty("java.library.path", "");
            return List.of("-Djava.library.path=" + dir + (inherited.isEmpty() ? "" : File.pathSeparator + inherited));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "workers unpack BoringSSL themselves: cannot keep it in " + cacheDir, e);
            return List.of();
        }
    }

    /** The directory holding {@code library} from {@code url}, unpacked there now if it is not yet. */
    static Path unpacked(Path cacheDir, URL url, String library) throws IOException {
        URLConnection connection = url.openConnection();
        connection.setUseCaches(false);
        // closing the stream closes the jar this connection opened, also when nothing is read from it
        try (InputStream in = connection.getInputStream()) {
            Path dir = cacheDir.resolve("native").resolve(digest(url + "#" + connection.getContentLengthLong()));
            Path target = dir.resolve(library);
            if (Files.isRegularFile(target)) {
                return dir;
            }
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the user's cache directory's own access rules apply
            }
            Path partial = Files.createTempFile(dir, library, ".partial");
            try {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                // another JVM may have unpacked the same bytes meanwhile: either copy is whole
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            return dir;
        }
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
