/**
 * The cluster: how a JVM joins it and leaves it ({@link io.mproc.cluster.Node}, with Hazelcast's
 * join hooks in {@code MemberContext} and Vert.x's cluster manager in {@code LeavingClusterManager}),
 * who may join ({@link io.mproc.cluster.ClusterIdentity}, {@code JoinProof}), the configuration
 * ({@link io.mproc.cluster.Settings}), the event-bus addresses ({@link io.mproc.cluster.Addresses}),
 * blocking waits ({@link io.mproc.cluster.Blocking}), classes on demand (a program's
 * {@link io.mproc.cluster.ClassServer}; a worker's {@link io.mproc.cluster.ProgramClasses}, one
 * loader per program, dropped when the program leaves), and the supervisor, split by job:
 * <ul>
 *   <li>{@link io.mproc.cluster.Supervisor}: the verticle; parses each request of
 *       {@link io.mproc.cluster.protocol} and routes it to the part below that owns it, ends the
 *       JVM on {@code stop}; {@code found}/{@code joinAsHost} start a member with a supervisor;</li>
 *   <li>{@code WorkerFleet}: this host's worker JVMs (launch through
 *       {@link io.mproc.cluster.WorkerLauncher} and {@code JoinGate}, spares, groups,
 *       replacements, stops, exit events), deciding through {@code Roster}, its bookkeeping
 *       without processes;</li>
 *   <li>{@code ClusterRegistry}: a standing cluster's pools, other hosts' supervisors, verticles
 *       to deploy, and the status and cores fanned out over the hosts.</li>
 * </ul>
 * Depends on Vert.x, Hazelcast, Netty (for the platform's name of BoringSSL's library, which
 * {@code NativeTls} unpacks once for the workers), the API package ({@code io.mproc}: its exceptions),
 * {@code io.mproc.cluster.protocol} and {@code io.mproc.codec} (the deserialization filter, the
 * class loaders of programs); not on any other mproc package. Of a pool it knows only what
 * the registry keeps (a name, an address, a member); what a worker does with its role is the
 * business of the packages that made it.
 */
package io.mproc.cluster;
