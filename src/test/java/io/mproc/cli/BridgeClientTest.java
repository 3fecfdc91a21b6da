package io.mproc.cli;

import io.mproc.cluster.ClusterAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** Which answers a shell command takes from an HTTP bridge: only those of the cluster it named. */
@Timeout(10)
class BridgeClientTest {

    @Test
    void onlyTheBridgeOfTheClusterAskedForIsTakenElseTheCommandJoins() {
        ClusterAddress asked = ClusterAddress.parse("mproc@127.0.0.1:5701");
        assertThat(BridgeClient.sameCluster(asked, "mproc@127.0.0.1:5701")).isTrue();
        assertThat(BridgeClient.sameCluster(asked, "mproc@10.0.0.5:5701")).as("the host it reached, by another name").isTrue();
        assertThat(BridgeClient.sameCluster(asked, "other@127.0.0.1:5701")).as("another cluster's name").isFalse();
        assertThat(BridgeClient.sameCluster(asked, "mproc@127.0.0.1:5702")).as("another cluster on the host").isFalse();
        assertThat(BridgeClient.sameCluster(asked, "")).as("no header: not an mproc bridge").isFalse();
        assertThat(BridgeClient.sameCluster(asked, "garbage")).isFalse();
    }
}
