package io.mproc.cluster;

/**
 * Event-bus addresses of the cluster. Each cluster has its own Hazelcast name, so these
 * fixed names never reach another cluster. The public ones (those {@code run.sh send} users
 * may call) are listed in the README.
 */
public final class Addresses {
    /**
     * Requests to the cluster's supervisor (JSON, field {@code op}). Public: {@code status},
     * {@code scale {workers, host}}, {@code stop}, {@code deploy {verticle}}, {@code cpus}; the
     * others are between mproc's own JVMs (one record each: {@link io.mproc.cluster.protocol.Request}).
     */
    public static final String SUPERVISOR = "mproc.supervisor";
    /** What the supervisor publishes about workers (JSON, field {@code event}): {@code exit}, {@code group-broken} ({@link io.mproc.cluster.protocol.Event}). */
    public static final String EVENTS = "mproc.events";
    /** Prefix of the address of a pool's driver, which its workers pull work from. */
    public static final String POOL_PREFIX = "mproc.pool.";
    /** What the supervisor publishes about the pools the cluster's workers serve: {@code open}, {@code closed} ({@link io.mproc.cluster.protocol.Event}). */
    public static final String POOLS = "mproc.pools";
    /** What the cluster's supervisor publishes to the supervisors of other hosts: {@code stop} (the {@code stop} request's JSON). */
    public static final String CONTROL = "mproc.control";
    /** Public: every worker of a standing cluster answers {@code {"n": 7}} with the square and which worker it is. */
    public static final String SQUARE = "mproc.demo.square";

    private Addresses() {
    }

    /** The address of one worker JVM: ops {@code info}, {@code retire}, {@code deploy}. */
    public static String worker(String name) {
        return "mproc.worker." + name;
    }
}
