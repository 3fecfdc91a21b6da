package io.mproc.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A new EC P-256 key pair and its self-signed X.509 certificate, made in this JVM: the JDK signs
 * (ECDSA with SHA-256) but has no API that builds a certificate, so its few DER fields are
 * written here. No extensions, subject and issuer {@code CN=mproc cluster}, valid from a day
 * ago to 9999 (RFC 5280's "no well-defined expiration"). The cluster's peers trust this one
 * certificate alone, so nothing else in it is checked. (The JDK's {@code keytool} could make
 * it too, but as a JVM of its own: ~1 s at a user's first start, and at every identity a test makes.)
 */
final class SelfSigned {
    /** ecdsa-with-SHA256, 1.2.840.10045.4.3.2. */
    private static final byte[] ECDSA_SHA256 = {0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02};
    /** commonName, 2.5.4.3. */
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};

    final KeyPair pair;
    final X509Certificate certificate;

    private SelfSigned(KeyPair pair, X509Certificate certificate) {
        this.pair = pair;
        this.certificate = certificate;
    }

    static SelfSigned make(String commonName) throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair pair = generator.generateKeyPair();
        byte[] serial = new byte[16];
        random.nextBytes(serial);
        serial[0] &= 0x7F; // a positive INTEGER
        byte[] algorithm = der(0x30, ECDSA_SHA256);
        byte[] name = der(0x30, der(0x31, der(0x30, COMMON_NAME, der(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
        ZonedDateTime from = ZonedDateTime.now(ZoneOffset.UTC).minusDays(1);
        byte[] validity = der(0x30,
                der(0x17, from.format(DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")).getBytes(StandardCharsets.US_ASCII)),
                der(0x18, "99991231235959Z".getBytes(StandardCharsets.US_ASCII)));
        byte[] tbs = der(0x30,
                der(0xA0, der(0x02, new byte[]{2})), // version 3
                der(0x02, new BigInteger(1, serial).toByteArray()),
                algorithm, name, validity, name,
                pair.getPublic().getEncoded()); // SubjectPublicKeyInfo, as the JDK encodes it
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate(), random);
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bits = new byte[signature.length + 1]; // a BIT STRING: no unused bits, then the signature
        System.arraycopy(signature, 0, bits, 1, signature.length);
        byte[] encoded = der(0x30, tbs, algorithm, der(0x03, bits));
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(encoded));
        certificate.verify(pair.getPublic()); // what was written is what the JDK reads and checks
        return new SelfSigned(pair, certificate);
    }

    /** A DER element: {@code tag}, the length of the parts together, the parts. */
    static byte[] der(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        int length = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 4);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            if (length > 0xFFFF) {
                throw new IllegalArgumentException("a DER element of " + length + " bytes: more than this writer takes");
            }
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xFF);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
