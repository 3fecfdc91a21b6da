package io.mproc.pool;

import io.mproc.ProcessException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The iterator of {@code imap} and {@code imapUnordered}, fed by a fake dispatcher: each chunk
 * it submits becomes a real {@link Unit} whose outcome the test reports back, in whatever
 * order it likes, by calling the iterator as the dispatcher would. No pool, no worker.
 */
@Timeout(30)
class ImapIteratorTest {
    /** The units submitted so far, in order; {@code onSubmit} runs on each, on the iterator's thread. */
    private final List<Unit> submitted = new ArrayList<>();
    private Consumer<Unit> onSubmit = u -> { };

    private ImapIterator<Integer, Integer> iterator(Iterator<Integer> input, int chunksize, int window, boolean ordered) {
        return new ImapIterator<>("imap on pool-1", input, chunksize, window, ordered, (sink, index, first, chunk) -> {
            Unit unit = new Unit(submitted.size(), index, first, chunk, Unit.SINGLE, new byte[]{1}, sink);
            submitted.add(unit);
            onSubmit.accept(unit);
        });
    }

    /** Completes {@code unit} with its items squared, as a worker would. */
    private static void complete(Unit unit, List<Integer> items) {
        Object[] results = items.stream().map(x -> x * x).toArray();
        unit.sink.completed(unit, results);
    }

    private static List<Integer> itemsOf(Unit unit) {
        return IntStream.range(unit.firstItem, unit.firstItem + unit.items).boxed().toList();
    }

    private static Iterator<Integer> range(int n) {
        return IntStream.range(0, n).iterator();
    }

    /** An endless input that counts the items read from it. */
    private static final class Endless implements Iterator<Integer> {
        int read;

        @Override
        public boolean hasNext() {
            return true;
        }

        @Override
        public Integer next() {
            return read++;
        }
    }

