/**
 * The cluster's HTTP face, served by a standing cluster's JVM ({@code run.sh cluster}), or an
 * embedded one when asked, with Vert.x Web ({@link io.mproc.web.ClusterWeb}): the status page
 * and its server-sent events, {@code GET /api/status} (what {@code run.sh status --json}
 * prints), Prometheus metrics ({@code ClusterMetrics}, Micrometer), and the event-bus bridge,
 * {@code POST /eventbus/ADDRESS} for one message and its reply and SockJS or a WebSocket at
 * {@code /bridge} for streams, through which any language reaches the cluster with JSON. Every
 * endpoint asks for a token derived from the cluster's identity ({@link io.mproc.web.WebToken});
 * the bridge reaches only the addresses {@code BridgePolicy} permits, never mproc's internal ones.
 * Depends on Vert.x, Micrometer, {@code io.mproc.cluster} (the identity, the supervisor's address
 * and protocol) and nothing else of mproc.
 */
package io.mproc.web;
