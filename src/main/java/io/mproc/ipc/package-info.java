/**
 * Queues and pipes between processes, over the Vert.x event bus. A queue's items live in a
 * {@link io.mproc.ipc.QueueHost} in the JVM that made it, on one event loop;
 * {@link io.mproc.ipc.QueueHandle}s, which may travel to any JVM of the cluster, send it
 * requests. A blocked {@code get}, {@code put} or {@code join} is a request the host holds
 * until it can answer or its timeout passes; an item handed to a held get of another JVM counts
 * as taken once that JVM confirms it ({@code Confirmations}), and the hosts hear
 * of members that leave from Hazelcast. A pipe is one or two queues. Depends on
 * {@code io.mproc.cluster}, {@code io.mproc.codec} and Hazelcast's membership events.
 */
package io.mproc.ipc;
