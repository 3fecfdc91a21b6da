package io.mproc.cluster;

import org.junit.jupiter.api.Test;

import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The event bus's key pair and certificate, made in this JVM: no cluster, milliseconds. */
class SelfSignedTest {

    @Test
    void theCertificateIsAValidSelfSignedP256OneForItsKeyPair() throws Exception {
        SelfSigned made = SelfSigned.make("mproc cluster");
        X509Certificate certificate = made.certificate;
        assertThat(certificate.getVersion()).isEqualTo(3);
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=mproc cluster");
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(certificate.getSerialNumber().signum()).isPositive();
        assertThatCode(certificate::checkValidity).doesNotThrowAnyException();
        assertThat(certificate.getNotAfter().getTime()).as("no well-defined expiry").isGreaterThan(253_402_000_000_000L);
        assertThatCode(() -> certificate.verify(certificate.getPublicKey())).doesNotThrowAnyException();
        assertThat(certificate.getPublicKey()).isEqualTo(made.pair.getPublic());
        Signature sign = Signature.getInstance("SHA256withECDSA");
        sign.initSign(made.pair.getPrivate());
        sign.update(new byte[]{1, 2, 3});
        byte[] signature = sign.sign();
        Signature verify = Signature.getInstance("SHA256withECDSA");
        verify.initVerify(certificate);
        verify.update(new byte[]{1, 2, 3});
        assertThat(verify.verify(signature)).isTrue();
        assertThat(SelfSigned.make("mproc cluster").certificate).as("another pair each time").isNotEqualTo(certificate);
    }

    @Test
    void derLengthsTakeTheShortAndBothLongForms() {
        assertThat(SelfSigned.der(0x04, new byte[3])).startsWith(0x04, 3);
        assertThat(SelfSigned.der(0x04, new byte[127])).startsWith(0x04, 127).hasSize(129);
        assertThat(SelfSigned.der(0x04, new byte[128])).startsWith(0x04, 0x81, 128).hasSize(131);
        assertThat(SelfSigned.der(0x30, new byte[100], new byte[200])).startsWith(0x30, 0x82, 0x01, 0x2C).hasSize(304);
    }
}
