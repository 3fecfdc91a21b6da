package io.mproc.shared;

/** Replies of steps that are not values. Enum constants keep their identity across JVMs. */
enum Status {
    /** The caller was queued; it will be woken. */
    QUEUED,
    /** Not now, and the caller asked not to be queued. */
    BUSY,
    /** The caller's waiter was taken out of the queue before it was served. */
    CANCELLED,
    /** Done, nothing to return. */
    OK,
    /** Woken to try again (a value's lock was freed). */
    RETRY,
    /** The state does not exist (its context closed). */
    MISSING
}
