/**
 * The Pool: its driver side ({@link io.mproc.pool.PoolImpl}, {@link io.mproc.pool.Dispatcher})
 * in the caller's JVM and its worker side ({@link io.mproc.pool.PoolWorker}) in each worker
 * JVM, and {@link io.mproc.pool.SharedWorker}, a standing cluster's worker serving every
 * program's pools. Depends on {@code io.mproc.cluster} (addresses, the node, blocking waits; not
 * the supervisor itself), {@code io.mproc.cluster.protocol} (the records it sends the supervisor
 * and the events it reads), {@code io.mproc.codec}, the API package and Vert.x's event bus.
 *
 * <pre>
 *  caller's JVM (driver)                                   worker JVMs (one per process)
 *  ---------------------                                   -----------------------------
 *  pool.map(f, items)
 *    | chunks the items; each chunk is a Unit
 *    | (serialized in the caller: bad values fail here)
 *    v
 *  Dispatcher --- pending units ---.
 *    ^                             |  WORK reply: a batch of units        +--------------+
 *    |  PULL request (held until   '------------------------------------> | PoolWorker   |
 *    |  there is work), carrying                                          |  task thread |
 *    |  the results of the last batch  <----------------------------------|  runs f      |
 *    |                                                                    +--------------+
 *    | results, in input order, into the AsyncResult / imap iterator
 *    v
 *  caller gets List&lt;R&gt;
 *
 *  Supervisor (in the context's JVM) --- starts, watches, replaces the worker JVMs
 *    publishes exit events (Event.WorkerExit) ---> Dispatcher re-queues the units the dead worker held
 * </pre>
 *
 * <p>A worker keeps at most two pulls outstanding (one when {@code maxTasksPerChild} is set), so
 * the driver always knows which units sit on which worker and bounds what is in flight.
 * Batches are sized from the units' measured running time: one unit while their speed is
 * unknown, up to about 2 ms of work for short ones.
 */
package io.mproc.pool;
