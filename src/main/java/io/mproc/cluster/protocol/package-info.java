/**
 * The supervisor's protocol: one record per kind of {@link io.mproc.cluster.protocol.Request}
 * (field {@code op}) and of {@link io.mproc.cluster.protocol.Event} (field {@code event}), each
 * with its JSON form, and one codec per side ({@code Request.parse}, {@code Event.parse}) that
 * returns the typed record or says which field is wrong. The JSON field names are the wire
 * format, and those of {@code status}, {@code scale}, {@code stop}, {@code deploy} and
 * {@code cpus} a public one ({@code run.sh send mproc.supervisor '{"op":"status"}'}).
 * Depends on Vert.x's JSON types only; whoever talks to a supervisor (the pool, the process,
 * the runtime, the command line) uses these records instead of JSON written by hand.
 */
package io.mproc.cluster.protocol;
