package io.mproc;

import java.io.Serializable;

/**
 * A function of one argument that runs in a worker JVM: Python's {@code f} in
 * {@code pool.map(f, items)}.
 *
 * <p>It is {@link Serializable}, so a lambda ({@code x -> x * x}) or a method reference
 * ({@code Tasks::square}) written where a {@code Task} is expected can be shipped to
 * another JVM, together with the variables it captures. Worker JVMs run with the
 * caller's class path, so the class that declares the lambda is found there. Every
 * captured value must be serializable too; otherwise submission fails in the caller with
 * a {@link SerializationException} naming the class.
 *
 * <p>A worker deserializes a given task (its code and captured values) once and may
 * reuse it for many items, as a Python worker reuses a module-level function: keep
 * captured values read-only.
 *
 * @param <T> argument type
 * @param <R> result type
 */
@FunctionalInterface
public interface Task<T, R> extends Serializable {
    R apply(T argument) throws Exception;
}
