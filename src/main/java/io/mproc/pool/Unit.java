package io.mproc.pool;

import io.mproc.codec.Codec;
import io.mproc.codec.SentClasses;
import io.mproc.codec.Wire;

import java.util.List;

/**
 * One task in Python's sense: a chunk of a map's items (or the one argument of an apply),
 * run by one worker in one go. It is the unit of dispatch, of retry after a worker's
 * death, and of {@code maxTasksPerChild}.
 */
final class Unit {
    static final byte SINGLE = 0;
    static final byte STAR = 1;

    final int id;
    /** Position of this chunk in its job. */
    final int index;
    /** Index of the chunk's first item in the job's input. */
    final int firstItem;
    final int items;
    final byte kind;
    final byte[] function;
    final byte[] arguments;
    final UnitSink sink;
    int attempts;
    boolean done;
    /**
     * Runs in a batch of its own: it was in a batch of several when its worker died, and only
     * a death while it runs alone tells whether it was the one running.
     */
    boolean alone;

    /** Encodes {@code arguments} in the caller: one that cannot be serialized fails here, naming its class. */
    Unit(int id, int index, int firstItem, List<?> arguments, byte kind, byte[] function, UnitSink sink) {
        this(id, index, firstItem, arguments, kind, function, sink, SentClasses.ALL);
    }

    /** As above, noting the arguments' classes in {@code sent}, the program's. */
    Unit(int id, int index, int firstItem, List<?> arguments, byte kind, byte[] function, UnitSink sink, SentClasses sent) {
        this.id = id;
        this.index = index;
        this.firstItem = firstItem;
        this.items = arguments.size();
        this.kind = kind;
        this.function = function;
        this.sink = sink;
        Wire.Out out = new Wire.Out(64); // writeValues grows it once, to the exact size of compact values
        Codec.writeValues(out, arguments, "the argument of " + describe(), sent);
        this.arguments = out.toByteArray();
    }

    /** The items this unit holds, e.g. "items 40..59" or "item 7". */
    String range() {
        return items == 1 ? "item " + firstItem : "items " + firstItem + ".." + (firstItem + items - 1);
    }

    /** E.g. "items 40..59 of map on pool-1". */
    String describe() {
        return sink.describe(this);
    }
}
