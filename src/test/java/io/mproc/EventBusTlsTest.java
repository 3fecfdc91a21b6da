package io.mproc;

import io.mproc.cluster.Nodes;
import io.mproc.runtime.LocalContext;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event bus of every JVM of a cluster speaks mutual TLS: a client without the cluster's
 * certificate, or one that speaks no TLS, gets nothing through at any event-bus port, and the
 * cluster goes on as before.
 */
@Timeout(180)
class EventBusTlsTest extends SharedCluster {

    @Test
    void aClientWithoutTheClustersCertificateOrWithoutTlsIsRefusedAtEveryEventBusPort() throws Exception {
        try (Pool pool = mp.pool(2)) {
            Set<Long> workers = new HashSet<>(pool.map(Tasks::slowPid, Collections.nCopies(20, 20)));
            assertThat(workers).hasSize(2);
            List<NodeInfo> ports = eventBusPorts();
            assertThat(ports).as("the driver's and the workers' event buses").hasSizeGreaterThanOrEqualTo(3);
            for (NodeInfo node : ports) {
                assertThat(plainClientAnswer(node)).as("what a plain TCP client at %s gets back", node)
                        .satisfies(answer -> assertThat(answer.length == 0 || answer[0] == 0x15)
                                .as("nothing, or a TLS alert record").isTrue());
                assertThat(tlsClientWithoutCertificate(node)).as("a TLS client without a certificate at %s", node)
                        .isInstanceOf(IOException.class);
            }
            assertThat(workers).as("no worker died").allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            assertThat(new HashSet<>(pool.map(Tasks::slowPid, Collections.nCopies(20, 20)))).as("the pool still maps, on the same JVMs")
                    .isEqualTo(workers);
        }
    }

    /**
     * Workers load BoringSSL from the copy unpacked once in mproc's cache, not each from a
     * copy of its own in the temporary directory (3 MB inflated and written per JVM).
     */
    @Test
    void workersLoadBoringSslFromTheCopyUnpackedOnceInTheCache() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        Assumptions.assumeTrue(Files.isReadable(maps), "needs /proc (Linux)");
        try (Pool pool = mp.pool(2)) {
            Set<Long> workers = new HashSet<>(pool.map(Tasks::slowPid, Collections.nCopies(20, 20)));
            assertThat(workers).hasSize(2);
            String library = System.mapLibraryName("netty_tcnative_" + PlatformDependent.normalizedOs() + "_"
                    + PlatformDependent.normalizedArch());
            for (long pid : workers) {
                List<String> loaded = Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream()
                        .filter(line -> line.contains("netty_tcnative") && line.contains(".so"))
                        .map(line -> line.substring(line.indexOf('/'))).distinct().toList();
                assertThat(loaded).as("BoringSSL's library in worker %d", pid).singleElement()
                        .satisfies(path -> assertThat(Path.of(path).getFileName().toString()).isEqualTo(library))
                        .satisfies(path -> assertThat(Path.of(path).getParent().getParent().getFileName().toString()).isEqualTo("native"));
            }
        }
    }

    /** Host and port of the event bus of every member of the test's cluster. */
    private static List<NodeInfo> eventBusPorts() throws Exception {
        ClusterManager manager = ((VertxInternal) Nodes.of(((LocalContext) mp).clusterName())).clusterManager();
        List<NodeInfo> nodes = new ArrayList<>();
        for (String id : manager.getNodes()) {
            Promise<NodeInfo> info = Promise.promise();
            manager.getNodeInfo(id, info);
            nodes.add(info.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
        return nodes;
    }

    /**
     * Sends bytes as a client without TLS would (the start of an event-bus frame) and returns
     * what comes back until the server closes the connection; a server that waits for more
     * (a plain event bus) fails the test after 10 s.
     */
    private static byte[] plainClientAnswer(NodeInfo node) throws IOException {
        try (Socket plain = new Socket(node.host(), node.port())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write(new byte[]{0, 0, 0, 64, 1, 2, 3, 4, 5, 6, 7, 8});
            plain.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = plain.getInputStream();
            try {
                for (int b = in.read(); b >= 0; b = in.read()) {
                    answer.write(b);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError(node + " kept a connection that speaks no TLS open for 10 s", e);
            } catch (IOException reset) {
                // closed by a reset: refused as well
            }
            return answer.toByteArray();
        }
    }

    /**
     * Connects with TLS 1.3, trusting any server but showing no certificate, and tries one
     * exchange; returns how it failed, or null when the server let it through.
     */
    private static Exception tlsClientWithoutCertificate(NodeInfo node) throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, new TrustManager[]{new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(node.host(), node.port())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake(); // in TLS 1.3 the server judges the client's certificate after the client's handshake ends
            socket.getOutputStream().write(new byte[]{0, 0, 0, 64, 1, 2, 3, 4});
            socket.getOutputStream().flush();
            int read = socket.getInputStream().read();
            return read < 0 ? new IOException("closed by the server") : null;
        } catch (SocketTimeoutException e) {
            return null; // held open without a certificate: let through
        } catch (SSLException | java.net.SocketException e) {
            return e;
        }
    }
}
