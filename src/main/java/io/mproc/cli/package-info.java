/**
 * The command line behind {@code run.sh}: {@code demo} (the seed examples on an embedded
 * cluster), {@code bench} (the figures beside Python's), and a standing cluster's commands:
 * {@code cluster} (founds one through {@link io.mproc.runtime.Founding}), {@code worker} (adds a
 * host), and {@code status}, {@code scale}, {@code stop} (records of
 * {@code io.mproc.cluster.protocol} sent to its supervisor) and {@code send}. Uses the public API
 * ({@code io.mproc}), {@code io.mproc.cluster} (settings, nodes, addresses, the supervisor's plan),
 * {@code io.mproc.cluster.protocol}, {@code io.mproc.runtime}, Vert.x and picocli.
 */
package io.mproc.cli;
