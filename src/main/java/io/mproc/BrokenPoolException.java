package io.mproc;

/**
 * Work could not be completed because the worker JVMs that ran it were lost more often
 * than the pool's retry limit ({@link PoolOptions#maxRetries(int)}) allows, or the pool
 * was terminated while the work was outstanding. Only the affected results fail.
 */
public class BrokenPoolException extends ProcessException {
    public BrokenPoolException(String message) {
        super(message);
    }
}
