package io.mproc.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The join check's proof, and the identity file it is made from: no cluster, milliseconds. */
class JoinProofTest {
    private static final long NOW = 1_800_000_000_000L;
    private final byte[] key = new byte[32];
    private final UUID member = UUID.randomUUID();

    @Test
    void aProofMadeWithTheKeyPassesAndAgainForTheSameMember() {
        JoinProof check = new JoinProof(key, "c1");
        String proof = new JoinProof(key, "c1").make(NOW);
        assertThatCode(() -> check.check(proof, member, NOW + 1_000)).doesNotThrowAnyException();
        assertThatCode(() -> check.check(proof, member, NOW + 2_000)).as("Hazelcast sends a join request again").doesNotThrowAnyException();
    }

    @Test
    void noProofAnotherKeyAnotherClusterAStaleProofOrAReplayByAnotherMemberIsRefused() {
        JoinProof check = new JoinProof(key, "c1");
        assertThatThrownBy(() -> check.check(null, member, NOW)).hasMessageContaining("shows no proof");
        byte[] other = key.clone();
        other[0] = 1;
        assertThatThrownBy(() -> check.check(new JoinProof(other, "c1").make(NOW), member, NOW)).hasMessageContaining("not made with")
                .satisfies(e -> assertThat(JoinProof.why(e.getMessage())).as("the reason alone, as a refused JVM says it")
                        .startsWith("its proof was not made with the cluster's identity"));
        assertThatThrownBy(() -> check.check(new JoinProof(key, "c2").make(NOW), member, NOW)).hasMessageContaining("not made with");
        assertThatThrownBy(() -> check.check(new JoinProof(key, "c1").make(NOW - JoinProof.FRESH_MS - 1), member, NOW))
                .hasMessageContaining("old");
        String proof = new JoinProof(key, "c1").make(NOW);
        check.check(proof, member, NOW);
        assertThatThrownBy(() -> check.check(proof, UUID.randomUUID(), NOW)).hasMessageContaining("shown before by another member");
        String[] parts = proof.split(":");
        assertThatThrownBy(() -> check.check((NOW + 1) + ":" + parts[1] + ":" + parts[2], member, NOW))
                .as("the time is under the MAC").hasMessageContaining("not made with");
    }

    @Test
    void securityIsOnUnlessSaidOffAndAnythingElseIsNamed() {
        assertThat(ClusterIdentity.required(Settings.load())).isTrue();
        try {
            System.setProperty("mproc.security", "off");
            assertThat(ClusterIdentity.required(Settings.load())).isFalse();
            System.setProperty("mproc.security", "maybe");
            assertThatThrownBy(() -> ClusterIdentity.required(Settings.load())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("mproc.security must be on or off: 'maybe'");
        } finally {
            System.clearProperty("mproc.security");
        }
    }

    @Test
    void theIdentityIsMadeOnceOwnerOnlyAndReadBackTheSame(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("conf").resolve("identity.p12");
        ClusterIdentity made = ClusterIdentity.loadOrMake(file);
        ClusterIdentity read = ClusterIdentity.loadOrMake(file);
        assertThat(made.made()).isTrue();
        assertThat(read.made()).isFalse();
        assertThat(read.key()).hasSize(32).isEqualTo(made.key());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(ClusterIdentity.loadOrMake(dir.resolve("other.p12")).key()).isNotEqualTo(made.key());
        assertThat(pbkdf2Rounds(Files.readAllBytes(file))).as("rounds of the password hash sealing the key").isEqualTo(1);
        Files.writeString(file, "not a key store");
        assertThatThrownBy(() -> ClusterIdentity.loadOrMake(file)).hasMessageContaining("cannot read the cluster identity " + file);
    }

    /**
     * The largest iteration count of the PBKDF2 parameters in a PKCS#12 file: after the algorithm's
     * identifier (1.2.840.113549.1.5.12) come SEQUENCE { OCTET STRING salt, INTEGER rounds }.
     */
    private static int pbkdf2Rounds(byte[] file) {
        byte[] pbkdf2 = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x05, 0x0C};
        int most = -1;
        for (int at = 0; at + pbkdf2.length < file.length; at++) {
            if (java.util.Arrays.equals(file, at, at + pbkdf2.length, pbkdf2, 0, pbkdf2.length)) {
                int i = at + pbkdf2.length + 2; // past the SEQUENCE's tag and length
                assertThat(file[i]).as("salt's tag").isEqualTo((byte) 0x04);
                i += 2 + file[i + 1];
                assertThat(file[i]).as("rounds' tag").isEqualTo((byte) 0x02);
                int rounds = 0;
                for (int b = 0; b < file[i + 1]; b++) {
                    rounds = rounds << 8 | (file[i + 2 + b] & 0xFF);
                }
                most = Math.max(most, rounds);
            }
        }
        assertThat(most).as("PBKDF2 parameters in the file").isNotNegative();
        return most;
    }

