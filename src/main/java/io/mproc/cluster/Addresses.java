package io.mproc.cluster;

/**
 * Event-bus addresses of the cluster. Each cluster has a unique Hazelcast name, so these
 * fixed names never reach another cluster.
 */
public final class Addresses {
    /** Requests to the supervisor (JSON, field {@code op}): start-pool, stop-pool, ready, status. */
    public static final String SUPERVISOR = "mproc.supervisor";
    /** What the supervisor publishes about workers (JSON, field {@code event}): exit, pool-broken. */
    public static final String EVENTS = "mproc.events";
    /** Prefix of the address of a pool's driver, which its workers pull work from. */
    public static final String POOL_PREFIX = "mproc.pool.";

    private Addresses() {
    }
}
