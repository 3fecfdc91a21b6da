package io.mproc;

import com.example.shipped.Program;
import com.example.shipped.ShippedVerticle;
import io.mproc.cluster.Addresses;
import io.mproc.cluster.Nodes;
import io.mproc.testing.StandingCluster;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.mproc.testing.Shapes.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Classes on demand, across real JVMs: a standing cluster started on mproc's class path alone
 * (not the test classes) runs a connected program's lambdas, method references, argument and
 * result classes, process jobs and verticles, fetching each class from the program that sent
 * the work; two programs with different versions of {@code com.example.Shape} each get their
 * own; and the loaders of programs that left are dropped, so the workers' classes and
 * metaspace stay bounded over 50 programs. One cluster (2 workers) serves the class.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClassShippingTest {
    private static StandingCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        String withoutTests = StandingCluster.classPathWithoutTests();
        assertThat(withoutTests).doesNotContain("test-classes");
        cluster = StandingCluster.startOn(withoutTests, "--workers", "2");
        try (Multiprocessing mp = Multiprocessing.connect(cluster.address()); Pool pool = mp.pool(2)) {
            long deadline = System.currentTimeMillis() + 60_000; // both workers serve before the first test
            while (System.currentTimeMillis() < deadline && pool.map(Program.area(), java.util.Collections.nCopies(40, new Program.Point(1, 1)), 1)
                    .stream().map(Program.Area::pid).distinct().count() < 2) {
                Thread.sleep(100);
            }
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Set<Long> clusterJvms() {
        return cluster.process().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private static Vertx eventBusOf(Multiprocessing mp) {
        return Nodes.of(cluster.address().substring(0, cluster.address().indexOf('@')));
    }

    @Test
    @Order(1)
    void aConnectedProgramRunsItsOwnClassesOnAClusterThatHasNone() throws Exception {
        assertThatThrownBy(() -> Class.forName("com.example.shipped.Program", false,
                new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader()))).isInstanceOf(ClassNotFoundException.class);
        try (Multiprocessing mp = Multiprocessing.connect(cluster.address()); Pool pool = mp.pool(2)) {
            // a lambda capturing a value of the program's class
            assertThat(pool.map(Program.labelled(new Program.Point(10, 20)), List.of(1, 2, 3)))
                    .containsExactly("(11,20)", "(12,20)", "(13,20)");
            // a method reference, from an argument class to a result class
            List<Program.Area> areas = pool.map(Program.area(), IntStream.rangeClosed(1, 40).mapToObj(i -> new Program.Point(i, 2)).toList());
            assertThat(areas).extracting(Program.Area::value).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, 40).mapToObj(i -> (long) i * 2).toList());
            assertThat(clusterJvms()).containsAll(areas.stream().map(Program.Area::pid).collect(Collectors.toSet()));
            // a value of the program's class that the task reads from a Manager dict
            DictProxy<String, Program.Point> points = mp.manager().dict();
            points.put("p", new Program.Point(6, 9));
            assertThat(pool.apply(Program.areaIn(points), "p")).isEqualTo(54L);
            // a resource of the program's class path, read inside the task
            assertThat(pool.apply(Program.greeting(), 7)).isEqualTo("hello from the program's class path #7");

            // a process of the program's own job class
            Queue<Object> out = mp.queue();
            RemoteProcess process = mp.process(new Program.Report(out));
            process.start();
            String line = (String) out.get(Duration.ofSeconds(60));
            Program.Area area = (Program.Area) out.get(Duration.ofSeconds(30));
            process.join();
            assertThat(process.exitCode()).isZero();
            assertThat(line).isEqualTo(process.pid() + " hello from the program's class path");
            assertThat(area).isEqualTo(new Program.Area(42, process.pid()));
            assertThat(process.pid()).isNotEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    @Order(2)
    void aVerticleOfTheProgramRunsWhileTheProgramIsConnected() throws Exception {
        try (Multiprocessing mp = Multiprocessing.connect(cluster.address())) {
            assertThat(mp.deployOnWorkers(ShippedVerticle.class.getName())).hasSize(2);
            JsonObject answer = eventBusOf(mp).eventBus().<JsonObject>request("test.shipped", "hi").toCompletionStage()
                    .toCompletableFuture().get(30, TimeUnit.SECONDS).body();
            assertThat(clusterJvms()).contains(answer.getLong("pid"));
            assertThat(answer.getString("message")).isEqualTo("hello from the program's class path");
            // a deploy naming a program that is no member (e.g. sent through the HTTP bridge) is refused
            Throwable refused = eventBusOf(mp).eventBus().request(Addresses.SUPERVISOR,
                    new io.mproc.cluster.protocol.Request.Deploy(ShippedVerticle.class.getName(), "no-such-member").toJson())
                    .toCompletionStage().toCompletableFuture().handle((ok, e) -> e).get(30, TimeUnit.SECONDS);
            assertThat(refused).isInstanceOf(ReplyException.class).hasMessageContaining("program no-such-member is no member of this cluster");
        }
        // the program left: its verticles went with its classes
        try (Multiprocessing mp = Multiprocessing.connect(cluster.address())) {
            long deadline = System.currentTimeMillis() + 20_000;
            Throwable last = null;
            while (System.currentTimeMillis() < deadline) {
                try {
                    eventBusOf(mp).eventBus().request("test.shipped", "hi").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    Thread.sleep(200);
                } catch (ExecutionException e) {
                    last = e.getCause();
                    break;
                }
            }
            assertThat(last).isInstanceOf(ReplyException.class).hasMessageContaining("No handlers");
        }
    }

    @Test
    @Order(3)
    void twoProgramsWithTwoVersionsOfAClassEachGetTheirOwn() throws Exception {
        try (Multiprocessing first = Multiprocessing.connect(cluster.address());
             Multiprocessing second = Multiprocessing.connect(cluster.address());
             Pool one = first.pool(2); Pool two = second.pool(2)) {
            Task<Integer, String> v1 = shape(1);
            Task<Integer, String> v2 = shape(2);
            assertThat(v1.getClass().getName()).isEqualTo(v2.getClass().getName()).isEqualTo("com.example.Shape");
            List<Integer> items = IntStream.rangeClosed(1, 30).boxed().toList();
            for (int round = 0; round < 3; round++) {
                CompletableFuture<List<String>> a = CompletableFuture.supplyAsync(() -> one.map(v1, items));
                CompletableFuture<List<String>> b = CompletableFuture.supplyAsync(() -> two.map(v2, items));
                assertThat(a.get(60, TimeUnit.SECONDS)).containsExactlyElementsOf(items.stream().map(n -> "v1 square of " + n + " = " + n * n).toList());
                assertThat(b.get(60, TimeUnit.SECONDS)).containsExactlyElementsOf(items.stream().map(n -> "v2 cube of " + n + " = " + n * n * n).toList());
            }
        }
    }

    /** What a cluster worker says of itself: loaded classes, metaspace, program loaders; after a full collection. */
    private static List<JsonObject> workersAfterGc(Multiprocessing mp) throws Exception {
        List<JsonObject> rows = new ArrayList<>();
        for (String name : List.of("worker-1", "worker-2")) {
            JsonObject info = eventBusOf(mp).eventBus().<JsonObject>request(Addresses.worker(name), new JsonObject().put("op", "info"))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
            java.lang.Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(info.getLong("pid")), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(gc.waitFor(30, TimeUnit.SECONDS)).isTrue();
            rows.add(eventBusOf(mp).eventBus().<JsonObject>request(Addresses.worker(name), new JsonObject().put("op", "info"))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body());
        }
        return rows;
    }

    private static long sum(List<JsonObject> rows, String field) {
        return rows.stream().mapToLong(r -> r.getLong(field)).sum();
    }

    @Test
    @Order(4)
    void fiftyProgramsLeaveNoClassesBehind() throws Exception {
        List<Integer> items = IntStream.rangeClosed(1, 8).boxed().toList();
        List<JsonObject> before = null;
        int cycles = 50;
        int baseline = 10;
        Set<Long> ranIn = new HashSet<>();
        for (int i = 1; i <= cycles; i++) {
            try (Multiprocessing mp = Multiprocessing.connect(cluster.address()); Pool pool = mp.pool(2)) {
                int version = 1 + i % 2;
                Task<Integer, String> fresh = shape(version); // a class of a loader of its own, new every cycle
                assertThat(pool.map(fresh, items, 1)).hasSize(items.size()).allMatch(s -> s.startsWith("v" + version + " "));
                // tasks that use a lock: the worker's waiting machinery, made by the first of them, keeps no program's loader
                assertThat(pool.map(Program.underLock(mp.lock()), List.of(1, 2, 3, 4), 1)).containsExactly(1, 2, 3, 4);
                ranIn.addAll(pool.map(Program.area(), List.of(new Program.Point(1, 1), new Program.Point(2, 2)), 1).stream()
                        .map(Program.Area::pid).toList());
                if (i == baseline || i == cycles) {
                    pool.close();
                    List<JsonObject> rows = i == baseline ? null : workersAfterGc(mp);
                    if (i == baseline) {
                        before = workersAfterGc(mp);
                    } else {
                        long grown = sum(rows, "classes") - sum(before, "classes");
                        long metaspaceGrownKb = sum(rows, "metaspaceKb") - sum(before, "metaspaceKb");
                        System.out.printf("after %d programs: classes %d -> %d (%+d), metaspace %d -> %d KiB (%+d), program loaders in memory %d%n",
                                cycles - baseline, sum(before, "classes"), sum(rows, "classes"), grown, sum(before, "metaspaceKb"),
                                sum(rows, "metaspaceKb"), metaspaceGrownKb, sum(rows, "programLoaders"));
                        // each program makes its workers load Shape, its 4 helpers and Program's classes, about 20 (measured,
                        // loaders kept: +925 classes and +4,449 KiB over 45 programs; dropped: +12 to +41 classes and about
                        // +1,700 KiB, which is the profiles of methods getting warm, not classes)
                        assertThat(grown).as("classes loaded and not unloaded over %d programs", cycles - baseline).isLessThan(100);
                        assertThat(metaspaceGrownKb).as("metaspace growth, KiB").isLessThan(3_072);
                        // this program's loader, at most, is still there
                        assertThat(sum(rows, "programLoaders")).isLessThanOrEqualTo(2);
                    }
                }
            }
        }
        assertThat(clusterJvms()).containsAll(ranIn);
    }
}
