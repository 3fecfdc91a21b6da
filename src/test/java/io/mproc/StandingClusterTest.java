package io.mproc;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.mproc.testing.ConnectedDriver;
import io.mproc.testing.EchoVerticle;
import io.mproc.testing.PidVerticle;
import io.mproc.testing.QueuePutter;
import io.mproc.testing.StandingCluster;
import io.mproc.testing.StandingCluster.Run;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code run.sh cluster} in a JVM of its own, programs that connect to it, and the
 * {@code run.sh status|scale|send|stop} subcommands, each in a JVM of its own. One cluster
 * (2 workers, a verticle given by flag) serves the whole class; the last test stops it.
 */
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandingClusterTest {
    private static StandingCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandingCluster.start("--workers", "2", "--verticle", EchoVerticle.class.getName());
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

    private static JsonArray status() throws Exception {
        Run run = cluster.run("status", "--json");
        assertThat(run.code()).as(run.toString()).isZero();
        return new JsonArray(run.out().trim());
    }

    private static Set<String> clusterWorkers(JsonArray status) {
        return status.stream().map(JsonObject.class::cast).filter(r -> "cluster".equals(r.getString("group")))
                .map(r -> r.getString("worker")).collect(Collectors.toSet());
    }

    @Test
    @Order(1)
    void aProgramConnectsToAStandingClusterAndItsTasksRunOnTheClustersWorkers() {
        assertThat(cluster.address()).as("the address the cluster printed").startsWith("test-");
        try (Multiprocessing mp = Multiprocessing.connect(cluster.address()); Pool pool = mp.pool(2)) {
            List<Long> pids = pool.map(Tasks::pid, IntStream.range(0, 1000).boxed().toList());
            assertThat(pids).hasSize(1000);
            assertThat(clusterJvms()).containsAll(new HashSet<>(pids));
            assertThat(pids).doesNotContain(ProcessHandle.current().pid(), cluster.process().pid());
            assertThat(mp.clusterCpuCount()).isEqualTo(Multiprocessing.cpuCount());
        }
    }

    @Test
    @Order(2)
    void statusListsEveryWorkerAndTheTableHasItsColumns() throws Exception {
        JsonArray rows = status();
        assertThat(clusterWorkers(rows)).containsExactlyInAnyOrder("worker-1", "worker-2");
        for (Object r : rows) {
            JsonObject row = (JsonObject) r;
            assertThat(row.getString("host")).isEqualTo("127.0.0.1");
            assertThat(clusterJvms()).contains(row.getLong("pid"));
        }
        assertThat(rows.stream().map(JsonObject.class::cast).mapToLong(r -> r.getLong("tasks")).sum())
                .as("the tasks of the map before").isGreaterThanOrEqualTo(1000);

        Run table = cluster.run("status");
        assertThat(table.code()).as(table.toString()).isZero();
        assertThat(table.out()).contains("WORKER", "HOST", "PID", "STATE", "TASKS", "UPTIME", "RSS", "worker-1", "worker-2", " MB");
    }

    @Test
    @Order(3)
    void scalingFromTwoToFourAddsWorkersThatTakeTasksOfARunningMap() throws Exception {
        try (Multiprocessing mp = Multiprocessing.connect(cluster.address()); Pool pool = mp.pool(2)) {
            AsyncResult<List<String>> names = pool.mapAsync(StandingClusterTest::slowName, Collections.nCopies(600, 50), 1);
            Run scale = cluster.run("scale", "4");
            assertThat(scale.code()).as(scale.toString()).isZero();
            assertThat(scale.out()).contains("starting worker-3, worker-4");
            List<String> ran = names.get(java.time.Duration.ofSeconds(180));
            assertThat(ran).hasSize(600);
            assertThat(new HashSet<>(ran)).as("workers that ran tasks").contains("worker-3", "worker-4");
        }
        assertThat(clusterWorkers(status())).containsExactlyInAnyOrder("worker-1", "worker-2", "worker-3", "worker-4");
    }

    @Test
    @Order(4)
    void scalingToOneWhileAMapRunsLosesNoResult() throws Exception {
        try (Multiprocessing mp = Multiprocessing.connect(cluster.address()); Pool pool = mp.pool(4)) {
            List<Integer> items = IntStream.range(0, 400).boxed().toList();
            AsyncResult<List<Integer>> squares = pool.mapAsync(StandingClusterTest::slowSquare, items, 1);
            Run scale = cluster.run("scale", "1");
            assertThat(scale.code()).as(scale.toString()).isZero();
            assertThat(scale.out()).contains("draining");
            assertThat(squares.get(java.time.Duration.ofSeconds(180))).isEqualTo(items.stream().map(x -> x * x).toList());
        }
        long deadline = System.currentTimeMillis() + 30_000;
        Set<String> left = clusterWorkers(status());
        while (left.size() > 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            left = clusterWorkers(status());
        }
        assertThat(left).as("the drained workers left").containsExactly("worker-1");
    }

    @Test
    @Order(5)
    void sendReachesTheDemoAddressAndSaysWhatWentWrongWithADistinctCode() throws Exception {
        long start = System.nanoTime();
        Run square = cluster.run("send", "-v", "mproc.demo.square", "{\"n\": 7}");
        long bridged = System.nanoTime() - start;
        assertThat(square.code()).as(square.toString()).isZero();
        assertThat(square.err()).as("a send that needs no join").contains("via the HTTP bridge at http://127.0.0.1:");
        JsonObject answer = new JsonObject(square.out().trim());
        assertThat(answer.getLong("square")).isEqualTo(49);
        assertThat(answer.getString("worker")).isEqualTo("worker-1");
        assertThat(clusterJvms()).contains(answer.getLong("pid"));

        start = System.nanoTime();
        Run joined = StandingCluster.runCli(List.of("send", "--cluster", cluster.address(), "-v", "mproc.demo.square", "{\"n\": 7}"),
                Map.of("MPROC_HTTP_PORT", "-1"));
        long joining = System.nanoTime() - start;
        assertThat(joined.err()).as(joined.toString()).contains("joining the cluster");
        assertThat(new JsonObject(joined.out().trim()).getLong("square")).isEqualTo(49);
        System.out.printf("run.sh send, wall time of its JVM: %d ms through the HTTP bridge, %d ms joining the cluster%n",
                bridged / 1_000_000, joining / 1_000_000);

        Run malformed = cluster.run("send", "mproc.demo.square", "{\"n\": 7");
        Run nobody = cluster.run("send", "no.such.address", "{}");
        Run unreachable = StandingCluster.runCli(List.of("send", "--cluster", "mproc@127.0.0.1:1", "mproc.demo.square", "{\"n\": 7}"));
        Run flag = cluster.run("send", "--timeout", "zero", "mproc.demo.square", "{}");
        assertThat(List.of(malformed.code(), nobody.code(), unreachable.code(), flag.code())).containsExactly(3, 4, 6, 2);
        for (Run failed : List.of(malformed, nobody, unreachable)) {
            assertThat(failed.err().trim()).as(failed.toString()).doesNotContain("\n").startsWith("run.sh send: ");
        }
        assertThat(malformed.err()).contains("malformed JSON");
        assertThat(nobody.err()).contains("no handler at address no.such.address");
        assertThat(unreachable.err()).contains("no cluster at 127.0.0.1:1");
    }

    @Test
    @Order(6)
    void aUserVerticleDeployedOnTheWorkersAnswersSend() throws Exception {
        Run flagged = cluster.run("send", "test.echo", "[1, \"two\"]");
        assertThat(flagged.code()).as(flagged.toString()).isZero();
        assertThat(flagged.out().trim()).isEqualTo("[1,\"two\"]");

        try (Multiprocessing mp = Multiprocessing.connect(cluster.address())) {
            assertThat(mp.deployOnWorkers(PidVerticle.class.getName())).containsExactly("worker-1");
            assertThat(cluster.run("scale", "2").code()).isZero(); // a worker that starts later deploys it too
            Run pid = cluster.run("send", "test.pid", "{\"hello\": 1}");
            assertThat(pid.code()).as(pid.toString()).isZero();
            JsonObject answer = new JsonObject(pid.out().trim());
            assertThat(clusterJvms()).contains(answer.getLong("pid"));
            assertThat(answer.getJsonObject("echo")).isEqualTo(new JsonObject().put("hello", 1));

            // a fresh run.sh always starts its round-robin at the same worker: ask both from this program's member
            io.vertx.core.Vertx vertx = io.mproc.cluster.Nodes.of(cluster.address().substring(0, cluster.address().indexOf('@')));
            Set<String> answered = new HashSet<>();
            long deadline = System.currentTimeMillis() + 60_000;
            while (answered.size() < 2 && System.currentTimeMillis() < deadline) {
                try {
                    answered.add(vertx.eventBus().<JsonObject>request("test.pid", new JsonObject()).toCompletionStage()
                            .toCompletableFuture().get(10, TimeUnit.SECONDS).body().getString("worker"));
                } catch (java.util.concurrent.ExecutionException stillStarting) {
                    Thread.sleep(200);
                }
            }
            assertThat(answered).containsExactlyInAnyOrder("worker-1", "worker-5");
        }
    }

    @Test
    @Order(7)
    void aNamedQueueIsSharedByProgramsThatComeAndGo() throws Exception {
        java.lang.Process putter = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), QueuePutter.class.getName(), cluster.address(), "jobs", "hello")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(putter.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(putter.exitValue()).isZero();
        try (Multiprocessing mp = Multiprocessing.connect(cluster.address())) {
            Queue<String> jobs = mp.queue("jobs");
            assertThat(jobs.get(java.time.Duration.ofSeconds(30))).isEqualTo("hello from pid " + putter.pid());
            assertThatThrownBy(() -> mp.joinableQueue("jobs", 0)).isInstanceOf(ProcessException.class)
                    .hasMessageContaining("exists as a Queue of maxsize 0");
        }
    }

    @Test
    @Order(8)
    void killingOneConnectedProgramDoesNotDisturbAnothersMap() throws Exception {
        java.lang.Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ConnectedDriver.class.getName(), cluster.address())
                .redirectErrorStream(true).start();
        try (Multiprocessing mp = Multiprocessing.connect(cluster.address()); Pool pool = mp.pool(2)) {
            BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            while (line != null && !line.equals("MAPPING")) {
                line = out.readLine();
            }
            assertThat(line).as("the other program maps").isEqualTo("MAPPING");
            List<Integer> items = IntStream.range(0, 200).boxed().toList();
            AsyncResult<List<Integer>> mine = pool.mapAsync(StandingClusterTest::slowSquare, items, 1);
            Thread.sleep(500);
            other.destroyForcibly(); // kill -9 while both maps run on the same workers
            assertThat(other.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(mine.get(java.time.Duration.ofSeconds(120))).isEqualTo(items.stream().map(x -> x * x).toList());
            assertThat(pool.map(Tasks::square, List.of(1, 2, 3))).containsExactly(1, 4, 9);
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    @Order(9)
    void killingAnotherHostsAgentRunsItsWorkersTasksAgainOnTheOthers() throws Exception {
        // the agent stands for another host: its worker's exit is never reported, since its supervisor is the one killed
        java.lang.Process agent = new ProcessBuilder(StandingCluster.runSh("worker", "--join", cluster.address(), "--workers", "1",
                "--host", "127.0.0.1")).redirectErrorStream(true).start();
        Thread drain = new Thread(() -> new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))
                .lines().forEach(l -> System.out.println("[agent] " + l)));
        drain.setDaemon(true);
        drain.start();
        try (Multiprocessing mp = Multiprocessing.connect(cluster.address()); Pool pool = mp.pool(2)) {
            long[] agentWorker = new long[1];
            await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
                Set<Long> mine = agent.descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
                agentWorker[0] = pool.map(Tasks::slowPid, Collections.nCopies(30, 20), 1).stream().filter(mine::contains)
                        .findFirst().orElse(0L);
                return agentWorker[0] != 0;
            });
            List<Integer> items = IntStream.range(0, 300).boxed().toList();
            AsyncResult<List<Integer>> squares = pool.mapAsync(StandingClusterTest::slowSquare, items, 1);
            Thread.sleep(500);
            agent.destroyForcibly(); // kill -9 of the agent: its worker sees end of file and exits, unreported
            assertThat(squares.get(java.time.Duration.ofSeconds(60))).isEqualTo(items.stream().map(x -> x * x).toList());
            await().atMost(java.time.Duration.ofSeconds(15)).until(() -> ProcessHandle.of(agentWorker[0]).isEmpty()
                    || !ProcessHandle.of(agentWorker[0]).get().isAlive());
        } finally {
            agent.descendants().forEach(ProcessHandle::destroyForcibly);
            agent.destroyForcibly();
        }
    }

    @Test
    @Order(10)
    void aWrongClusterNameIsOneLineAndExitSixAndConnectSaysTheSame() throws Exception {
        String hostPort = cluster.address().substring(cluster.address().indexOf('@') + 1);
        long t = System.nanoTime();
        Run status = StandingCluster.runCli(List.of("status", "--cluster", "y@" + hostPort));
        assertThat(System.nanoTime() - t).as("within 10 s").isLessThan(TimeUnit.SECONDS.toNanos(10));
        assertThat(status.code()).as(status.toString()).isEqualTo(6);
        assertThat(status.err().trim().lines().toList()).as(status.toString()).hasSize(1);
        assertThat(status.err()).contains("no mproc cluster named y at " + hostPort).contains("NAME@HOST:PORT");
        Run unnamed = StandingCluster.runCli(List.of("status", "--cluster", hostPort)); // the default name, mproc
        assertThat(unnamed.code()).as(unnamed.toString()).isEqualTo(6);
        assertThat(unnamed.err().trim().lines().toList()).hasSize(1);
        assertThatThrownBy(() -> Multiprocessing.connect("y@" + hostPort)).isInstanceOf(ProcessException.class)
                .hasMessageContaining("no mproc cluster named y at " + hostPort).hasMessageContaining("NAME@HOST:PORT");
    }

    @Test
    @Order(11)
    void unnamedObjectsGoWithTheirProgramAndNamedOnesStayUntilDeleted() {
        String name = cluster.address().substring(0, cluster.address().indexOf('@'));
        // a program that closes while it holds a named value's lock: the lock goes back with the value
        // (alone in this JVM: a JVM's contexts on one cluster share the oldest one's member for locks)
        try (Multiprocessing writer = Multiprocessing.connect(cluster.address())) {
            Value<Integer> kept = writer.value("kept", 0);
            kept.getLock().acquire();
            kept.set(1);
        }
        try (Multiprocessing watcher = Multiprocessing.connect(cluster.address())) {
            com.hazelcast.core.HazelcastInstance hazelcast = io.mproc.cluster.Nodes.hazelcast(name);
            java.util.function.Supplier<Integer> count = () -> hazelcast.getMap("mproc.sync").size()
                    + (int) hazelcast.getDistributedObjects().stream().filter(o -> o.getName().startsWith("mproc.")).count();
            int before = count.get();
            for (int run = 0; run < 20; run++) {
                try (Multiprocessing mp = Multiprocessing.connect(cluster.address())) {
                    for (int i = 0; i < 50; i++) {
                        mp.value(i).set(i + 1);
                        mp.manager().<Integer, Integer>dict().set(i, i);
                        mp.<Integer>queue().put(i);
                        mp.lock().acquire();
                    }
                    assertThat(count.get()).as("while the program runs").isGreaterThanOrEqualTo(before + 150);
                    if (run == 0) {
                        mp.manager().<String, Integer>dict("kept").put("a", 1);
                    }
                }
                assertThat(count.get()).as("after program %d closed", run).isEqualTo(before + 1);
            }
            assertThat(watcher.<Integer>value("kept", 0).get()).as("a named value stays").isEqualTo(1);
            assertThat(watcher.manager().<String, Integer>dict("kept")).containsEntry("a", 1);
            assertThat(watcher.delete("kept")).isTrue();
            assertThat(watcher.delete("kept")).isFalse();
            assertThat(count.get()).as("the named value and dict deleted").isEqualTo(before - 1);
        }
    }

    @Test
    @Order(12)
    void aHazelcastClientIsRefusedAtTheClusterPort() throws Exception {
        String name = cluster.address().substring(0, cluster.address().indexOf('@'));
        String hostPort = cluster.address().substring(cluster.address().indexOf('@') + 1);
        ClientConfig config = new ClientConfig().setClusterName(name); // the right name: only the protocol is wrong
        config.getNetworkConfig().addAddress(hostPort).setSmartRouting(false);
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(5_000);
        config.setProperty("hazelcast.logging.type", "none");
        assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(config).shutdown())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Unable to connect");
        assertThat(status()).as("the cluster still answers").isNotEmpty();
    }

    @Test
    @Order(13)
    void aPlainHazelcastMemberWithTheClustersNameIsRefusedBeforeItSeesAnyMap() {
        Config config = plainMember(cluster.address());
        HazelcastInstance[] joined = new HazelcastInstance[1];
        try {
            assertThatThrownBy(() -> joined[0] = Hazelcast.newHazelcastInstance(config))
                    .as("the cluster's master must refuse it (mproc's join check, Hazelcast's validateJoinRequest hook)")
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            if (joined[0] != null) {
                joined[0].getLifecycleService().terminate();
            }
        }
    }

    /** A Hazelcast member of the library's own API, no mproc code, with the right name, joining {@code address}. */
    private static Config plainMember(String address) {
        Config config = new Config().setClusterName(address.substring(0, address.indexOf('@')));
        config.setProperty("hazelcast.logging.type", "none");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.getJetConfig().setEnabled(false);
        config.getNetworkConfig().setPort(0).getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember(address.substring(address.indexOf('@') + 1));
        config.setLiteMember(true);
        return config;
    }

    @Test
    @Order(15)
    void anInsecureClusterSaysSoAndLetsAPlainMemberIn() throws Exception {
        try (StandingCluster open = StandingCluster.start("--workers", "0", "--insecure")) {
            assertThat(String.join("\n", open.output())).contains("mproc.security=off").contains("lets in any JVM");
            HazelcastInstance plain = Hazelcast.newHazelcastInstance(plainMember(open.address()));
            try {
                assertThat(plain.getCluster().getMembers()).hasSize(2);
            } finally {
                plain.getLifecycleService().terminate();
            }
        }
    }

    @Test
    @Order(14)
    void aProgramOrCommandWithAnotherIdentityIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path other = dir.resolve("other.p12");
        System.setProperty("mproc.identity", other.toString());
        try {
            long t = System.nanoTime();
            assertThatThrownBy(() -> Multiprocessing.connect(cluster.address())).isInstanceOf(ProcessException.class)
                    .hasMessageContaining("refused this JVM").hasMessageContaining("not made with the cluster's identity")
                    .hasMessageContaining("mproc.identity")
                    .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));
            assertThat(System.nanoTime() - t).as("refused within 15 s").isLessThan(TimeUnit.SECONDS.toNanos(15));
            assertThat(other).as("made on first use").exists();
        } finally {
            System.clearProperty("mproc.identity");
        }
        Run status = StandingCluster.runCli(List.of("status", "--cluster", cluster.address()), Map.of("MPROC_IDENTITY", other.toString()));
        assertThat(status.code()).as(status.toString()).isEqualTo(6);
        assertThat(status.err().trim().lines().toList()).as(status.toString()).hasSize(1);
        assertThat(status.err()).contains("refused this JVM");
        assertThat(status()).as("the cluster still answers a JVM that holds its identity").isNotEmpty();
    }

    private static java.net.http.HttpResponse<String> http(String method, String path, String token, String body) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.web() + path))
                .timeout(java.time.Duration.ofSeconds(30))
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody() : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(16)
    void theStatusPageAndApiListEveryWorkerWithHostAndPidForTheTokenOnly() throws Exception {
        assertThat(cluster.web()).as("the URL the cluster printed").startsWith("http://127.0.0.1:");
        var ok = http("GET", "/api/status", cluster.token(), null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonArray rows = new JsonArray(ok.body());
        assertThat(clusterWorkers(rows)).isNotEmpty();
        for (Object r : rows) {
            assertThat(((JsonObject) r).getString("host")).isEqualTo("127.0.0.1");
            assertThat(clusterJvms()).contains(((JsonObject) r).getLong("pid"));
        }

        var none = http("GET", "/api/status", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"mproc\"");
        assertThat(new JsonObject(none.body()).getString("error")).contains("run.sh token");
        assertThat(http("GET", "/api/status", cluster.token() + "x", null).statusCode()).as("a wrong token").isEqualTo(401);

        var inUrl = http("GET", "/api/status?token=" + cluster.token(), null, null);
        assertThat(inUrl.statusCode()).isEqualTo(200);
        String cookie = inUrl.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("mproc_token=" + cluster.token()).containsIgnoringCase("HttpOnly");
        var withCookie = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.web() + "/api/status"))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(withCookie.statusCode()).as("the token kept in the cookie").isEqualTo(200);

        var page = http("GET", "/", cluster.token(), null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<table>", "new EventSource(\"api/events\")").doesNotContain("http://", "https://");
        var events = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.web() + "/api/events"))
                .header("Authorization", "Bearer " + cluster.token()).build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
        assertThat(events.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<JsonObject> pushed;
        try (var lines = events.body()) {
            pushed = lines.filter(line -> line.startsWith("data: ")).limit(2).map(line -> new JsonObject(line.substring(6))).toList();
        }
        assertThat(pushed).as("the status, pushed twice").hasSize(2);
        assertThat(pushed.get(1).getString("cluster")).isEqualTo(cluster.address());
        assertThat(clusterWorkers(pushed.get(1).getJsonArray("workers"))).isEqualTo(clusterWorkers(rows));

        Run token = StandingCluster.runCli(List.of("token"));
        assertThat(token.out().trim()).as("run.sh token, derived from the identity, " + token).isEqualTo(cluster.token());
    }

    @Test
    @Order(17)
    void theBridgeSendsJsonToPermittedAddressesAndAnswersWithTheReplyOrWhatWentWrong() throws Exception {
        var square = http("POST", "/eventbus/mproc.demo.square", cluster.token(), "{\"n\": 7}");
        assertThat(square.statusCode()).as(square.body()).isEqualTo(200);
        assertThat(new JsonObject(square.body()).getLong("square")).isEqualTo(49);
        assertThat(clusterJvms()).contains(new JsonObject(square.body()).getLong("pid"));

        var echo = http("POST", "/eventbus/test.echo", cluster.token(), "[1, \"two\"]");
        assertThat(echo.statusCode()).as("a user verticle's address: " + echo.body()).isEqualTo(200);
        assertThat(echo.body()).isEqualTo("[1,\"two\"]");

        assertThat(http("POST", "/eventbus/mproc.demo.square", null, "{\"n\": 7}").statusCode()).as("no token").isEqualTo(401);
        var internal = http("POST", "/eventbus/mproc.pools", cluster.token(), "{}");
        assertThat(internal.statusCode()).as(internal.body()).isEqualTo(403);
        assertThat(new JsonObject(internal.body()).getString("error")).contains("internal");
        var malformed = http("POST", "/eventbus/mproc.demo.square", cluster.token(), "{\"n\": 7");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(malformed.body()).getString("error")).contains("malformed JSON");
        var nobody = http("POST", "/eventbus/test.nobody", cluster.token(), "{}");
        assertThat(nobody.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(nobody.body()).getString("error")).contains("no handler at address test.nobody");
        assertThat(http("POST", "/eventbus/test.echo?timeout=zero", cluster.token(), "{}").statusCode()).isEqualTo(400);
    }

    @Test
    @Order(18)
    void thePythonClientOfTheReadmeSendsToTheDemoAndAUserVerticle(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(works("python3", "--version"),
                "no python3 on this machine: the Python client's test is skipped (CI has one)");
        String readme = java.nio.file.Files.readString(Path.of("README.md"));
        java.util.regex.Matcher block = java.util.regex.Pattern.compile("```python\\n(.*?)```", java.util.regex.Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("a python example in the README").isTrue();
        Path example = java.nio.file.Files.writeString(dir.resolve("example.py"), block.group(1));
        Map<String, String> environment = Map.of("MPROC_URL", cluster.web(), "MPROC_TOKEN", cluster.token(), "MPROC_ECHO", "test.echo");

        String out = python(environment, example.toString());
        assertThat(out.lines().toList()).as(out).hasSize(4).startsWith("49", "[1, 'two']");
        assertThat(out).containsPattern("\\d+ worker JVMs").contains("404 no handler at address no.such.address");

        String shell = python(environment, "clients/python/mproc_client.py", cluster.web(), "-", "send", "mproc.demo.square", "{\"n\": 7}");
        assertThat(new JsonObject(shell.trim()).getLong("square")).isEqualTo(49);
    }

    @Test
    @Order(19)
    void prometheusMetricsCountAMapsTasksForItsPoolAndTheWorkersByStateAsStatusDoes() throws Exception {
        try (Multiprocessing mp = Multiprocessing.connect(cluster.address()); Pool pool = mp.pool(2)) {
            assertThat(pool.map(Tasks::pid, IntStream.range(0, 1000).boxed().toList())).hasSize(1000);
        }
        var scraped = http("GET", "/metrics", cluster.token(), null);
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        List<Double> completed = scraped.body().lines().filter(line -> line.startsWith("mproc_tasks_completed_total{pool=\"mproc.pool."))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).toList();
        assertThat(completed).as(scraped.body()).anySatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(1000.0));

        JsonArray rows = new JsonArray(http("GET", "/api/status", cluster.token(), null).body());
        Map<String, Long> byState = rows.stream().map(JsonObject.class::cast)
                .collect(Collectors.groupingBy(r -> "mproc_workers{host=\"" + r.getString("host") + "\",state=\"" + r.getString("state") + "\"}",
                        Collectors.counting()));
        for (Map.Entry<String, Long> gauge : byState.entrySet()) {
            assertThat(scraped.body()).as("the gauge as status counts it").contains(gauge.getKey() + " " + gauge.getValue() + ".0");
        }
        assertThat(http("GET", "/metrics", null, null).statusCode()).isEqualTo(401);

        // Vert.x's event-bus metrics of the cluster's JVM, each address counted as its family, never by an id
        List<String> addresses = scraped.body().lines().filter(line -> line.startsWith("vertx_eventbus_"))
                .flatMap(line -> java.util.regex.Pattern.compile("address=\"([^\"]*)\"").matcher(line).results().map(m -> m.group(1)))
                .distinct().toList();
        assertThat(addresses).as(scraped.body()).contains("mproc.supervisor")
                .allSatisfy(address -> assertThat(address).matches("mproc\\.[a-z]+|other"));
    }

    /**
     * What the page and {@code /metrics} say of a program's work: its pool's tasks submitted,
     * completed, failed, timed out and cancelled, a map's failed count, a queue's depth, and the
     * exit of the worker that ran the timed-out task, with its reason.
     */
    @Test
    @Order(20)
    void thePageAndMetricsCountFailedTimedOutAndCancelledTasksShowQueueDepthsAndWhyAWorkerEnded() throws Exception {
        try (Multiprocessing mp = Multiprocessing.connect(cluster.address());
             Pool pool = mp.pool(PoolOptions.processes(2).taskTimeout(java.time.Duration.ofSeconds(1)).maxRetries(0))) {
            Queue<Integer> queue = mp.queue();
            for (int i = 0; i < 5; i++) {
                queue.put(i);
            }
            assertThat(pool.map(Tasks::square, IntStream.range(0, 20).boxed().toList())).hasSize(20);
            assertThatThrownBy(() -> pool.map(Tasks::boom, List.of(1, 2, 3), 1)).isInstanceOf(RemoteTaskException.class);
            AsyncResult<Integer> cancelled = pool.applyAsync(Tasks::sleepy, 60_000);
            assertThat(cancelled.cancel()).isTrue();
            assertThatThrownBy(() -> pool.apply(Tasks::sleepy, 60_000)).isInstanceOf(TaskTimeoutException.class);
            String label = "{pool=\"mproc.pool.";
            await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() -> {
                String scraped = http("GET", "/metrics", cluster.token(), null).body();
                assertThat(scraped.lines().filter(l -> l.startsWith("mproc_tasks_submitted_total" + label)).map(StandingClusterTest::value))
                        .as(scraped).contains(25.0);
                assertThat(scraped.lines().filter(l -> l.startsWith("mproc_tasks_completed_total" + label)).map(StandingClusterTest::value)).contains(20.0);
                assertThat(scraped.lines().filter(l -> l.startsWith("mproc_tasks_failed_total" + label)).map(StandingClusterTest::value)).contains(3.0);
                assertThat(scraped.lines().filter(l -> l.startsWith("mproc_tasks_timed_out_total" + label)).map(StandingClusterTest::value)).contains(1.0);
                assertThat(scraped.lines().filter(l -> l.startsWith("mproc_tasks_cancelled_total" + label)).map(StandingClusterTest::value)).contains(1.0);
                assertThat(scraped).containsPattern("mproc_queue_depth\\{program=\"program-[0-9a-f]+\",queue=\"Queue-1\"} 5.0")
                        .containsPattern("mproc_worker_exits_total\\{reason=\"task stopped\"} [1-9]");
            });
            JsonObject event;
            try (var lines = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.web() + "/api/events"))
                    .header("Authorization", "Bearer " + cluster.token()).build(), java.net.http.HttpResponse.BodyHandlers.ofLines()).body()) {
                event = new JsonObject(lines.filter(line -> line.startsWith("data: ")).findFirst().orElseThrow().substring(6));
            }
            assertThat(event.getJsonArray("queues").stream().map(JsonObject.class::cast))
                    .anySatisfy(q -> assertThat(q.getString("queue") + " " + q.getLong("depth")).isEqualTo("Queue-1 5"));
            assertThat(event.getJsonArray("exits").stream().map(JsonObject.class::cast)).as(event.encodePrettily())
                    .anySatisfy(exit -> {
                        assertThat(exit.getString("reason")).isEqualTo("task stopped");
                        assertThat(exit.getInteger("code")).isEqualTo(13);
                        assertThat(exit.getLong("pid")).isPositive();
                    });
        }
    }

    private static double value(String metricLine) {
        return Double.parseDouble(metricLine.substring(metricLine.lastIndexOf(' ') + 1));
    }

    @Test
    @Order(21)
    void theStatusEventsShowARunningMapsProgressMovingAndDropItWhenDone() throws Exception {
        try (Multiprocessing mp = Multiprocessing.connect(cluster.address()); Pool pool = mp.pool(2)) {
            AsyncResult<List<Integer>> map = pool.mapAsync(Tasks::sleepy, Collections.nCopies(120, 40), 1);
            var events = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.web() + "/api/events"))
                    .header("Authorization", "Bearer " + cluster.token()).build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
            List<Long> seen = new java.util.ArrayList<>();
            try (var lines = events.body()) {
                java.util.Iterator<String> it = lines.filter(line -> line.startsWith("data: ")).iterator();
                while (seen.size() < 2 && it.hasNext() && !map.ready()) {
                    JsonArray pools = new JsonObject(it.next().substring(6)).getJsonArray("pools");
                    for (Object p : pools) {
                        for (Object m : ((JsonObject) p).getJsonArray("maps")) {
                            JsonObject state = (JsonObject) m;
                            if (state.getLong("total") == 120 && state.getLong("done") < 120) {
                                seen.add(state.getLong("done"));
                                assertThat(state.getString("map")).startsWith("map").contains(" on ");
                            }
                        }
                    }
                }
            }
            assertThat(seen).as("the map's done count, in two events while it ran").hasSize(2);
            assertThat(seen.get(1)).as("it moved").isGreaterThan(seen.get(0));
            assertThat(map.get()).hasSize(120);
            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
                var once = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.web() + "/api/events"))
                        .header("Authorization", "Bearer " + cluster.token()).build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
                try (var lines = once.body()) {
                    String first = lines.filter(line -> line.startsWith("data: ")).findFirst().orElseThrow();
                    return !first.contains("\"total\":120");
                }
            });
        }
    }

    @Test
    @Order(22)
    void aBrowserShowsTheWorkerRowsAndARunningMapsProgressMoving() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.mproc.testing.Browser.available(),
                "no chromium and chromedriver here (Debian: apt-get install chromium chromium-driver; .ci/run installs them)");
        try (Multiprocessing mp = Multiprocessing.connect(cluster.address()); Pool pool = mp.pool(2);
             io.mproc.testing.Browser browser = io.mproc.testing.Browser.open()) {
            AsyncResult<List<Integer>> map = pool.mapAsync(Tasks::sleepy, Collections.nCopies(300, 40), 1);
            browser.go(cluster.web() + "/?token=" + cluster.token());
            await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                    ((Number) browser.run("return document.querySelectorAll('#workers tr[data-worker]').length")).intValue() > 0);
            List<Long> progress = new java.util.ArrayList<>();
            Set<String> running = new HashSet<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while ((progress.size() < 2 || running.isEmpty()) && !map.ready() && System.currentTimeMillis() < deadline) {
                Object value = browser.run("const p = document.querySelector('#maps progress[max=\"300\"]'); return p ? p.value : -1");
                Object now = browser.run("return Array.from(document.querySelectorAll('#workers tr[data-worker] td:nth-child(5)'))"
                        + ".map(td => td.textContent).filter(t => t.startsWith('task ')).join('|')");
                if (!String.valueOf(now).isEmpty()) {
                    running.add(String.valueOf(now));
                }
                long done = ((Number) value).longValue();
                if (done > 0 && done < 300 && (progress.isEmpty() || done > progress.get(progress.size() - 1))) {
                    progress.add(done);
                    if (progress.size() == 1) {
                        browser.screenshot(Path.of("target", "status-page.png"));
                    }
                }
                Thread.sleep(300);
            }
            assertThat(progress).as("the map's progress bar, read twice in the page while it ran").hasSize(2);
            assertThat(running).as("a worker's task running now, as the page shows it").isNotEmpty()
                    .allSatisfy(cells -> assertThat(cells).containsPattern("task \\d+ of [\\w-]+-pool-\\d+, for \\d+\\.\\d s"));
            assertThat(((Number) browser.run("return document.querySelectorAll('#hosts tr[data-host]').length")).intValue())
                    .as("the hosts table").isEqualTo(1);
            assertThat(java.nio.file.Files.size(Path.of("target", "status-page.png"))).isGreaterThan(1_000);
            assertThat(map.get()).hasSize(300);
        }
    }

    /** Whether {@code command} runs and exits 0 here. */
    static boolean works(String... command) {
        try {
            java.lang.Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs the machine's python3 on {@code arguments} from the repository's directory; its standard output. */
    private static String python(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("python3"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        java.lang.Process python = builder.start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(out).isZero();
        return out;
    }

    /**
     * The bridge for streams: over a WebSocket (SockJS's raw endpoint), with Vert.x's bridge
     * frames, a program outside the JVM sends to the demo address and gets the reply, registers
     * at an address of its own and receives what is published there, and is refused mproc's
     * internal addresses; without the token the handshake is refused with 401.
     */
    @Test
    @Order(23)
    void aWebSocketClientSendsRegistersAndReceivesThroughTheBridgeButNotAtInternalAddresses() throws Exception {
        java.net.URI web = java.net.URI.create(cluster.web());
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            io.vertx.core.http.WebSocketClient client = vertx.createWebSocketClient();
            java.util.concurrent.BlockingQueue<JsonObject> frames = new java.util.concurrent.LinkedBlockingQueue<>();
            io.vertx.core.http.WebSocketConnectOptions options = new io.vertx.core.http.WebSocketConnectOptions().setHost(web.getHost())
                    .setPort(web.getPort()).setURI("/bridge/websocket");
            io.vertx.core.http.WebSocket socket = client.connect(new io.vertx.core.http.WebSocketConnectOptions(options)
                    .addHeader("Authorization", "Bearer " + cluster.token())).await(10, TimeUnit.SECONDS);
            socket.handler(data -> frames.add(new JsonObject(data))); // the bridge writes its frames as binary or text messages

            JsonObject reply = null;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); System.nanoTime() < deadline; ) {
                socket.writeTextMessage(new JsonObject().put("type", "send").put("address", "mproc.demo.square")
                        .put("body", new JsonObject().put("n", 7)).put("replyAddress", "reply-1").encode());
                reply = frames.poll(15, TimeUnit.SECONDS);
                if (reply == null || !"NO_HANDLERS".equals(reply.getString("failureType"))) {
                    break;
                }
                Thread.sleep(200); // the workers' demo handlers are not registered yet (this test run alone, right after the start)
            }
            assertThat(reply).as("the reply frame").isNotNull();
            assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("rec");
            assertThat(reply.getString("address")).isEqualTo("reply-1");
            assertThat(reply.getJsonObject("body").getInteger("square")).isEqualTo(49);

            socket.writeTextMessage(new JsonObject().put("type", "register").put("address", "test.stream").encode());
            Thread.sleep(500); // the registration reaches the cluster's view of the address (no reply frame says it did)
            for (int i = 0; i < 3; i++) {
                socket.writeTextMessage(new JsonObject().put("type", "publish").put("address", "test.stream").put("body", "item " + i).encode());
            }
            for (int i = 0; i < 3; i++) {
                JsonObject item = frames.poll(10, TimeUnit.SECONDS);
                assertThat(item).as("published item %d", i).isNotNull();
                assertThat(item.getString("address") + " " + item.getString("body")).isEqualTo("test.stream item " + i);
            }

            socket.writeTextMessage(new JsonObject().put("type", "send").put("address", "mproc.queue.anything").put("body", "x")
                    .put("replyAddress", "reply-2").encode());
            JsonObject refused = frames.poll(10, TimeUnit.SECONDS);
            assertThat(refused).isNotNull();
            assertThat(refused.getString("type") + " " + refused.getString("body")).isEqualTo("err rejected");
            socket.close();

            assertThatThrownBy(() -> client.connect(options).await(10, TimeUnit.SECONDS))
                    .isInstanceOf(io.vertx.core.http.UpgradeRejectedException.class)
                    .satisfies(e -> assertThat(((io.vertx.core.http.UpgradeRejectedException) e).getStatus()).isEqualTo(401));
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(30)
    void stopEndsTheClusterAndEveryWorker() throws Exception {
        List<ProcessHandle> jvms = cluster.process().descendants().toList();
        assertThat(jvms).isNotEmpty();
        Run stop = cluster.run("stop");
        assertThat(stop.code()).as(stop.toString()).isZero();
        assertThat(stop.out()).contains("stopped");
        assertThat(cluster.process().waitFor(30, TimeUnit.SECONDS)).as("the cluster JVM ends").isTrue();
        for (ProcessHandle jvm : jvms) {
            jvm.onExit().get(30, TimeUnit.SECONDS);
        }
        assertThat(jvms).noneMatch(ProcessHandle::isAlive);
    }

    static String slowName(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return Multiprocessing.currentProcess().name();
    }

    static int slowSquare(int x) throws InterruptedException {
        Thread.sleep(20);
        return x * x;
    }
}
