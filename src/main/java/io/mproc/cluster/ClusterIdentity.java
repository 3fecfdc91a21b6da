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
 * What lets a JVM into a cluster: a 256-bit secret key, and a TLS key pair (EC P-256) with its
 * self-signed certificate ({@link SelfSigned}), in a PKCS#12 file that only its owner may read ({@code mproc.identity},
 * by default {@code identity.p12} under {@code $XDG_CONFIG_HOME/mproc} or {@code ~/.config/mproc}).
 * The first mproc JVM of a user makes it (mode 0600, in a directory of mode 0700); every later
 * one, workers and shell commands included, finds the same file; another host is given a copy
 * of it. A worker JVM does not read the file: its parent gives it the identity on its standard
 * input, a pipe no other process reads ({@link #line()}), never on its command line. A member
 * proves that it holds the key when it asks to join ({@link JoinProof}), and the event bus
 * speaks mutual TLS with that certificate alone ({@link Node#eventBusOptions}). The file's
 * password is fixed: its mode is what protects it.
 *
 * <p>A file made before the event bus had TLS holds the key alone: the first JVM that reads it
 * adds a key pair (the file before is kept as {@code NAME.old}). Copy it again to the cluster's
 * other hosts then, since each host would otherwise add a pair of its own.
 */
public final class ClusterIdentity {
    /** How a line that gives a worker its parent's identity begins. */
    private static final String LINE = "identity ";
    /** The key's entry in the file. */
    static final String ALIAS = "mproc-join";
    /** The entry of the event bus's TLS key pair and certificate in the file. */
    static final String TLS_ALIAS = "mproc-tls";
    private static final char[] PASSWORD = "mproc".toCharArray();
    /** The password of {@link #tlsStore}. */
    static final String TLS_PASSWORD = "mproc";
    private static final int KEY_BYTES = 32;
    /** System properties of the JDK's PKCS#12 store that {@link #write} sets while it writes. */
    private static final String[][] ONE_ROUND = {{"keystore.pkcs12.macIterationCount", "1"},
            {"keystore.pkcs12.certProtectionAlgorithm", "NONE"}}; // a certificate is public: not sealed

    private final Path file;
    private final Secrets secrets;
    private final boolean made;
    /** The event bus's key pair and certificate as Vert.x reads them ({@link #tlsStore}), made when first asked for. */
    private byte[] tlsStore;

    /**
     * What an identity holds: the join key, and the event bus's TLS private key (PKCS#8) and
     * certificate (X.509), DER; the pair is null in a file made before the event bus had TLS.
     */
    private record Secrets(byte[] key, byte[] tlsKey, byte[] tlsCertificate) {
        boolean complete() {
            return tlsKey != null && tlsCertificate != null;
        }
    }

    /** A file's secrets as last read, and the version of the file they were read from. */
    private record Read(java.util.List<Object> version, Secrets secrets) {
    }

    private static final java.util.Map<Path, Read> READ = new java.util.concurrent.ConcurrentHashMap<>();

    private ClusterIdentity(Path file, Secrets secrets, boolean made) {
        this.file = file;
        this.secrets = secrets;
        this.made = made;
    }

    private ClusterIdentity(Secrets secrets, byte[] tlsStore) {
        this(null, secrets, false);
        this.tlsStore = tlsStore;
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
     * first 8 bytes of the hash of the key and the certificate, in hex.
     */
    public String fingerprint() {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            digest.update(secrets.key());
            byte[] hash = digest.digest(secrets.tlsCertificate());
            StringBuilder text = new StringBuilder("SHA-256:");
            for (int i = 0; i < 8; i++) {
                text.append(i == 0 ? "" : ":").append(String.format("%02x", hash[i]));
            }
            return text.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no SHA-256: " + e, e);
        }
    }

    /**
     * A secret for one {@code purpose} (e.g. the HTTP token), derived from the key: HMAC-SHA256
     * of the purpose, base64url. Whoever holds the identity can derive it; it shows nothing of the key.
     */
    public String derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secrets.key(), "HmacSHA256"));
            return java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(purpose.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256: " + e, e);
        }
    }

    /** The identity in {@code file}, which must exist (nothing is made, but a TLS pair it lacks). */
    public static ClusterIdentity existing(Path file) {
        Path absolute = file.toAbsolutePath();
        if (!Files.isRegularFile(absolute)) {
            throw new IllegalArgumentException("there is no cluster identity at " + absolute
                    + " (an mproc JVM makes one on first use, or run.sh identity import brings one)");
        }
        return loadOrMake(absolute);
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
        Secrets given;
        try {
            given = read(new java.io.ByteArrayInputStream(bytes), "what was given");
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("what was given is not an mproc cluster identity (a PKCS#12 file"
                    + " from run.sh identity export): " + e.getCause());
        }
        if (!given.complete()) {
            throw new IllegalArgumentException("what was given was made before mproc's event bus had TLS: run"
                    + " run.sh identity show on its host (which completes it) and export it again");
        }
        try {
            if (Files.isRegularFile(absolute)) {
                Secrets there = read(absolute);
                if (java.util.Arrays.equals(there.key(), given.key()) && java.util.Arrays.equals(there.tlsCertificate(), given.tlsCertificate())) {
                    return new ClusterIdentity(absolute, there, false);
                }
                if (!force) {
                    throw new IllegalArgumentException(absolute + " holds another cluster identity: give --force to"
                            + " replace it (it is kept as " + backup(absolute).getFileName() + ")");
                }
                keepOld(absolute);
            }
            writeOwnerOnly(absolute, bytes);
            return new ClusterIdentity(absolute, given, true);
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

    /**
     * Reads {@code file}, or makes it when it does not exist, or adds the TLS pair it lacks
     * (one JVM at a time: a lock file beside it).
     */
    static ClusterIdentity loadOrMake(Path file) {
        Path absolute = file.toAbsolutePath();
        if (Files.isRegularFile(absolute)) {
            Secrets secrets = read(absolute);
            if (secrets.complete()) {
                return new ClusterIdentity(absolute, secrets, false);
            }
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
                } else {
                    Secrets before = read(absolute);
                    if (!before.complete()) {
                        keepOld(absolute);
                        write(absolute, before.key()); // the same key, and a TLS pair
                    }
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
     * spare it reading the file: a key store costs a fresh JVM ~0.17 CPU-s, measured): the key,
     * the {@link #tlsStore} and the certificate, Base64, separated by spaces.
     */
    String line() {
        Base64.Encoder base64 = Base64.getEncoder();
        return LINE + base64.encodeToString(secrets.key()) + " " + base64.encodeToString(tlsStore()) + " "
                + base64.encodeToString(secrets.tlsCertificate());
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
        String[] parts = line.substring(LINE.length()).trim().split(" ");
        if (parts.length != 3) {
            throw new IllegalArgumentException("the identity given on standard input has " + parts.length
                    + " parts, not 3 (key, TLS key store, TLS certificate)");
        }
        byte[][] decoded = new byte[3][];
        try {
            for (int i = 0; i < 3; i++) {
                decoded[i] = Base64.getDecoder().decode(parts[i]);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the identity given on standard input is not Base64: " + e.getMessage());
        }
        if (decoded[0].length != KEY_BYTES) {
            throw new IllegalArgumentException("the identity given on standard input holds " + decoded[0].length + " bytes, not " + KEY_BYTES);
        }
        return new ClusterIdentity(new Secrets(decoded[0], null, decoded[2]), decoded[1]);
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
        return secrets.key().clone();
    }

    /**
     * The event bus's TLS key pair and certificate as a JKS store (password {@link #TLS_PASSWORD}),
     * for Vert.x's {@code JksOptions}; it never leaves memory and a worker's standard input. Vert.x's
     * PEM options put the key into a PKCS#12 store of the JDK's default, whose 10,000 rounds of
     * password hash each way cost every worker JVM ~0.3 CPU-s of its start (measured: 42% of a TLS
     * worker's start samples); a PKCS#12 store of one round still has its loader check the
     * certificate's signature, in the JDK's Java code for EC (measured in a fresh JVM: load and key
     * manager 170-220 ms CPU, a JKS store 90-110 ms). JKS seals the key with the JDK's own cheap
     * scheme: what protects it is that it stays in memory, as the identity file's mode protects it.
     */
    synchronized byte[] tlsStore() {
        if (tlsStore == null) {
            try {
                java.security.cert.Certificate certificate = java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(secrets.tlsCertificate()));
                java.security.PrivateKey key = java.security.KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
                        .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(secrets.tlsKey()));
                KeyStore store = KeyStore.getInstance("JKS");
                store.load(null, null);
                store.setKeyEntry(TLS_ALIAS, key, TLS_PASSWORD.toCharArray(), new java.security.cert.Certificate[]{certificate});
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                store.store(bytes, TLS_PASSWORD.toCharArray());
                tlsStore = bytes.toByteArray();
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("the TLS key pair of the cluster identity " + file + " cannot be read: " + e
                        + " (run.sh identity rotate makes a new identity)", e);
            }
        }
        return tlsStore.clone();
    }

    /** The event bus's TLS certificate, self-signed, PEM: every member presents it and trusts it alone. */
    String tlsCertificatePem() {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(secrets.tlsCertificate())
                + "\n-----END CERTIFICATE-----\n";
    }

    private static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** Writes {@code key} and a new TLS key pair with its self-signed certificate ({@link SelfSigned}) to {@code file}. */
    private static void write(Path file, byte[] key) throws IOException {
        try {
            SelfSigned tls = SelfSigned.make("mproc cluster");
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setEntry(ALIAS, new KeyStore.SecretKeyEntry(new SecretKeySpec(key, "HmacSHA256")), oneRound());
            store.setEntry(TLS_ALIAS, new KeyStore.PrivateKeyEntry(tls.pair.getPrivate(),
                    new java.security.cert.Certificate[]{tls.certificate}), oneRound());
            writeOwnerOnly(file, storeBytes(store));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make the cluster identity's key pair or write a PKCS#12 key store: " + e, e);
        }
    }

    /**
     * {@code store} as bytes, with the fixed password. The file's mode protects it, not its
     * password: one round of the password hash instead of the JDK's 10,000, which every JVM
     * that reads it would pay (~40 ms warm, ~0.15 s in a fresh JVM). Keys are sealed at
     * {@code setEntry} ({@link #oneRound}), the MAC and certificates here, as the JDK's
     * system properties say while {@code store} runs (one writer at a time in this JVM).
     */
    private static synchronized byte[] storeBytes(KeyStore store) throws IOException, GeneralSecurityException {
        String[] before = new String[ONE_ROUND.length];
        try {
            for (int i = 0; i < ONE_ROUND.length; i++) {
                before[i] = System.getProperty(ONE_ROUND[i][0]);
                System.setProperty(ONE_ROUND[i][0], ONE_ROUND[i][1]);
            }
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            store.store(bytes, PASSWORD);
            return bytes.toByteArray();
        } finally {
            for (int i = 0; i < ONE_ROUND.length; i++) {
                if (before[i] == null) {
                    System.clearProperty(ONE_ROUND[i][0]);
                } else {
                    System.setProperty(ONE_ROUND[i][0], before[i]);
                }
            }
        }
    }

    /** The fixed password, with one round of its hash. */
    private static KeyStore.PasswordProtection oneRound() {
        byte[] salt = new byte[20];
        new SecureRandom().nextBytes(salt);
        return new KeyStore.PasswordProtection(PASSWORD, "PBEWithHmacSHA256AndAES_256", new PBEParameterSpec(salt, 1));
    }

    /**
     * What {@code file} holds. A JVM that opens many contexts reads the file once while it
     * stays as it was (same size and modification time): a key store costs a JVM's first read
     * ~0.15 s, and a file made before its password hash took one round ~40 ms at every read.
     */
    private static Secrets read(Path file) {
        try {
            java.nio.file.attribute.BasicFileAttributes attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            java.util.List<Object> version = java.util.Arrays.asList(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
            Read cached = READ.get(file);
            if (cached != null && cached.version.equals(version)) {
                return cached.secrets;
            }
            Secrets secrets;
            try (InputStream in = Files.newInputStream(file)) {
                secrets = read(in, "the cluster identity " + file);
            }
            READ.put(file, new Read(version, secrets));
            return secrets;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the cluster identity " + file + ": " + e
                    + " (copy it again from the cluster's host, or delete it to make a new one)", e);
        }
    }

    /** What the key store {@code in} holds; {@code what} names it in a failure. */
    private static Secrets read(InputStream in, String what) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            KeyStore.PasswordProtection password = new KeyStore.PasswordProtection(PASSWORD);
            if (!(store.getEntry(ALIAS, password) instanceof KeyStore.SecretKeyEntry entry)) {
                throw new IllegalStateException(what + " holds no key named " + ALIAS);
            }
            SecretKey secret = entry.getSecretKey();
            if (store.getEntry(TLS_ALIAS, password) instanceof KeyStore.PrivateKeyEntry tls) {
                return new Secrets(secret.getEncoded(), tls.getPrivateKey().getEncoded(), tls.getCertificate().getEncoded());
            }
            return new Secrets(secret.getEncoded(), null, null);
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
