package io.mproc;

import io.mproc.pool.PoolImpl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The Pool contract, run against one pool of 2 real worker JVMs shared by the class. */
@Timeout(180)
class PoolTest extends SharedCluster {
    static Pool pool;

    @BeforeAll
    static void startPool() {
        pool = mp.pool(2);
        assertThat(((PoolImpl) pool).connectedWorkers()).as("a worker connected when pool() returns").isPositive();
        assertThat(pool.awaitWorkers(Duration.ofSeconds(60))).isTrue();
        assertThat(((PoolImpl) pool).connectedWorkers()).isEqualTo(2);
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    static List<Integer> squares(List<Integer> items) {
        return items.stream().map(Tasks::square).toList();
    }

    @Test
    void tasksRunInAtLeastTwoOtherJvms() {
        List<Long> pids = pool.map(Tasks::slowPid, java.util.Collections.nCopies(20, 50), 1);
        assertThat(new HashSet<>(pids)).hasSizeGreaterThanOrEqualTo(2).doesNotContain(ProcessHandle.current().pid());
    }

    @Test
    void aClassOnlyTheProgramHasReachesTheWorkersFromTheProgram() throws Exception {
        // the workers have this JVM's class path; com.example.Shape is only in a loader this program made
        Task<Integer, String> shape = io.mproc.testing.Shapes.shape(2);
        assertThat(pool.map(shape, List.of(2, 3), 1)).containsExactly("v2 cube of 2 = 8", "v2 cube of 3 = 27");
    }

    @Test
    void anEmbeddedClusterServesItsStatusPageWhenAskedListingThePoolsWorkerJvms() throws Exception {
        String url = mp.statusPage().orElseThrow();
        assertThat(url).startsWith("http://127.0.0.1:").contains("/?token=");
        String base = url.substring(0, url.indexOf("/?token="));
        String token = url.substring(url.indexOf("=") + 1);
        var client = java.net.http.HttpClient.newHttpClient();
        var status = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/status"))
                .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        java.util.Set<Long> pids = new io.vertx.core.json.JsonArray(status.body()).stream()
                .map(r -> ((io.vertx.core.json.JsonObject) r).getLong("pid")).collect(java.util.stream.Collectors.toSet());
        assertThat(pids).containsAll(new java.util.HashSet<>(pool.map(Tasks::pid, range(20), 1)));
        assertThat(ProcessHandle.current().descendants().map(ProcessHandle::pid).toList()).containsAll(pids);
        var page = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("new EventSource(\"api/events\")");
    }

    @Test
    void progressDrawsNothingWhenThisJvmsOutputIsPiped() {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(System.console()).as("surefire pipes this JVM's output").isNull();
            assertThat(Progress.show("sleepy", pool.mapAsync(Tasks::sleepy, Collections.nCopies(10, 50), 1))).hasSize(10);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("sleepy [");
    }

    @Test
    void aMapsProgressCountsItemsAsTheirResultsArriveFromTheWorkers() throws Exception {
        AsyncResult<List<Integer>> map = pool.mapAsync(Tasks::sleepy, Collections.nCopies(40, 50), 1);
        assertThat(map.itemsTotal()).isEqualTo(40);
        java.util.Set<Long> seen = new java.util.TreeSet<>();
        long last = 0;
        while (!map.ready()) {
            long done = map.itemsDone();
            assertThat(done).as("progress never goes back").isGreaterThanOrEqualTo(last).isLessThanOrEqualTo(40);
            seen.add(done);
            last = done;
            Thread.sleep(20);
        }
        assertThat(map.get()).hasSize(40);
        assertThat(map.itemsDone()).isEqualTo(40);
        assertThat(seen).as("counts seen while it ran").anyMatch(n -> n > 0 && n < 40);
        AsyncResult<Integer> one = pool.applyAsync(Tasks::square, 7);
        assertThat(one.get()).isEqualTo(49);
        assertThat(List.of(one.itemsDone(), one.itemsTotal())).containsExactly(1L, 1L);
    }

    @Test
    void mapFamilyEqualsSerialComputationInInputOrder() {
        for (int n : new int[]{0, 1, 7, 100, 1000}) {
            List<Integer> items = range(n);
            List<Integer> expected = squares(items);
            assertThat(pool.map(Tasks::square, items)).as("map of %d", n).isEqualTo(expected);
            assertThat(pool.map(Tasks::square, items, 1)).as("map chunksize 1 of %d", n).isEqualTo(expected);
            assertThat(pool.map(Tasks::square, items, n + 5)).as("map chunksize > n of %d", n).isEqualTo(expected);
            assertThat(pool.<Integer, Integer>mapAsync(x -> x * x, items).get()).isEqualTo(expected);
            assertThat(pool.<Integer, Integer>mapAsync(x -> x * x, items, 3).get()).isEqualTo(expected);
            assertThat(toList(pool.imap(Tasks::square, items))).as("imap of %d", n).isEqualTo(expected);
            assertThat(toList(pool.imap(Tasks::square, items, 4))).isEqualTo(expected);
            assertThat(toList(pool.imapUnordered(Tasks::square, items))).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(toList(pool.imapUnordered(Tasks::square, items, n + 5))).containsExactlyInAnyOrderElementsOf(expected);

            List<Map.Entry<Integer, Integer>> pairs = items.stream().map(i -> Map.entry(i, i + 1)).toList();
            List<Integer> products = items.stream().map(i -> i * (i + 1)).toList();
            assertThat(pool.<Integer, Integer, Integer>starmap((a, b) -> a * b, pairs)).isEqualTo(products);
            assertThat(pool.<Integer, Integer, Integer>starmap((a, b) -> a * b, pairs, 1)).isEqualTo(products);
            assertThat(pool.<Integer, Integer, Integer>starmapAsync((a, b) -> a * b, pairs).get()).isEqualTo(products);
        }
        assertThat(pool.apply(Tasks::square, 12)).isEqualTo(144);
        assertThat(pool.applyAsync(Tasks::square, 5).get()).isEqualTo(25);
        List<String> words = new LinkedList<>(List.of("a", "bb", "ccc"));
        assertThat(pool.<String, Integer>map(String::length, words)).containsExactly(1, 2, 3);
        List<Object> mixed = new ArrayList<>(List.of(1, "two", 3.0));
        mixed.add(null);
        assertThat(pool.<Object, String>map(String::valueOf, mixed)).containsExactly("1", "two", "3.0", "null");
    }

    @Test
    void getWithTimeoutThrowsAndThePoolGoesOn() throws Exception {
        AsyncResult<Integer> slow = pool.applyAsync(Tasks::sleepy, 1500);
        assertThatThrownBy(() -> slow.get(Duration.ofMillis(100))).isInstanceOf(TimeoutException.class);
        assertThat(slow.ready()).isFalse();
        assertThatThrownBy(slow::successful).isInstanceOf(IllegalStateException.class);
        assertThat(pool.apply(Tasks::square, 7)).isEqualTo(49);
        assertThat(slow.get(Duration.ofSeconds(30))).isEqualTo(1500);
        assertThat(slow.successful()).isTrue();
        assertThat(slow.await(Duration.ZERO)).isTrue();
    }

    @Test
    void aTaskExceptionReachesTheCallerWithTheWorkersStackTrace() {
        assertThatThrownBy(() -> pool.apply(Tasks::boom, 1))
                .isInstanceOf(RemoteTaskException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessage("boom")
                .satisfies(cause -> assertThat(cause.getStackTrace())
                        .anyMatch(f -> f.getClassName().equals(Tasks.class.getName()) && f.getMethodName().equals("boom")));
        assertThatThrownBy(() -> pool.map(x -> x == 13 ? Tasks.boom(x) : x, range(40), 5))
                .isInstanceOf(RemoteTaskException.class).hasMessageContaining("item 13").hasCauseInstanceOf(IllegalStateException.class);
        Iterator<Integer> it = pool.imap(x -> x == 2 ? Tasks.boom(x) : x, range(4));
        assertThat(it.next()).isZero();
        assertThat(it.next()).isEqualTo(1);
        assertThat(it.hasNext()).as("a failed item is still an item: hasNext() does not throw").isTrue();
        assertThatThrownBy(it::next).isInstanceOf(RemoteTaskException.class);
        assertThat(it.next()).isEqualTo(3);
        assertThat(pool.map(Tasks::square, range(10))).isEqualTo(squares(range(10)));
    }

    @Test
    void unserializableValuesFailInTheCallerNamingTheClassAndThePoolGoesOn() {
        Thread notSerializable = new Thread(() -> { });
        assertThatThrownBy(() -> pool.map(Object::toString, List.of(notSerializable)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("java.lang.Thread");
        assertThatThrownBy(() -> pool.apply(x -> notSerializable.getName() + x, 1))
                .isInstanceOf(SerializationException.class).hasMessageContaining("java.lang.Thread");
        assertThatThrownBy(() -> pool.map(x -> new Object(), range(3)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> pool.apply(x -> Thread.currentThread(), 1))
                .isInstanceOf(SerializationException.class).hasMessageContaining("java.lang.Thread");
        assertThat(pool.map(Tasks::square, range(20))).isEqualTo(squares(range(20)));
    }

    @Test
    void callbacksRunWithTheResultOrTheError() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        pool.applyAsync(Tasks::square, 9, seen::add, seen::add);
        pool.applyAsync(Tasks::boom, 1, seen::add, seen::add);
        pool.mapAsync(Tasks::square, range(3)).onSuccess(seen::add);
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 3);
        assertThat(seen).contains(81, List.of(0, 1, 4)).anyMatch(o -> o instanceof RemoteTaskException);
    }

    @Test
    void imapStreamsAnEndlessInputWithABoundedWindow() {
        AtomicInteger read = new AtomicInteger();
        Iterator<Integer> endless = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return read.getAndIncrement();
            }
        };
        Iterator<Integer> results = pool.imap(Tasks::square, () -> endless, 2);
        for (int i = 0; i < 50; i++) {
            assertThat(results.next()).isEqualTo(i * i);
        }
        assertThat(read.get()).isLessThan(50 + 2 * 64);
        Iterator<Integer> unordered = pool.imapUnordered(Tasks::square, () -> endless);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            int square = unordered.next();
            int root = (int) Math.round(Math.sqrt(square));
            assertThat(root * root).as("a square").isEqualTo(square);
            assertThat(root).as("an item the input gave").isLessThan(read.get());
            assertThat(seen.add(square)).as("each item once").isTrue();
        }
    }

