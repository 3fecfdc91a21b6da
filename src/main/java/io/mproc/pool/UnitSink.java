package io.mproc.pool;

/** Where the outcome of a {@link Unit} goes: the job that made it. Called once per unit, never under the dispatcher's lock. */
interface UnitSink {
    void completed(Unit unit, Object[] results);

    void failed(Unit unit, Throwable error);

    /** Names the unit in messages, e.g. "items 40..59 of map on pool-1". */
    String describe(Unit unit);

    /** Where the dispatcher also counts what becomes of this job's tasks, or null. */
    default TaskCounts counts() {
        return null;
    }
}
