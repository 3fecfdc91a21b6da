package io.mproc.cluster;

import javax.crypto.SecretKey;
import javax.crypto.spec.PBEParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * What lets a JVM into a cluster: a 256-bit secret key in a PKCS#12 file that only its owner
 * may read ({@code mproc.identity}, by default {@code identity.p12} under
 * {@code $XDG_CONFIG_HOME/mproc} or {@code ~/.config/mproc}). The first mproc JVM of a user
 * makes it (mode 0600, in a directory of mode 0700); every later one, workers and shell
 * commands included, finds the same file; another host is given a copy of it. A worker JVM
 * does not read the file: its parent gives it the key on its standard input, a pipe no other
 * process reads ({@link #line()}), never on its command line. A member proves that it holds
 * the key when it asks to join ({@link JoinProof}); the file's password is fixed, its mode is
 * what protects it.
 */
public final class ClusterIdentity {
    /** How a line that gives a worker its parent's identity begins. */
    private static final String LINE = "identity ";
    /** The key's entry in the file. */
    static final String ALIAS = "mproc-join";
    private static final char[] PASSWORD = "mproc".toCharArray();
    private static final int KEY_BYTES = 32;
    private static final String MAC_ROUNDS = "keystore.pkcs12.macIterationCount";

    private final Path file;
    private final byte[] key;
    private final boolean made;

    /** A file's key as last read, and the version of the file it was read from. */
    private record Read(java.util.List<Object> version, byte[] key) {
    }

    private static final java.util.Map<Path, Read> READ = new java.util.concurrent.ConcurrentHashMap<>();

    private ClusterIdentity(Path file, byte[] key, boolean made) {
        this.file = file;
        this.key = key;
        this.made = made;
    }

    /**
     * Whether clusters check identities ({@code mproc.security}: {@code on}, the default, or
     * {@code off}: any JVM that reaches a cluster's port may join it, as before mproc had identities).
     */
    public static boolean required(Settings settings) {
        String value = settings.get("mproc.security", "on").trim();
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("mproc.security must be on or off: '" + value + "'");
        };
    }

    /** The identity {@code settings} name, made at that place if there is none yet. */
    public static ClusterIdentity load(Settings settings) {
        return loadOrMake(path(settings));
    }

    /** The identity file {@code settings} name ({@code mproc.identity}), or the default one. */
    public static Path path(Settings settings) {
        String configured = settings.get("mproc.identity", "");
        return (configured.isBlank() ? defaultFile() : Path.of(configured)).toAbsolutePath();
    }

    /**
     * What tells two copies of an identity apart without showing it: {@code SHA-256:} and the
     * first 8 bytes of the hash of the key, in hex.
     */
    public String fingerprint() {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(key);
            StringBuilder text = new StringBuilder("SHA-256:");
            for (int i = 0; i < 8; i++) {
                text.append(i == 0 ? "" : ":").append(String.format("%02x", hash[i]));
            }
            return text.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no SHA-256: " + e, e);
        }
    }

    /** The identity in {@code file}, which must exist (nothing is made). */
    public static ClusterIdentity existing(Path file) {
        Path absolute = file.toAbsolutePath();
        if (!Files.isRegularFile(absolute)) {
            throw new IllegalArgumentException("there is no cluster identity at " + absolute
                    + " (an mproc JVM makes one on first use, or run.sh identity import brings one)");
        }
        return new ClusterIdentity(absolute, read(absolute), false);
    }

    /**
     * Writes this identity's file to {@code to}, a new file, owner-only.
     *
     * @throws IllegalArgumentException when {@code to} exists
     */
    public void exportTo(Path to) {
        Path target = to.toAbsolutePath();
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " exists: export writes a new file only");
        }
        try {
            Files.write(Files.createFile(target, ownerOnly("rw-------")), fileBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export the cluster identity to " + target + ": " + e, e);
        }
    }

    /** The bytes of this identity's file, as {@link #install} takes them. */
    public byte[] fileBytes() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cluster identity " + file + ": " + e, e);
        }
    }

    /**
     * Puts the identity held by {@code bytes} (a PKCS#12 file as {@link #file()} holds it) at
     * {@code file}, owner-only. An identity already there with another key is replaced only
     * with {@code force}, and kept beside it as {@code NAME.old}.
     *
     * @throws IllegalArgumentException when {@code bytes} hold no identity, or another one is there without {@code force}
     */
    public static ClusterIdentity install(byte[] bytes, Path file, boolean force) {
        Path absolute = file.toAbsolutePath();
        byte[] key;
        try {
            key = read(new java.io.ByteArrayInputStream(bytes), "what was given");
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("what was given is not an mproc cluster identity (a PKCS#12 file"
                    + " from run.sh identity export): " + e.getCause());
        }
        try {
            if (Files.isRegularFile(absolute)) {
                if (java.util.Arrays.equals(read(absolute), key)) {
                    return new ClusterIdentity(absolute, key, false);
                }
                if (!force) {
                    throw new IllegalArgumentException(absolute + " holds another cluster identity: give --force to"
                            + " replace it (it is kept as " + backup(absolute).getFileName() + ")");
                }
                keepOld(absolute);
            }
            writeOwnerOnly(absolute, bytes);
            return new ClusterIdentity(absolute, key, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cluster identity " + absolute + ": " + e, e);
        }
    }

    /**
     * Replaces the identity at {@code file} with a new key, the old file kept beside it as
     * {@code NAME.old}. Clusters already running keep the old key until they restart.
     */
    public static ClusterIdentity rotate(Path file) {
        Path absolute = existing(file).file();
        try {
            keepOld(absolute);
            write(absolute, newKey());
            return new ClusterIdentity(absolute, read(absolute), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cluster identity " + absolute + ": " + e, e);
        }
    }

    /**
     * Writes {@code file}, owner-only and in an owner-only directory, through a temporary file
     * beside it, so that no reader sees it half written.
     */
    private static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, ownerOnly("rwx------"));
        }
        Path temporary = Files.createTempFile(dir, ".identity", ".tmp", ownerOnly("rw-------"));
        try {
            Files.write(temporary, bytes);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Copies {@code file} to {@code NAME.old} beside it, owner-only as it is. */
    private static void keepOld(Path file) throws IOException {
        Files.copy(file, backup(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }

    private static Path backup(Path file) {
        return file.resolveSibling(file.getFileName() + ".old");
    }

    /** {@code identity.p12} under {@code $XDG_CONFIG_HOME/mproc}, or {@code ~/.config/mproc}. */
    static Path defaultFile() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("mproc").resolve("identity.p12");
    }

    /** Reads {@code file}, or makes it when it does not exist (one JVM at a time: a lock file beside it). */
    static ClusterIdentity loadOrMake(Path file) {
        Path absolute = file.toAbsolutePath();
        if (Files.isRegularFile(absolute)) {
            return new ClusterIdentity(absolute, read(absolute), false);
        }
        try {
            Path dir = absolute.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, ownerOnly("rwx------")); // for the lock file
            }
            try (FileChannel channel = FileChannel.open(dir.resolve(".identity.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                boolean made = !Files.exists(absolute);
                if (made) {
                    write(absolute, newKey());
                }
                return new ClusterIdentity(absolute, read(absolute), made);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the cluster identity " + absolute + " (set mproc.identity to a"
                    + " file this user may write): " + e, e);
        }
    }

    /**
     * The line a parent writes on a worker's standard input to give it this identity (and so
     * spare it reading the file: a key store costs a fresh JVM ~0.17 CPU-s, measured).
     */
    String line() {
        return LINE + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The identity a {@link #line()} gives, or null when {@code line} is no such line.
     *
     * @throws IllegalArgumentException when it is one but does not hold a key
     */
    public static ClusterIdentity fromLine(String line) {
        if (!line.startsWith(LINE)) {
            return null;
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(line.substring(LINE.length()).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the identity given on standard input is not Base64: " + e.getMessage());
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the identity given on standard input holds " + key.length + " bytes, not " + KEY_BYTES);
        }
        return new ClusterIdentity(null, key, false);
    }

    /** The file the key was read from (null for a worker given its parent's key). */
    public Path file() {
        return file;
    }

    /** Whether this call made the file (there was none). */
    public boolean made() {
        return made;
    }

    /** The secret key: never logged, never sent but to a worker JVM's standard input. */
    byte[] key() {
        return key.clone();
    }

    private static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static void write(Path file, byte[] key) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            // the file's mode protects it, not its fixed password: one round of the password hash
            // instead of the JDK's 10,000, which every JVM that reads it would pay (~40 ms warm,
            // ~0.15 s in a fresh JVM). The key is sealed here, the file's MAC at store().
            byte[] salt = new byte[20];
            new SecureRandom().nextBytes(salt);
            store.setEntry(ALIAS, new KeyStore.SecretKeyEntry(new SecretKeySpec(key, "HmacSHA256")),
                    new KeyStore.PasswordProtection(PASSWORD, "PBEWithHmacSHA256AndAES_256", new PBEParameterSpec(salt, 1)));
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            String mac = System.getProperty(MAC_ROUNDS);
            System.setProperty(MAC_ROUNDS, "1");
            try {
                store.store(bytes, PASSWORD);
            } finally {
                restore(MAC_ROUNDS, mac);
            }
            writeOwnerOnly(file, bytes.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot write a PKCS#12 key store: " + e, e);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    /**
     * The key {@code file} holds. A JVM that opens many contexts reads the file once while it
     * stays as it was (same size and modification time): a key store costs a JVM's first read
     * ~0.15 s, and a file made before its password hash took one round ~40 ms at every read.
     */
    private static byte[] read(Path file) {
        try {
            java.nio.file.attribute.BasicFileAttributes attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            java.util.List<Object> version = java.util.Arrays.asList(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
            Read cached = READ.get(file);
            if (cached != null && cached.version.equals(version)) {
                return cached.key.clone();
            }
            byte[] key;
            try (InputStream in = Files.newInputStream(file)) {
                key = read(in, "the cluster identity " + file);
            }
            READ.put(file, new Read(version, key.clone()));
            return key;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the cluster identity " + file + ": " + e
                    + " (copy it again from the cluster's host, or delete it to make a new one)", e);
        }
    }

    /** The key in the key store {@code in} holds; {@code what} names it in a failure. */
    private static byte[] read(InputStream in, String what) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            if (!(store.getEntry(ALIAS, new KeyStore.PasswordProtection(PASSWORD)) instanceof KeyStore.SecretKeyEntry entry)) {
                throw new IllegalStateException(what + " holds no key named " + ALIAS);
            }
            SecretKey secret = entry.getSecretKey();
            return secret.getEncoded();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + what + ": " + e
                    + " (copy it again from the cluster's host, or delete it to make a new one)", e);
        }
    }

    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly(String permissions) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new java.nio.file.attribute.FileAttribute<?>[0];
        }
        return new java.nio.file.attribute.FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }
}
