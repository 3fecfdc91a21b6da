package io.mproc.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A map's chunks gathered in input order, and its progress counted as they come, without JVMs. */
@Timeout(10)
class MapJobTest {

    @Test
    void chunksArriveInAnyOrderProgressCountsTheirItemsAndTheResultKeepsInputOrder() {
        AsyncResultImpl<List<Integer>> result = new AsyncResultImpl<>(Runnable::run, 5);
        MapJob<List<Integer>> job = new MapJob<>("map on p1", 3, result, false);
        Unit first = new Unit(1, 0, 0, List.of(1, 2), Unit.SINGLE, new byte[]{1}, job);
        Unit second = new Unit(2, 1, 2, List.of(3, 4), Unit.SINGLE, new byte[]{1}, job);
        Unit third = new Unit(3, 2, 4, List.of(5), Unit.SINGLE, new byte[]{1}, job);
        assertThat(result.itemsDone()).isZero();
        assertThat(result.itemsTotal()).isEqualTo(5);

        job.completed(third, new Object[]{25});
        assertThat(result.itemsDone()).isEqualTo(1);
        job.completed(first, new Object[]{1, 4});
        assertThat(result.itemsDone()).isEqualTo(3);
        assertThat(result.ready()).isFalse();
        job.completed(second, new Object[]{9, 16});

        assertThat(result.itemsDone()).isEqualTo(5);
        assertThat(result.get()).containsExactly(1, 4, 9, 16, 25);
    }

    @Test
    void anApplyIsOneItem() {
        AsyncResultImpl<Integer> result = new AsyncResultImpl<>(Runnable::run, 1);
        MapJob<Integer> job = new MapJob<>("apply on p1", 1, result, true);
        job.completed(new Unit(1, 0, 0, List.of(7), Unit.SINGLE, new byte[]{1}, job), new Object[]{49});
        assertThat(result.itemsDone()).isEqualTo(1);
        assertThat(result.get()).isEqualTo(49);
    }
}
