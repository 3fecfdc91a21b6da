package io.mproc.pool;

import io.mproc.ProcessException;
import io.mproc.cluster.Blocking;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The iterator of {@code imap} and {@code imapUnordered}. It reads the input on the
 * caller's thread, a chunk at a time, and keeps at most {@code window} chunks submitted
 * but not yet taken by the caller: a slow consumer stops the input from being read, and
 * only results not yet taken are buffered.
 */
final class ImapIterator<T, R> implements Iterator<R>, UnitSink {
    private final String label;
    private final Iterator<? extends T> input;
    private final int chunksize;
    private final int window;
    private final boolean ordered;
    private final Submitter submit;
    private final Map<Integer, Object> arrived = new HashMap<>();
    private final ArrayDeque<Object> arrivals = new ArrayDeque<>();
    private Iterator<Object> current;
    private int submitted;
    private int taken;
    private int itemsRead;
    /** The error that is the next outcome, thrown by the next {@link #next}. */
    private Throwable error;

    /** Submits one chunk of the input as a unit whose outcome comes back to this iterator. */
    @FunctionalInterface
    interface Submitter {
        void submit(UnitSink sink, int index, int firstItem, List<Object> chunk);
    }

    ImapIterator(String label, Iterator<? extends T> input, int chunksize, int window, boolean ordered, Submitter submit) {
        this.label = label;
        this.input = input;
        this.chunksize = chunksize;
        this.window = window;
        this.ordered = ordered;
        this.submit = submit;
    }

    /**
     * {@code true} also when the next outcome is an error: as in Python, where {@code next(it)}
     * raises the task's exception at its place, {@link #next} throws it and the iteration goes on.
     */
    @Override
    public boolean hasNext() {
        if (error != null) {
            return true;
        }
        while (current == null || !current.hasNext()) {
            current = null;
            topUp();
            if (taken == submitted) {
                return false;
            }
            Object next = awaitNext();
            taken++;
            if (next instanceof Throwable failure) {
                error = failure;
                return true;
            }
            @SuppressWarnings("unchecked")
            List<Object> chunk = (List<Object>) next;
            current = chunk.iterator();
        }
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException("imap over " + label + " has no more results");
        }
        if (error != null) {
            Throwable failure = error;
            error = null;
            throw failure instanceof RuntimeException r ? r : new ProcessException(String.valueOf(failure), failure);
        }
        return (R) current.next();
    }

    private void topUp() {
        while (submitted - taken < window && input.hasNext()) {
            java.util.ArrayList<Object> chunk = new java.util.ArrayList<>(chunksize);
            while (chunk.size() < chunksize && input.hasNext()) {
                chunk.add(input.next());
            }
            submit.submit(this, submitted, itemsRead, chunk);
            itemsRead += chunk.size();
            submitted++;
        }
    }

    private synchronized Object awaitNext() {
        Blocking.checkNotOnEventLoop("imap's next()");
        while (true) {
            Object next = ordered ? arrived.remove(taken) : arrivals.pollFirst();
            if (next != null) {
                return next;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProcessException("interrupted while waiting for the next result of imap over " + label, e);
            }
        }
    }

    private synchronized void arrive(Unit unit, Object outcome) {
        if (ordered) {
            arrived.put(unit.index, outcome);
        } else {
            arrivals.addLast(outcome);
        }
        notifyAll();
    }

    @Override
    public void completed(Unit unit, Object[] results) {
        arrive(unit, java.util.Arrays.asList(results));
    }

    @Override
    public void failed(Unit unit, Throwable error) {
        arrive(unit, error);
    }

    @Override
    public String describe(Unit unit) {
        return unit.range() + " of " + label;
    }
}
