/**
 * The cluster: how a JVM joins it ({@link io.mproc.cluster.Node}), the supervisor verticle
 * that starts, watches, replaces and stops worker JVMs ({@link io.mproc.cluster.Supervisor},
 * {@link io.mproc.cluster.WorkerLauncher}), the configuration ({@link io.mproc.cluster.Settings})
 * and the event-bus addresses they share ({@link io.mproc.cluster.Addresses}).
 * Depends on Vert.x, Hazelcast, {@code io.mproc.codec} and the API package; nothing here
 * knows what a pool is.
 */
package io.mproc.cluster;
