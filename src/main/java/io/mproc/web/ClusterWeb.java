package io.mproc.web;

import io.mproc.cluster.Addresses;
import io.mproc.cluster.Blocking;
import io.mproc.cluster.Node;
import io.mproc.cluster.Patient;
import io.mproc.cluster.protocol.Request;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A standing cluster's HTTP server, on the cluster's host:
 * <ul>
 * <li>{@code GET /}: the status page, a table of every worker JVM that updates itself from
 * {@code /api/events} (server-sent events, once a second);</li>
 * <li>{@code GET /metrics}: Prometheus metrics ({@link ClusterMetrics});</li>
 * <li>{@code GET /api/status}: every worker JVM of every host, the JSON array that
 * {@code run.sh status --json} prints;</li>
 * <li>{@code POST /eventbus/ADDRESS} with a JSON body (object, array, string, number or
 * boolean): sends it to ADDRESS and answers with the reply as JSON. 400 malformed JSON or
 * timeout, 403 an address the bridge does not reach ({@link BridgePolicy}), 404 no handler at
 * the address, 502 the handler failed ({@code {"error", "code"}}), 504 no reply in time
 * ({@code ?timeout=SECONDS}, default 10).</li>
 * <li>{@code /bridge}: SockJS (a plain WebSocket at {@code /bridge/websocket}) with Vert.x's
 * event-bus bridge, for streams: send, publish, register, under the same {@link BridgePolicy}.</li>
 * </ul>
 * Every request needs the cluster's token ({@link WebToken}): {@code Authorization: Bearer
 * TOKEN}, or {@code ?token=TOKEN} (then kept in an HTTP-only cookie for the pages that follow), or
 * that cookie; else 401. Errors are {@code {"error": "..."}}. Plain HTTP: the token crosses the
 * network in the clear, so reach another host's cluster through a private network or an SSH tunnel.
 */
public final class ClusterWeb {
    /** The response header naming the cluster that answered, {@code name@host:port}: a client checks it reached the one it meant. */
    public static final String CLUSTER_HEADER = "X-Mproc-Cluster";
    /** The cookie a browser keeps the token in. */
    static final String COOKIE = "mproc_token";
    /** The largest message the bridge takes. */
    static final int BODY_LIMIT = 1 << 20;
    private static final long DEFAULT_TIMEOUT_MS = 10_000;
    private static final long MAX_TIMEOUT_MS = 300_000;
    /** Between two status events of {@code /api/events}. */
    static final long EVENT_PERIOD_MS = 1_000;
    /** The status page: one file, no asset from elsewhere. */
    private static final String PAGE = page();
    /** How long a message waits for an address registered elsewhere just before (Vert.x's view of it lags). */
    private static final long NEW_ADDRESS_PATIENCE_MS = 1_500;

    private final Vertx vertx;
    private final WebToken token;
    private final String cluster;
    private final ClusterMetrics metrics;

    private ClusterWeb(Vertx vertx, WebToken token, String cluster, WebMetrics metrics) {
        this.vertx = vertx;
        this.token = token;
        this.cluster = cluster;
        this.metrics = new ClusterMetrics(metrics.registry());
    }

    /**
     * Serves the cluster that {@code node} founded, named {@code clusterName}, on {@code host:port}
     * (0: a port the OS gives), with the token of the node's identity (random without one) and
     * {@code metrics} in {@code /metrics} (those the node's Vert.x was built with, see
     * {@link WebMetrics}), and returns the status page's URL with the token in it, once the server listens.
     *
     * @throws io.mproc.ProcessException it cannot listen there; the cause says why
     */
    public static String serve(Node node, String clusterName, String host, int port, WebMetrics metrics) {
        WebToken token = WebToken.of(node.identity());
        HttpServer server = Blocking.await(start(node.vertx(), host, port, token, clusterName + "@" + node.joinAddress(), metrics),
                java.time.Duration.ofSeconds(30), "starting the HTTP server on port " + port);
        return base(host, server.actualPort()) + "/?token=" + token.value();
    }

