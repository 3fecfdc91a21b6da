package io.mproc;

import java.io.Serializable;
import java.time.Duration;

/**
 * Python's {@code multiprocessing.Lock} ({@link Multiprocessing#lock()}) and {@code RLock}
 * ({@link Multiprocessing#rlock()}), shared by every process of the cluster. Its state lives
 * in the cluster's Hazelcast maps, so processes on any host contend for the same lock.
 *
 * <pre>{@code
 * Lock lock = mp.lock();
 * try (Lock.Held held = lock.hold()) {   // Python's "with lock:"
 *     writeReport(held.fencingToken());
 * }
 * }</pre>
 *
 * <p><b>Owners.</b> A {@code Lock} is held by a process (a JVM): any thread of that process
 * may release it, as Python's {@code Lock} may be released by any thread; acquiring it again
 * while held, even from the same thread, waits (it is not reentrant). An {@code RLock} is held
 * by one thread of one process, which may acquire it again; only that thread may release it.
 * {@link #release()} of a lock the caller does not hold throws {@link IllegalStateException}
 * naming who holds it. Unlike Python, a process cannot release a {@code Lock} another process
 * holds: that protects a holder from a release meant for an earlier holder.
 *
 * <p><b>Cost.</b> A lock is cached by the process that last took it, as a distributed lock
 * manager caches locks on its nodes: taking and releasing it again there costs no round trip.
 * When another process asks for it, the holder gives it back as soon as none of its threads
 * holds it, but keeps it at least 2 ms from when it came (GFS2's "minimum hold time"), so that
 * a lock several processes hammer moves in bursts of critical sections rather than one
 * crossing per acquisition. Processes asking for it are then served in the order they asked.
 * Uncontended, an acquisition from another process costs one round trip to the member that
 * keeps the lock's state.
 *
 * <p><b>A holder that dies.</b> When the process holding a lock dies (even by
 * {@code kill -9}) or leaves the cluster, the lock is freed within a few seconds (about half
 * a second on one machine; at most the heartbeat timeout, {@code mproc.max.no.heartbeat.seconds},
 * default 5 s, when its host vanishes) and given to the next waiter. Python keeps such a lock
 * locked for good. Waiters are served first come, first served.
 *
 * <p><b>Fencing tokens.</b> Each acquisition gets a token larger than every token of that lock
 * before it, in any process ({@link #fencingToken()}, {@link Held#fencingToken()}); re-entering
 * an {@code RLock} keeps the token. Tokens are not consecutive: each process that takes the
 * lock from the cluster gets a block of them. A holder that paused long enough to be taken
 * for dead has lost the lock without knowing it; if the resource it guards remembers the
 * highest token it saw and refuses smaller ones, the stale holder's writes are refused.
 * Its {@code release()} then throws {@link IllegalStateException}.
 *
 * <p>A handle is {@link Serializable}: pass it to a task or a process and it is the same lock
 * there. Blocking calls must not run on a Vert.x event loop.
 */
public interface Lock extends Serializable {

    /** Waits as long as it takes for the lock; returns true (Python's {@code acquire()}). */
    boolean acquire();

    /** Python's {@code acquire(timeout=t)}: true when acquired within {@code timeout}, false otherwise. */
    boolean acquire(Duration timeout);

    /**
     * Python's {@code acquire(block=False)}: takes the lock only if no process holds it now.
     * If another process caches it unused, this asks for it and waits at most a second for it.
     */
    boolean tryAcquire();

    /** Python's {@code release()}. @throws IllegalStateException the caller does not hold it (or lost it) */
    void release();

    /** Whether some process holds the lock now (Python's {@code threading.Lock.locked()}). */
    boolean isLocked();

    /** The fencing token of the caller's current hold. @throws IllegalStateException the caller does not hold it */
    long fencingToken();

    /** Python's {@code with lock:}: acquires, and releases when the returned hold is closed. */
    default Held hold() {
        acquire();
        return new Held(this, fencingToken());
    }

    /** One acquisition, released by {@link #close()}. */
    final class Held implements AutoCloseable {
        private final Lock lock;
        private final long token;
        private boolean closed;

        public Held(Lock lock, long token) {
            this.lock = lock;
            this.token = token;
        }

        /** The fencing token of this acquisition. */
        public long fencingToken() {
            return token;
        }

        /** Releases the lock; a second call does nothing. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                lock.release();
            }
        }
    }
}
