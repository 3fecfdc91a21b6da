package io.mproc.cli;

import io.mproc.cluster.ClusterAddress;
import io.mproc.cluster.ClusterIdentity;
import io.mproc.cluster.Settings;
import io.mproc.web.ClusterWeb;
import io.mproc.web.WebToken;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A shell command's way to a standing cluster over its HTTP endpoints ({@link ClusterWeb}), on
 * the cluster's host and {@code mproc.http.port}: one request, no cluster join, so
 * {@code run.sh send} and {@code status} take a fraction of a second instead of the two a JVM
 * takes to join. When nothing answers there, or what answers is another cluster or refuses
 * this host's token, the command joins the cluster as before ({@link ClusterClient}), which then
 * says what is wrong.
 */
final class BridgeClient {
    private static final Duration CONNECT_PATIENCE = Duration.ofSeconds(2);

    private final URI base;
    private final String token;
    private final ClusterAddress cluster;

    private BridgeClient(URI base, String token, ClusterAddress cluster) {
        this.base = base;
        this.token = token;
        this.cluster = cluster;
    }

    /** The bridge of the cluster {@code --cluster} names ({@link ClusterClient#addressOf}), if this host holds the identity it asks for. */
    static Optional<BridgeClient> of(String clusterOption) {
        Settings settings = Settings.load();
        return of(ClusterClient.addressOf(clusterOption, settings), settings);
    }

    /** The bridge of {@code cluster}, if this host holds the identity whose token it asks for. */
    static Optional<BridgeClient> of(ClusterAddress cluster, Settings settings) {
        int port = settings.getInt("mproc.http.port", ClusterCommand.DEFAULT_HTTP_PORT);
        if (port <= 0 || !ClusterIdentity.required(settings)) {
            return Optional.empty(); // a cluster without identity has a random token: only its banner knows it
        }
        Path identity = ClusterIdentity.path(settings);
        if (!Files.isRegularFile(identity)) {
            return Optional.empty();
        }
        return Optional.of(new BridgeClient(URI.create(ClusterWeb.base(cluster.host(), port)),
                WebToken.of(ClusterIdentity.existing(identity)).value(), cluster));
    }

    /** What the bridge answered: the HTTP status and the body. */
    record Answer(int status, String body) {
    }

    /** {@code POST /eventbus/ADDRESS}: the answer, or empty when this is not the cluster's bridge. */
    Optional<Answer> send(String address, String json, Duration timeout) {
        String path = "/eventbus/" + URLEncoder.encode(address, StandardCharsets.UTF_8) + "?timeout=" + timeout.toMillis() / 1000.0;
        return call("POST", path, json, timeout.plusSeconds(5));
    }

    /** {@code GET /api/status}: the answer, or empty when this is not the cluster's bridge. */
    Optional<Answer> status() {
        return call("GET", "/api/status", null, Duration.ofSeconds(20));
    }

    /**
     * One request. {@link HttpURLConnection}, not the JDK's {@code HttpClient}: that one sets up
     * TLS (the JDK's trust store included) even for plain HTTP, ~0.3 s of a shell command's start.
     */
    private Optional<Answer> call(String method, String path, String body, Duration timeout) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) base.resolve(path).toURL().openConnection(java.net.Proxy.NO_PROXY);
            connection.setRequestMethod(method);
            connection.setConnectTimeout((int) CONNECT_PATIENCE.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setRequestProperty("Authorization", "Bearer " + token);
            if (body != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = connection.getResponseCode();
            String answered = connection.getHeaderField(ClusterWeb.CLUSTER_HEADER);
            if (status == 401 || !sameCluster(answered == null ? "" : answered)) {
                return Optional.empty();
            }
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                return Optional.of(new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            return Optional.empty(); // nothing listens there, or it is not an HTTP server: join instead
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /** Where the bridge is asked, for {@code --verbose}. */
    URI base() {
        return base;
    }

    ClusterAddress cluster() {
        return cluster;
    }

    /** What went wrong, from a failed answer's {@code {"error": "..."}}. */
    static String error(Answer answer) {
        try {
            return new io.vertx.core.json.JsonObject(answer.body()).getString("error", answer.body());
        } catch (RuntimeException e) {
            return "HTTP " + answer.status() + ": " + answer.body();
        }
    }

    /** Whether {@code answered} ({@code name@host:port}) is the cluster asked for: same name and port (the host was reached). */
    boolean sameCluster(String answered) {
        return sameCluster(cluster, answered);
    }

    static boolean sameCluster(ClusterAddress asked, String answered) {
        try {
            ClusterAddress there = ClusterAddress.parse(answered);
            return there.name().equals(asked.name()) && there.port() == asked.port();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