    @Test
    void currentProcessInsideATaskIsTheWorker() {
        ProcessInfo inside = pool.apply(x -> Multiprocessing.currentProcess(), 0);
        assertThat(inside.name()).matches("pool-\\d+-worker-\\d+");
        assertThat(inside.pid()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(Multiprocessing.currentProcess().name()).isEqualTo("MainProcess");
    }

    @Test
    void workerOutputReachesTheConsoleLineByLineWithTheWorkersName() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            pool.map(x -> {
                for (int i = 0; i < 50; i++) {
                    System.out.println("line-" + x + "-" + i + "-" + "x".repeat(200));
                }
                return x;
            }, range(4), 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> captured.toString().split("\n").length >= 200);
        } finally {
            System.setOut(original);
        }
        List<String> lines = java.util.Arrays.stream(captured.toString().split("\n")).filter(l -> l.contains("line-")).toList();
        assertThat(lines).as("every line a task printed, whole").hasSize(200)
                .allMatch(line -> line.matches("\\[pool-\\d+-worker-\\d+] line-\\d+-\\d+-x{200}"));
    }

    @Test
    void aReusedTaskShipsTheStateItCapturesAtEachCall() {
        List<Integer> box = new ArrayList<>();
        Task<Integer, Integer> size = x -> box.size();
        assertThat(pool.map(size, range(4))).containsOnly(0);
        box.add(1);
        box.add(2);
        assertThat(pool.map(size, range(4))).as("the second map sees the box as it is now").containsOnly(2);
        box.add(3);
        assertThat(pool.applyAsync(size, 0).get()).isEqualTo(3);
        assertThat(PoolTest.toList(pool.imap(size, range(2), 1))).containsOnly(3);
    }

    @Test
    void blockingCallsOnAnEventLoopFailAtOnce() throws Exception {
        io.vertx.core.Vertx vertx = io.mproc.cluster.Nodes.of(((io.mproc.runtime.LocalContext) mp).clusterName());
        for (java.util.function.Supplier<Object> call : List.<java.util.function.Supplier<Object>>of(
                () -> mp.pool(2), () -> mp.queue(), () -> mp.pipe(), () -> mp.value(1), () -> pool.apply(Tasks::square, 2))) {
            java.util.concurrent.CompletableFuture<Object> outcome = new java.util.concurrent.CompletableFuture<>();
            vertx.runOnContext(v -> { // one of mproc's own event loops
                try {
                    outcome.complete(call.get());
                } catch (RuntimeException e) {
                    outcome.complete(e);
                }
            });
            assertThat(outcome.get(5, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE).hasMessageContaining("event-loop");
        }
    }

    @Test
    void whatAWorkerPutsAndSetsBeforeANormalStopIsAllSeen() {
        Queue<Integer> items = mp.queue();
        DictProxy<Integer, Integer> dict = mp.manager().dict();
        int perTask = 50_000;
        try (Pool short1 = mp.pool(2)) {
            short1.map(x -> {
                for (int i = 0; i < perTask; i++) {
                    items.put(x * perTask + i); // an unbounded queue elsewhere: buffered by the worker's feeder
                }
                dict.set(x, x * x);
                return x;
            }, range(2), 1);
        } // close() stops the workers at once: what they buffered must still arrive
        java.util.BitSet got = new java.util.BitSet();
        for (int i = 0; i < 2 * perTask; i++) {
            got.set(items.get(Duration.ofSeconds(10)));
        }
        assertThat(got.cardinality()).isEqualTo(2 * perTask);
        assertThat(items.empty()).isTrue();
        assertThat(new java.util.TreeMap<>(dict)).isEqualTo(Map.of(0, 0, 1, 1));
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertThatThrownBy(() -> pool.map(Tasks::square, range(3), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunksize must be >= 1: 0");
        assertThatThrownBy(() -> mp.pool(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("processes must be >= 1: 0");
        assertThatThrownBy(() -> pool.join()).isInstanceOf(IllegalStateException.class).hasMessageContaining("still running");
    }

    static <T> List<T> toList(Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
