package io.mproc;

import java.io.Serializable;

/**
 * A function of two arguments for {@link Pool#starmap}: Python's {@code f} in
 * {@code pool.starmap(f, [(a, b), ...])}. Serializable, like {@link Task}.
 */
@FunctionalInterface
public interface BiTask<A, B, R> extends Serializable {
    R apply(A first, B second) throws Exception;
}
