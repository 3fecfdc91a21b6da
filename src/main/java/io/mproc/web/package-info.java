/**
 * The cluster's HTTP face, served by a standing cluster's JVM ({@code run.sh cluster}) with
 * Vert.x Web: {@code GET /api/status} (what {@code run.sh status --json} prints) and an
 * event-bus bridge, {@code POST /eventbus/ADDRESS}, through which any language sends a JSON
 * message and gets the reply ({@link io.mproc.web.ClusterWeb}). Every endpoint asks for a token
 * derived from the cluster's identity ({@link io.mproc.web.WebToken}); the bridge reaches only
 * the addresses {@code BridgePolicy} permits, never mproc's internal ones.
 * Depends on Vert.x, {@code io.mproc.cluster} (the identity, the supervisor's address and
 * protocol) and nothing else of mproc.
 */
package io.mproc.web;
