package io.mproc.shared;

import java.io.Serializable;

/** The state of one lock, value, semaphore, event, condition or barrier, kept in the {@code mproc.sync} map. */
interface SyncState extends Serializable {

    /** A member left the cluster: free what it held and forget its waiters, waking whoever comes next. */
    void evict(String member, Transition<?> wakes);

    /** One line for error messages and status. */
    String describe();
}
