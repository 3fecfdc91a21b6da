/**
 * How values cross JVMs: a compact binary form for lists of common values (ints, longs,
 * doubles, strings, pairs) and JDK serialization, behind a deserialization filter, for
 * everything else (tasks, exceptions, user objects); and where their classes come from: the
 * loaders a program's values came from ({@link io.mproc.codec.SentClasses}), and in a worker a
 * loader per program ({@link io.mproc.codec.ProgramLoader}) that fetches what the worker lacks
 * through a {@link io.mproc.codec.ClassSource}. Depends on the JDK, Hazelcast's filter
 * configuration and {@code io.mproc} exceptions only.
 */
package io.mproc.codec;
