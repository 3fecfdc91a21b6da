/**
 * Shared state and synchronization across the JVMs of a cluster: values, arrays, Manager
 * collections, locks, semaphores, events, conditions and barriers. Their states live in the
 * cluster's Hazelcast maps (the map {@code mproc.sync}, and one map or list per Manager
 * collection), held by the data members (the embedded cluster's founder; later, standing
 * cluster nodes); workers are lite members and hold none. Depends on {@code io.mproc.cluster}
 * (members, blocking waits, pending writes), {@code io.mproc.codec}, Hazelcast and the event bus.
 *
 * <pre>
 *  a JVM that calls                           the data member that owns the key
 *  ----------------                           ---------------------------------
 *  lock.acquire()
 *    | cached here (a Lease)? take it: done
 *    | else one atomic step on the state ---> Transition (an entry processor, on the
 *    |   (Hazelcast executeOnKey)               partition thread): grant, or queue the waiter
 *    |                                          and name the member that holds it
 *    | queued: ask that member to give it back ---> its Lease goes back when unused
 *    |   (event bus, ".lease" address)              (after a 2 ms minimum hold)
 *    | wait for the wake-up, in slices   <---- the step that frees it hands it to the next
 *    |   (after each slice, ask the host)       waiter and wakes it over the event bus
 *  lock.release()
 *    | the Lease stays here until asked for
 * </pre>
 *
 * <p>A member that leaves (even by {@code kill -9}) is cleared by the oldest member
 * ({@link io.mproc.shared.Reaper}): its locks and permits go to the next waiters.
 */
package io.mproc.shared;