    private static List<Object> drain(Iterator<Integer> it) {
        List<Object> out = new ArrayList<>();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return out;
                }
                out.add(it.next());
            } catch (RuntimeException e) {
                out.add(e.getMessage());
            }
        }
    }

    @Test
    void orderedResultsComeBackInInputOrderWhateverOrderTheUnitsCompleteIn() {
        List<Unit> held = new ArrayList<>();
        onSubmit = unit -> {
            held.add(unit);
            if (held.size() == 4 || unit.firstItem + unit.items == 10) { // a window's worth, or the end: complete them backwards
                for (int i = held.size() - 1; i >= 0; i--) {
                    complete(held.get(i), itemsOf(held.get(i)));
                }
                held.clear();
            }
        };
        ImapIterator<Integer, Integer> it = iterator(range(10), 2, 4, true);
        assertThat(drain(it)).containsExactly(0, 1, 4, 9, 16, 25, 36, 49, 64, 81);
        assertThat(submitted).extracting(u -> u.index).containsExactly(0, 1, 2, 3, 4);
        assertThat(submitted).extracting(u -> u.firstItem).containsExactly(0, 2, 4, 6, 8);
    }

    @Test
    void anOrderedIteratorWaitsForTheNextChunkInOrder() throws Exception {
        Thread[] late = new Thread[1];
        onSubmit = unit -> {
            if (unit.index > 0) {
                complete(unit, itemsOf(unit));
                return;
            }
            late[0] = new Thread(() -> { // chunk 0 comes last, 3 ms later, from another thread as from the dispatcher
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    return;
                }
                complete(unit, itemsOf(unit));
            });
            late[0].start();
        };
        ImapIterator<Integer, Integer> it = iterator(range(6), 2, 3, true);
        assertThat(it.next()).isEqualTo(0);
        late[0].join();
        assertThat(drain(it)).containsExactly(1, 4, 9, 16, 25);
    }

    @Test
    void theUnorderedIteratorYieldsResultsAsTheyArrive() {
        onSubmit = unit -> {
            if (unit.index == 2) {
                complete(unit, itemsOf(unit));
            }
        };
        ImapIterator<Integer, Integer> it = iterator(range(6), 2, 3, false);
        assertThat(it.next()).as("chunk 2 arrived first").isEqualTo(16);
        assertThat(it.next()).isEqualTo(25);
        complete(submitted.get(1), itemsOf(submitted.get(1)));
        assertThat(it.next()).isEqualTo(4);
        complete(submitted.get(0), itemsOf(submitted.get(0)));
        assertThat(drain(it)).containsExactly(9, 0, 1);
    }

    @Test
    void theWindowBoundsHowFarAnEndlessInputIsReadAhead() {
        onSubmit = unit -> complete(unit, itemsOf(unit));
        Endless input = new Endless();
        ImapIterator<Integer, Integer> it = iterator(input, 2, 4, true);
        assertThat(input.read).as("nothing read before the first hasNext()").isZero();
        assertThat(it.next()).isEqualTo(0);
        assertThat(input.read).as("a window of 4 chunks of 2").isEqualTo(8);
        for (int i = 1; i < 100; i++) {
            assertThat(it.next()).isEqualTo(i * i);
            assertThat(input.read).isBetween(i + 1, i + 1 + 4 * 2);
        }
        assertThat(submitted).hasSize(input.read / 2);
    }

    @Test
    void resultsNotTakenStopTheInputFromBeingRead() {
        onSubmit = unit -> complete(unit, itemsOf(unit));
        Endless input = new Endless();
        ImapIterator<Integer, Integer> it = iterator(input, 3, 2, false);
        assertThat(it.next()).isZero();
        assertThat(input.read).as("two chunks out").isEqualTo(6);
        it.next();
        it.next();
        assertThat(input.read).as("every chunk out is done, but its results are not taken: nothing more is read").isEqualTo(6);
        it.next();
        assertThat(input.read).as("chunk 0 taken whole: one more chunk").isEqualTo(9);
    }

    @Test
    void anErrorAtOneItemSurfacesThereAndTheIterationGoesOn() {
        onSubmit = unit -> {
            if (unit.firstItem == 2) {
                unit.sink.failed(unit, new ArithmeticException("boom at 2"));
            } else if (unit.firstItem == 4) {
                unit.sink.failed(unit, new Exception("checked at 4"));
            } else {
                complete(unit, itemsOf(unit));
            }
        };
        ImapIterator<Integer, Integer> it = iterator(range(6), 1, 8, true);
        assertThat(it.next()).isEqualTo(0);
        assertThat(it.next()).isEqualTo(1);
        assertThatThrownBy(it::next).isInstanceOf(ArithmeticException.class).hasMessage("boom at 2");
        assertThat(it.next()).isEqualTo(9);
        assertThat(it.hasNext()).as("an error is the next outcome: hasNext() says so and does not throw").isTrue();
        assertThat(it.hasNext()).isTrue();
        assertThatThrownBy(it::next).isInstanceOf(ProcessException.class).hasMessage("java.lang.Exception: checked at 4")
                .hasCauseInstanceOf(Exception.class);
        assertThat(it.next()).isEqualTo(25);
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class).hasMessage("imap over imap on pool-1 has no more results");
    }

    @Test
    void anUnorderedErrorSurfacesWhenItArrivesAndAFailedChunkFailsAllItsItems() {
        onSubmit = unit -> {
            if (unit.index == 1) {
                unit.sink.failed(unit, new IllegalStateException("chunk 1 failed"));
            }
        };
        ImapIterator<Integer, Integer> it = iterator(range(6), 2, 3, false);
        assertThatThrownBy(it::next).hasMessage("chunk 1 failed");
        complete(submitted.get(2), itemsOf(submitted.get(2)));
        complete(submitted.get(0), itemsOf(submitted.get(0)));
        assertThat(drain(it)).as("items 2 and 3 are lost with their chunk").containsExactly(16, 25, 0, 1);
        assertThat(it.describe(submitted.get(1))).isEqualTo("items 2..3 of imap on pool-1");
    }

    @Test
    void anEmptyInputHasNoResults() {
        ImapIterator<Integer, Integer> it = iterator(range(0), 4, 4, true);
        assertThat(it.hasNext()).isFalse();
        assertThat(submitted).isEmpty();
    }
}
