/**
 * Queues (and, next, pipes) between processes, over the Vert.x event bus. A queue's items live
 * in a {@link io.mproc.ipc.QueueHost} in the JVM that made it, on one event loop (no locks);
 * {@link io.mproc.ipc.QueueHandle}s, which may travel to any JVM of the cluster, send it
 * requests. A blocked {@code get}, {@code put} or {@code join} is a request the host holds
 * until it can answer or its timeout passes. Depends on {@code io.mproc.cluster} and
 * {@code io.mproc.codec}.
 */
package io.mproc.ipc;
