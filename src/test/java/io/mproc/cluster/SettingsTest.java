package io.mproc.cluster;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class SettingsTest {

    @Test
    void aSystemPropertyWinsOverTheConfFileWhichWinsOverTheDefault(@TempDir Path conf) throws Exception {
        Files.writeString(conf.resolve("mproc.properties"), "mproc.test.key=from-file\nmproc.host=10.0.0.1\n");
        Files.writeString(conf.resolve("jvm.options"), "# comment\n-Xmx64m\n\n  -Dx=y  # trailing\n");
        System.setProperty("mproc.conf.dir", conf.toString());
        try {
            Settings settings = Settings.load();
            assertThat(settings.get("mproc.test.key", "default")).isEqualTo("from-file");
            assertThat(settings.get("mproc.absent.key", "default")).isEqualTo("default");
            assertThat(settings.jvmOptions()).containsExactly("-Xmx64m", "-Dx=y");
            System.setProperty("mproc.test.key", "from-property");
            assertThat(settings.get("mproc.test.key", "default")).isEqualTo("from-property");
        } finally {
            System.clearProperty("mproc.conf.dir");
            System.clearProperty("mproc.test.key");
        }
    }

    @Test
    void theBundledConfIsTheDefault() {
        Settings settings = Settings.load();
        assertThat(settings.get("mproc.host", null)).isEqualTo("127.0.0.1");
        assertThat(settings.jvmOptions()).contains("-XX:+UseSerialGC");
    }

    @Test
    void badValuesSayWhatIsWrong() {
        System.setProperty("mproc.test.int", "lots");
        try {
            assertThatThrownBy(() -> Settings.load().getInt("mproc.test.int", 1))
                    .hasMessage("mproc.test.int must be an integer: 'lots'");
        } finally {
            System.clearProperty("mproc.test.int");
        }
        System.setProperty("mproc.conf.dir", "/no/such/dir");
        try {
            assertThatThrownBy(Settings::load).hasMessageContaining("not a directory");
        } finally {
            System.clearProperty("mproc.conf.dir");
        }
    }

    @Test
    void blockingCallsFailFastOnAnEventLoop() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<Throwable> seen = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                try {
                    Blocking.checkNotOnEventLoop("Pool.map");
                    seen.complete(null);
                } catch (IllegalStateException e) {
                    seen.complete(e);
                }
            });
            assertThat(seen.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("Pool.map");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