    @Test
    void aWorkerIsGivenTheIdentityInOneLineOfItsStandardInputAndABadLineSaysWhy(@TempDir Path dir) {
        ClusterIdentity parent = ClusterIdentity.loadOrMake(dir.resolve("identity.p12"));
        String line = parent.line();
        assertThat(line).startsWith("identity ").doesNotContain("\n");
        ClusterIdentity worker = ClusterIdentity.fromLine(line);
        assertThat(worker.key()).isEqualTo(parent.key());
        assertThat(worker.tlsStore()).isEqualTo(parent.tlsStore());
        assertThat(worker.tlsCertificatePem()).isEqualTo(parent.tlsCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n");
        assertThat(worker.fingerprint()).isEqualTo(parent.fingerprint());
        assertThat(ClusterIdentity.fromLine("join")).isNull();
        assertThatThrownBy(() -> ClusterIdentity.fromLine("identity %%% AAAA AAAA")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not Base64");
        assertThatThrownBy(() -> ClusterIdentity.fromLine("identity AAAA")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 1 parts, not 3");
        assertThatThrownBy(() -> ClusterIdentity.fromLine("identity AAAA AAAA AAAA")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds 3 bytes, not 32");
    }

    /**
     * The event bus's key pair, as Vert.x is given it: the identity's certificate, and the private
     * key of its public key, in a JKS store (whose loader, unlike PKCS#12's, checks no signature).
     */
    @Test
    void theTlsStoreIsAJksStoreOfTheCertificatesKeyPair(@TempDir Path dir) throws Exception {
        ClusterIdentity identity = ClusterIdentity.loadOrMake(dir.resolve("identity.p12"));
        byte[] bytes = identity.tlsStore();
        assertThat(java.nio.ByteBuffer.wrap(bytes).getInt()).as("JKS's magic number").isEqualTo(0xFEEDFEED);
        KeyStore store = KeyStore.getInstance("JKS");
        store.load(new ByteArrayInputStream(bytes), ClusterIdentity.TLS_PASSWORD.toCharArray());
        assertThat(java.util.Collections.list(store.aliases())).containsExactly(ClusterIdentity.TLS_ALIAS);
        KeyStore.PrivateKeyEntry entry = (KeyStore.PrivateKeyEntry) store.getEntry(ClusterIdentity.TLS_ALIAS,
                new KeyStore.PasswordProtection(ClusterIdentity.TLS_PASSWORD.toCharArray()));
        X509Certificate certificate = (X509Certificate) entry.getCertificate();
        assertThat(identity.tlsCertificatePem()).contains(Base64.getMimeEncoder(64, new byte[]{'\n'})
                .encodeToString(certificate.getEncoded()).lines().findFirst().orElseThrow());
        Signature sign = Signature.getInstance("SHA256withECDSA");
        sign.initSign(entry.getPrivateKey());
        sign.update(key);
        byte[] signature = sign.sign();
        Signature verify = Signature.getInstance("SHA256withECDSA");
        verify.initVerify(certificate.getPublicKey());
        verify.update(key);
        assertThat(verify.verify(signature)).as("the private key is the certificate's").isTrue();
        assertThat(ClusterIdentity.loadOrMake(dir.resolve("other.p12")).tlsCertificatePem()).as("another identity, another pair")
                .isNotEqualTo(identity.tlsCertificatePem());
    }

    /** A file of the first identities, a key alone: it keeps its key, gets a key pair once, and the file before is kept. */
    @Test
    void aFileMadeBeforeTheEventBusHadTlsKeepsItsKeyAndGetsAKeyPair(@TempDir Path dir) throws Exception {
        byte[] joinKey = new byte[32];
        joinKey[5] = 5;
        KeyStore old = KeyStore.getInstance("PKCS12");
        old.load(null, null);
        old.setEntry(ClusterIdentity.ALIAS, new KeyStore.SecretKeyEntry(new SecretKeySpec(joinKey, "HmacSHA256")),
                new KeyStore.PasswordProtection("mproc".toCharArray()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        old.store(bytes, "mproc".toCharArray());
        Path file = dir.resolve("identity.p12");
        Files.write(file, bytes.toByteArray());
        assertThatThrownBy(() -> ClusterIdentity.install(bytes.toByteArray(), dir.resolve("elsewhere.p12"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before mproc's event bus had TLS");

        ClusterIdentity upgraded = ClusterIdentity.loadOrMake(file);
        assertThat(upgraded.key()).isEqualTo(joinKey);
        assertThat(upgraded.made()).isFalse();
        assertThat(dir.resolve("identity.p12.old")).hasBinaryContent(bytes.toByteArray());
        assertThat(ClusterIdentity.loadOrMake(file).tlsCertificatePem()).as("read again: the same pair").isEqualTo(upgraded.tlsCertificatePem());
        assertThat(ClusterIdentity.existing(file).fingerprint()).isEqualTo(upgraded.fingerprint());
    }
}
