package io.mproc.cli;

import io.mproc.cluster.ClusterAddress;
import io.mproc.cluster.ClusterIdentity;
import io.mproc.cluster.Settings;
import io.mproc.web.ClusterWeb;
import io.mproc.web.WebToken;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    private final HttpClient http;
    private final URI base;
    private final String token;
    private final ClusterAddress cluster;

    private BridgeClient(HttpClient http, URI base, String token, ClusterAddress cluster) {
        this.http = http;
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
        String host = cluster.host().contains(":") ? "[" + cluster.host() + "]" : cluster.host();
        return Optional.of(new BridgeClient(HttpClient.newBuilder().connectTimeout(CONNECT_PATIENCE).build(),
                URI.create("http://" + host + ":" + port), WebToken.of(ClusterIdentity.existing(identity)).value(), cluster));
    }

    /** {@code POST /eventbus/ADDRESS}: the answer, or empty when this is not the cluster's bridge. */
    Optional<HttpResponse<String>> send(String address, String json, Duration timeout) {
        String path = "/eventbus/" + URLEncoder.encode(address, StandardCharsets.UTF_8) + "?timeout=" + timeout.toMillis() / 1000.0;
        return call(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(json)),
                timeout.plusSeconds(5));
    }

    /** {@code GET /api/status}: the answer, or empty when this is not the cluster's bridge. */
    Optional<HttpResponse<String>> status() {
        return call(HttpRequest.newBuilder(base.resolve("/api/status")).GET(), Duration.ofSeconds(20));
    }

    private Optional<HttpResponse<String>> call(HttpRequest.Builder request, Duration timeout) {
        try {
            HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + token).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            String answered = response.headers().firstValue(ClusterWeb.CLUSTER_HEADER).orElse("");
            if (response.statusCode() == 401 || !sameCluster(answered)) {
                return Optional.empty();
            }
            return Optional.of(response);
        } catch (IOException e) {
            return Optional.empty(); // nothing listens there: join instead
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted");
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
    static String error(HttpResponse<String> response) {
        try {
            return new io.vertx.core.json.JsonObject(response.body()).getString("error", response.body());
        } catch (RuntimeException e) {
            return "HTTP " + response.statusCode() + ": " + response.body();
        }
    }

    /** Whether {@code answered} ({@code name@host:port}) is the cluster asked for: same name and port (the host was reached). */
    boolean sameCluster(String answered) {
        try {
            ClusterAddress there = ClusterAddress.parse(answered);
            return there.name().equals(cluster.name()) && there.port() == cluster.port();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
