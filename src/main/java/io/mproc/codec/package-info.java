/**
 * How values cross JVMs: a compact binary form for lists of common values (ints, longs,
 * doubles, strings, pairs) and JDK serialization, behind a deserialization filter, for
 * everything else (tasks, exceptions, user objects). Depends on the JDK and {@code io.mproc}
 * exceptions only.
 */
package io.mproc.codec;
