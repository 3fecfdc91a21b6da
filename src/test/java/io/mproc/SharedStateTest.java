package io.mproc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.mozilla.javascript.FakeGadget;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Values, arrays and Manager collections written in child JVMs and read in the test JVM. */
@Timeout(240)
class SharedStateTest extends SharedCluster {

    @Test
    void aValueAndAnArrayWrittenByAChildAreReadByTheParentAfterJoin() {
        Value<Long> value = mp.value(10L);
        LongArray longs = mp.array(new long[]{1, 2, 3});
        DoubleArray doubles = mp.array(new double[]{0.5, 1.5});
        Value<Long> pid = mp.value(0L);
        RemoteProcess child = mp.process(() -> {
            value.set(value.get() + 1);
            longs.set(0, 100);
            doubles.set(1, doubles.get(0) * 10);
            pid.set(ProcessHandle.current().pid());
        });
        child.start();
        child.join();
        assertThat(child.exitCode()).isZero();
        assertThat(pid.get()).isEqualTo(child.pid()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(value.get()).isEqualTo(11L);
        assertThat(longs.toArray()).containsExactly(100, 2, 3);
        assertThat(longs.length()).isEqualTo(3);
        assertThat(doubles.toArray()).containsExactly(0.5, 5.0);
        assertThatThrownBy(() -> longs.get(3)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("length 3");
    }

    @Test
    void atomicUpdatesFromFourProcessesLoseNothingAndUnlockedReadModifyWritesMay() {
        Value<Long> atomic = mp.value(0L);
        List<RemoteProcess> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(mp.process(() -> {
                for (int n = 0; n < 2_000; n++) {
                    atomic.update(x -> x + 1);
                }
            }));
        }
        workers.forEach(RemoteProcess::start);
        workers.forEach(RemoteProcess::join);
        assertThat(atomic.get()).isEqualTo(8_000L);
        assertThat(atomic.updateAndGet(x -> x * 2)).isEqualTo(16_000L);
        assertThatThrownBy(() -> atomic.update(x -> x / 0)).isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("by zero");
        assertThat(atomic.get()).isEqualTo(16_000L);
    }

    @Test
    void handlesCapturedInPoolTasksAreLiveInEveryWorker() {
        Value<Long> sum = mp.value(0L);
        DictProxy<Integer, Long> pids = mp.manager().dict();
        Lock lock = mp.lock();
        try (Pool pool = mp.pool(2)) {
            pool.awaitWorkers(Duration.ofSeconds(60));
            pool.map(x -> {
                try (Lock.Held held = lock.hold()) {
                    sum.set(sum.get() + x);
                }
                pids.set(x, ProcessHandle.current().pid());
                return x;
            }, java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList(), 1);
        }
        assertThat(sum.get()).isEqualTo(5050L);
        assertThat(pids).hasSize(100);
        assertThat(new java.util.HashSet<>(pids.values())).hasSize(2).doesNotContain(ProcessHandle.current().pid());
    }

    @Test
    void whileAThreadHoldsTheValuesLockItsReadsAndWritesStayLocalAndOthersWait() throws Exception {
        Value<String> value = mp.value("a");
        Value<String> seenByChild = mp.value("");
        Event started = mp.event();
        RemoteProcess child;
        try (Lock.Held held = value.getLock().hold()) {
            value.set("b");
            child = mp.process(() -> {
                started.set();
                seenByChild.set(value.get()); // waits for the parent's release
            });
            child.start();
            assertThat(started.await(Duration.ofSeconds(60))).isTrue();
            Thread.sleep(200);
            assertThat(seenByChild.get()).isEmpty();
            value.set("c");
        }
        child.join();
        assertThat(seenByChild.get()).isEqualTo("c");
    }

    @Test
    void aManagerDictChangedByAChildShowsItsFinalStateAndNestedDictsAreLiveBothWays() {
        DictProxy<String, Object> dict = mp.manager().dict();
        DictProxy<String, Integer> inner = mp.manager().dict();
        dict.put("keep", 1);
        dict.put("drop", 2);
        dict.put("inner", inner);
        RemoteProcess child = mp.process(() -> {
            dict.remove("drop");
            dict.put("added", 3);
            @SuppressWarnings("unchecked")
            Map<String, Integer> nested = (Map<String, Integer>) dict.get("inner");
            nested.put("through-outer", 1);
            inner.put("through-inner", 2);
        });
        child.start();
        child.join();
        assertThat(child.exitCode()).isZero();
        assertThat(dict.keySet()).containsExactlyInAnyOrder("keep", "added", "inner");
        assertThat(dict.get("keep")).isEqualTo(1);
        assertThat(new TreeMap<>(inner)).containsExactly(Map.entry("through-inner", 2), Map.entry("through-outer", 1));
        @SuppressWarnings("unchecked")
        Map<String, Integer> viaOuter = (Map<String, Integer>) dict.get("inner");
        assertThat(viaOuter).isEqualTo(inner);

        RemoteProcess clearer = mp.process(dict::clear);
        clearer.start();
        clearer.join();
        assertThat(dict).isEmpty();
        assertThat(inner).hasSize(2);
    }

    @Test
    void compoundDictUpdatesFromTwoProcessesLoseNothing() {
        DictProxy<String, Integer> counts = mp.manager().dict();
        Barrier start = mp.barrier(2);
        List<RemoteProcess> writers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            writers.add(mp.process(() -> {
                start.await();
                for (int n = 0; n < 1000; n++) {
                    counts.merge("merged", 1, Integer::sum);
                    counts.compute("computed", (k, v) -> v == null ? 1 : v + 1);
                    counts.computeIfPresent("present", (k, v) -> v + 1);
                }
            }));
        }
        counts.put("present", 0);
        writers.forEach(RemoteProcess::start);
        writers.forEach(RemoteProcess::join);
        assertThat(writers).allMatch(w -> w.exitCode() == 0);
        assertThat(new TreeMap<>(counts)).isEqualTo(Map.of("merged", 2000, "computed", 2000, "present", 2000));
        assertThat(counts.computeIfAbsent("absent", k -> 7)).isEqualTo(7);
        assertThat(counts.computeIfAbsent("absent", k -> 8)).isEqualTo(7);
        counts.replaceAll((k, v) -> v + 1);
        assertThat(counts.get("absent")).isEqualTo(8);
    }

