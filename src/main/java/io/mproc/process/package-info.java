/**
 * {@link io.mproc.RemoteProcess}: Python's {@code Process}, a job in a JVM of its own. The
 * driver side ({@link io.mproc.process.ProcessTable}, {@link io.mproc.process.RemoteProcessImpl})
 * hands each process its job when its JVM asks, and learns its exit from the supervisor's
 * exit events; the worker side ({@link io.mproc.process.ProcessWorker}) runs the job on the
 * JVM's main thread and turns its outcome into Python's exit codes. Depends on
 * {@code io.mproc.cluster} (addresses, blocking waits), {@code io.mproc.cluster.protocol} (the
 * supervisor's requests and events, as records), {@code io.mproc.codec}, the API package and Vert.x.
 */
package io.mproc.process;
