package io.mproc.shared;

/** Where a {@link Mutation} finds the data: the state in the map, or a holder's copy. */
interface Box {
    Object value();

    void value(Object value);
}
