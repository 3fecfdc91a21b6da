/**
 * Where the pieces meet: {@link io.mproc.runtime.LocalContext}, the embedded cluster behind
 * {@link io.mproc.Multiprocessing#local()}; {@link io.mproc.runtime.Founding}, the one way a JVM
 * founds a cluster (supervisor, reaper, named queues), for {@code local()} and {@code run.sh
 * cluster} alike; and {@link io.mproc.runtime.WorkerMain}, the entry point of every worker JVM,
 * which reads its parent's lines (identity, join permit, stop) with {@code LineReader}.
 * Depends on the API, {@code io.mproc.cluster} (and its protocol), {@code io.mproc.pool},
 * {@code io.mproc.process}, {@code io.mproc.ipc} and {@code io.mproc.shared}; only the API's
 * static factories and the command line depend on it.
 */
package io.mproc.runtime;
