/**
 * Where the pieces meet: {@link io.mproc.runtime.LocalContext}, the embedded cluster behind
 * {@link io.mproc.Multiprocessing#local()}, and {@link io.mproc.runtime.WorkerMain}, the entry
 * point of every worker JVM. Depends on every other package; nothing depends on it but the
 * API's static factories.
 */
package io.mproc.runtime;
