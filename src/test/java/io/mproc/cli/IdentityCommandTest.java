package io.mproc.cli;

import io.mproc.cluster.ClusterIdentity;
import io.mproc.cluster.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code run.sh identity}, through run.sh's own command line, on identity files in a temporary directory. */
class IdentityCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void forget() {
        System.clearProperty("mproc.identity");
    }

    private int run(Path identity, String... args) {
        System.setProperty("mproc.identity", identity.toString());
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        String[] all = new String[args.length + 1];
        all[0] = "identity";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(all);
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void anIdentityIsShownByItsFingerprintExportedOwnerOnlyAndImportedElsewhereAsTheSame(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("a").resolve("identity.p12");
        assertThat(run(home, "show")).isZero();
        assertThat(out.toString()).contains("no cluster identity at " + home);

        System.setProperty("mproc.identity", home.toString());
        String fingerprint = ClusterIdentity.load(Settings.load()).fingerprint(); // as the first JVM makes it
        assertThat(fingerprint).matches("SHA-256:[0-9a-f]{2}(:[0-9a-f]{2}){7}");
        assertThat(run(home)).isZero();
        assertThat(out.toString().trim()).isEqualTo(home + " " + fingerprint);

        Path copy = dir.resolve("copy.p12");
        assertThat(run(home, "export", copy.toString())).isZero();
        assertThat(copy).hasSameBinaryContentAs(home);
        assertThat(mode(copy)).isEqualTo("rw-------");
        assertThat(err.toString()).contains("exported " + fingerprint);
        assertThat(run(home, "export", copy.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(copy + " exists");

        assertThat(run(home, "export", "-")).isZero();
        assertThat(Base64.getDecoder().decode(out.toString().trim())).isEqualTo(Files.readAllBytes(home));

        Path other = dir.resolve("b").resolve("identity.p12"); // another host's place
        assertThat(run(other, "import", copy.toString())).isZero();
        assertThat(out.toString()).contains("imported " + fingerprint);
        assertThat(mode(other)).isEqualTo("rw-------");
        assertThat(mode(other.getParent())).isEqualTo("rwx------");
        assertThat(run(other, "import", copy.toString())).isZero();
        assertThat(out.toString()).contains("already here: " + fingerprint);
    }

    @Test
    void rotatingKeepsTheOldOneAndAnotherIdentityIsReplacedOnlyWhenForced(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("identity.p12");
        System.setProperty("mproc.identity", home.toString());
        String before = ClusterIdentity.load(Settings.load()).fingerprint();
        Path exported = dir.resolve("before.p12");
        assertThat(run(home, "export", exported.toString())).isZero();

        assertThat(run(home, "rotate")).isZero();
        assertThat(out.toString()).contains("Restart running clusters");
        String after = ClusterIdentity.existing(home).fingerprint();
        assertThat(after).isNotEqualTo(before);
        Path old = dir.resolve("identity.p12.old");
        assertThat(ClusterIdentity.existing(old).fingerprint()).isEqualTo(before);
        assertThat(mode(old)).isEqualTo("rw-------");

        assertThat(run(home, "import", exported.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("holds another cluster identity").contains("--force");
        assertThat(ClusterIdentity.existing(home).fingerprint()).isEqualTo(after); // nothing lost
        assertThat(run(home, "import", "--force", exported.toString())).isZero();
        assertThat(ClusterIdentity.existing(home).fingerprint()).isEqualTo(before);
        assertThat(ClusterIdentity.existing(old).fingerprint()).isEqualTo(after);

        Path junk = Files.writeString(dir.resolve("junk.p12"), "not a key store");
        assertThat(run(home, "import", junk.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("not an mproc cluster identity");
        assertThat(run(dir.resolve("none.p12"), "rotate")).isEqualTo(2);
        assertThat(err.toString()).contains("there is no cluster identity at");
    }
}