    /** {@code http://HOST:PORT}, an IPv6 host in brackets. */
    public static String base(String host, int port) {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Serves cluster {@code cluster} ({@code name@host:port}) on {@code host:port} (0: a port
     * the OS gives); the future has the server, its actual port included.
     */
    private static Future<HttpServer> start(Vertx vertx, String host, int port, WebToken token, String cluster, WebMetrics metrics) {
        ClusterWeb web = new ClusterWeb(vertx, token, cluster, metrics);
        Router router = Router.router(vertx);
        router.route().handler(web::authenticate);
        router.get("/").handler(web::page);
        router.get("/api/status").handler(web::status);
        router.get("/api/events").handler(web::events);
        router.get("/metrics").handler(web::metrics);
        router.post("/eventbus/:address").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(web::bridge);
        router.route("/bridge/*").subRouter(streams(vertx));
        router.route().last().handler(ctx -> fail(ctx, 404, "no such endpoint: " + ctx.request().method() + " " + ctx.request().path()
                + " (GET /, /api/status, /api/events, /metrics; POST /eventbus/ADDRESS; SockJS or WebSocket at /bridge)"));
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)).requestHandler(router).listen();
    }

    /**
     * The event-bus bridge for streams: SockJS at {@code /bridge} (raw WebSocket at
     * {@code /bridge/websocket}), with Vert.x's bridge protocol ({@code send}, {@code publish},
     * {@code register} frames). Every address passes through {@link BridgePolicy}: a frame to or a
     * registration at an address it refuses is rejected ({@code {"type":"err","body":"rejected"}}).
     * The token is checked at the handshake, as for every endpoint.
     */
    private static io.vertx.ext.web.Router streams(Vertx vertx) {
        io.vertx.ext.bridge.PermittedOptions any = new io.vertx.ext.bridge.PermittedOptions().setAddressRegex(".+");
        io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions options = new io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions()
                .addInboundPermitted(any).addOutboundPermitted(any).setMaxAddressLength(256).setMaxHandlersPerSocket(100);
        return io.vertx.ext.web.handler.sockjs.SockJSHandler.create(vertx).bridge(options, event -> {
            String address = event.getRawMessage() == null ? null : event.getRawMessage().getString("address");
            boolean checked = switch (event.type()) {
                case SEND, PUBLISH, REGISTER -> true; // what arrives comes from a registered address or is a reply
                default -> false;
            };
            event.complete(!checked || BridgePolicy.refusal(address) == null);
        });
    }

    private void authenticate(RoutingContext ctx) {
        String given = bearer(ctx.request().getHeader("Authorization"));
        String query = ctx.request().getParam("token");
        if (given == null) {
            given = query;
        }
        if (given == null) {
            Cookie cookie = ctx.request().getCookie(COOKIE);
            given = cookie == null ? null : cookie.getValue();
        }
        if (!token.accepts(given)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"mproc\"");
            fail(ctx, 401, given == null
                    ? "this cluster asks for its token: Authorization: Bearer TOKEN (run.sh token prints it)"
                    : "wrong token (run.sh token prints this cluster's, on a host that holds its identity)");
            return;
        }
        ctx.response().putHeader(CLUSTER_HEADER, cluster);
        if (query != null && token.accepts(query)) {
            ctx.response().addCookie(Cookie.cookie(COOKIE, query).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath("/"));
        }
        ctx.next();
    }

    private static String bearer(String header) {
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    }

    private void page(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-store").end(PAGE);
    }

    /** The supervisor's status: {@code {workers, pools, tasks, queues, exits, exitCounts}} (see {@link Request.Status}). */
    private Future<JsonObject> statusOfAll() {
        return vertx.eventBus().<JsonObject>request(Addresses.SUPERVISOR, new Request.Status().toJson(),
                new DeliveryOptions().setSendTimeout(15_000)).map(io.vertx.core.eventbus.Message::body);
    }

    /** The workers of every host, as the supervisor lists them. */
    private Future<io.vertx.core.json.JsonArray> workers() {
        return statusOfAll().map(status -> status.getJsonArray("workers"));
    }

    private void status(RoutingContext ctx) {
        workers().onSuccess(rows -> json(ctx, 200, rows.encode()))
                .onFailure(e -> fail(ctx, 502, "the supervisor did not answer: " + e.getMessage()));
    }

    private void metrics(RoutingContext ctx) {
        statusOfAll().onSuccess(status -> {
            metrics.update(status);
            ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape());
        }).onFailure(e -> fail(ctx, 502, "the supervisor did not answer: " + e.getMessage()));
    }

    /**
     * Server-sent events: the supervisor's status with the cluster's name ({@code {cluster, workers,
     * pools, tasks, queues, exits, exitCounts}}, see {@code Request.Status}) at once and then every
     * {@link #EVENT_PERIOD_MS}, until the client goes; the page shows each one as it comes.
     */
    private void events(RoutingContext ctx) {
        var response = ctx.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        java.util.concurrent.atomic.AtomicBoolean asking = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable push = () -> {
            if (!asking.compareAndSet(false, true)) {
                return; // the supervisor has not answered the last one yet
            }
            statusOfAll().onComplete(status -> {
                asking.set(false);
                if (status.succeeded() && !response.closed()) {
                    JsonObject event = status.result().copy().put("cluster", cluster);
                    response.write("data: " + event.encode() + "\n\n");
                }
            });
        };
        push.run();
        long timer = vertx.setPeriodic(EVENT_PERIOD_MS, id -> push.run());
        response.closeHandler(v -> vertx.cancelTimer(timer));
        response.exceptionHandler(e -> vertx.cancelTimer(timer));
    }

    private void bridge(RoutingContext ctx) {
        String address = ctx.pathParam("address");
        String refusal = BridgePolicy.refusal(address);
        if (refusal != null) {
            fail(ctx, 403, refusal);
            return;
        }
        long timeout;
        Object body;
        try {
            timeout = timeoutMs(ctx.request().getParam("timeout"));
            body = Messages.decode(ctx.body().asString());
        } catch (IllegalArgumentException e) {
            fail(ctx, 400, e.getMessage());
            return;
        }
        Patient.request(vertx, address, body, new DeliveryOptions().setSendTimeout(timeout), NEW_ADDRESS_PATIENCE_MS)
                .onSuccess(reply -> json(ctx, 200, Messages.encode(reply.body())))
                .onFailure(e -> {
                    if (e instanceof ReplyException r) {
                        switch (r.failureType()) {
                            case NO_HANDLERS -> fail(ctx, 404, "no handler at address " + address);
                            case TIMEOUT -> fail(ctx, 504, "no reply from " + address + " within " + timeout + " ms");
                            default -> json(ctx, 502, new JsonObject().put("error", address + " failed: " + r.getMessage())
                                    .put("code", r.failureCode()).encode());
                        }
                    } else {
                        fail(ctx, 502, address + " failed: " + e);
                    }
                });
    }

    private static String page() {
        try (java.io.InputStream in = ClusterWeb.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IllegalStateException("the status page io/mproc/web/index.html is missing from the jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code ?timeout=SECONDS} in milliseconds: default 10 s, at most 300 s. */
    static long timeoutMs(String seconds) {
        if (seconds == null) {
            return DEFAULT_TIMEOUT_MS;
        }
        double s;
        try {
            s = Double.parseDouble(seconds);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("timeout must be a number of seconds: '" + seconds + "'");
        }
        if (!(s > 0) || s * 1000 > MAX_TIMEOUT_MS) {
            throw new IllegalArgumentException("timeout must be > 0 and <= " + MAX_TIMEOUT_MS / 1000 + " seconds: " + seconds);
        }
        return Math.max(1, (long) (s * 1000));
    }

    private static void fail(RoutingContext ctx, int status, String why) {
        json(ctx, status, new JsonObject().put("error", why).encode());
    }

    private static void json(RoutingContext ctx, int status, String body) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
        }
    }
}
