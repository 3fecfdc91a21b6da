/**
 * mproc's public API: Python's {@code multiprocessing} for Java, every worker a separate JVM
 * joined into one Vert.x cluster by Hazelcast. Start with {@link io.mproc.Multiprocessing}.
 * Only {@code io.mproc} types and JDK types appear here; the sub-packages are implementation
 * and may change.
 */
package io.mproc;
