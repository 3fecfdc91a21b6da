package io.mproc;

import java.io.Serializable;
import java.util.List;

/**
 * Python's {@code manager.list()}: a {@link List} kept in the cluster (a Hazelcast list), shared
 * by every process. Each call is one round trip; iterators work on a copy taken when they are
 * made. Elements must be {@link Serializable}.
 */
public interface ListProxy<E> extends List<E>, Serializable {

    /** The list's name in the cluster. */
    String name();
}