    @Test
    void aManagerDictFilledByFiveProcessesHoldsEverySquare() {
        DictProxy<Integer, Integer> squares = mp.manager().dict();
        List<RemoteProcess> writers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            writers.add(mp.process(() -> squares.set(n, n * n)));
        }
        writers.forEach(RemoteProcess::start);
        writers.forEach(RemoteProcess::join);
        assertThat(new TreeMap<>(squares)).hasToString("{0=0, 1=1, 2=4, 3=9, 4=16}");
    }

    @Test
    void aManagerListAndNamespaceAreSharedWithAChild() {
        ListProxy<String> list = mp.manager().list();
        Namespace ns = mp.manager().namespace();
        list.add("parent");
        ns.set("x", 1);
        RemoteProcess child = mp.process(() -> {
            list.add("child");
            list.set(0, "PARENT");
            ns.set("x", (Integer) ns.get("x") + 1);
            ns.set("y", "from child");
        });
        child.start();
        child.join();
        assertThat(list).containsExactly("PARENT", "child");
        assertThat((Integer) ns.get("x")).isEqualTo(2);
        assertThat(ns.toMap()).containsOnlyKeys("x", "y");
        assertThatThrownBy(() -> ns.get("z")).isInstanceOf(NoSuchElementException.class).hasMessageContaining("'z'");
    }

    @Test
    void namedObjectsAreFoundByNameAndAKindMismatchIsRefused() {
        Value<Integer> first = mp.value("answer", 42);
        Value<Integer> again = mp.value("answer", 0);
        assertThat(again.get()).isEqualTo(42);
        first.set(43);
        assertThat(again.get()).isEqualTo(43);
        mp.manager().dict("scores").put("a", 1);
        assertThat(mp.manager().<String, Integer>dict("scores")).containsEntry("a", 1);
        assertThatThrownBy(() -> mp.lock("answer")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already used by a Value");
    }

    @Test
    void valuesThatCannotCrossAProcessBoundaryFailInTheCallerNamingTheirClass() {
        Value<Object> value = mp.value((Object) "ok");
        Object unserializable = new Object();
        assertThatThrownBy(() -> value.set(unserializable)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.lang.Object");
        DictProxy<String, Object> dict = mp.manager().dict();
        assertThatThrownBy(() -> dict.put("k", unserializable)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.lang.Object");
        assertThat(value.get()).isEqualTo("ok");
        assertThat(dict).isEmpty();
    }

    @Test
    void aGadgetClassIsRefusedAsATaskArgumentAndAsASharedValueAndNoJvmReadsIt() throws Exception {
        Path marker = Files.createTempDirectory("mproc-gadget").resolve("read");
        String where = marker.toString();
        Value<Object> value = mp.value("safe");
        try (Pool pool = mp.pool(1)) {
            assertThatThrownBy(() -> pool.apply(x -> 1, new FakeGadget(where))).isInstanceOf(SerializationException.class)
                    .hasMessageContaining(FakeGadget.class.getName()).hasMessageContaining("refused by the deserialization filter");
            // a worker (a member with every right to join) sets it: the data member (this JVM) must not read it
            assertThatThrownBy(() -> pool.apply(x -> {
                value.set(new FakeGadget(where));
                return 1;
            }, 0)).isInstanceOf(RemoteTaskException.class).hasMessageContaining(FakeGadget.class.getName());
        }
        assertThat(value.get()).isEqualTo("safe");
        assertThat(FakeGadget.READS).as("reads in this JVM").hasValue(0);
        assertThat(marker).as("no JVM read it").doesNotExist();
    }
}
