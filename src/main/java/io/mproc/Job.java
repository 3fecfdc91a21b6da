package io.mproc;

import java.io.Serializable;

/**
 * A body with no argument and no result, run in a worker JVM: a pool's initializer
 * (Python's {@code initializer=f}) or a process body. Serializable, like {@link Task}.
 */
@FunctionalInterface
public interface Job extends Serializable {
    void run() throws Exception;
}
