package io.mproc.web;

import io.mproc.cluster.ClusterIdentity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP face's rules without a server: which addresses the bridge reaches, the token, the message's JSON. */
@Timeout(10)
class WebRulesTest {

    @Test
    void theBridgeReachesTheSupervisorTheDemoAndUserAddressesButNoInternalOne() {
        assertThat(BridgePolicy.refusal("mproc.supervisor")).isNull();
        assertThat(BridgePolicy.refusal("mproc.demo.square")).isNull();
        assertThat(BridgePolicy.refusal("com.example.prices")).isNull();
        for (String internal : new String[]{"mproc.pools", "mproc.pool.p1", "mproc.queue.q1", "mproc.wake.m1", "mproc.worker.w1.control",
                "mproc.supervisor.x", "__vertx.reply.1"}) {
            assertThat(BridgePolicy.refusal(internal)).as(internal).contains("internal");
        }
        assertThat(BridgePolicy.refusal("")).contains("no address");
    }

    private static ClusterIdentity madeAt(Path file) {
        System.setProperty("mproc.identity", file.toString());
        try {
            return ClusterIdentity.load(io.mproc.cluster.Settings.load());
        } finally {
            System.clearProperty("mproc.identity");
        }
    }

    @Test
    void theTokenIsDerivedFromTheIdentitySoEveryHostHoldingItAgreesAndWithoutOneItIsRandom(@TempDir Path dir) {
        ClusterIdentity identity = madeAt(dir.resolve("identity.p12"));
        WebToken token = WebToken.of(identity);
        assertThat(WebToken.of(ClusterIdentity.existing(dir.resolve("identity.p12"))).value()).isEqualTo(token.value());
        assertThat(token.value()).hasSize(43).doesNotContain("=", "+", "/");
        assertThat(token.accepts(token.value())).isTrue();
        assertThat(token.accepts(token.value() + "x")).isFalse();
        assertThat(token.accepts(null)).isFalse();
        assertThat(WebToken.of(madeAt(dir.resolve("other.p12"))).value()).as("another identity").isNotEqualTo(token.value());
        assertThat(WebToken.of(null).value()).isNotEqualTo(WebToken.of(null).value());
    }

    @Test
    void aMessageIsJsonOtherThanNullAndTheTimeoutIsSecondsInRange() {
        assertThat(Messages.decode("{\"n\": 7}")).isEqualTo(new JsonObject().put("n", 7));
        assertThat(Messages.decode("[1, \"two\"]")).isEqualTo(new JsonArray().add(1).add("two"));
        assertThat(Messages.decode("\"hi\"")).isEqualTo("hi");
        assertThatThrownBy(() -> Messages.decode("{\"n\": 7")).hasMessageStartingWith("malformed JSON message '{\"n\": 7'");
        assertThatThrownBy(() -> Messages.decode("null")).hasMessageContaining("JSON null");
        assertThat(Messages.encode(new JsonObject().put("square", 49))).isEqualTo("{\"square\":49}");
        assertThat(Messages.encode("hi")).isEqualTo("\"hi\"");
        assertThat(Messages.encode(null)).isEqualTo("null");

        assertThat(ClusterWeb.timeoutMs(null)).isEqualTo(10_000);
        assertThat(ClusterWeb.timeoutMs("0.5")).isEqualTo(500);
        assertThatThrownBy(() -> ClusterWeb.timeoutMs("zero")).hasMessageContaining("number of seconds");
        assertThatThrownBy(() -> ClusterWeb.timeoutMs("0")).hasMessageContaining("> 0");
        assertThatThrownBy(() -> ClusterWeb.timeoutMs("301")).hasMessageContaining("<= 300");
    }
}
