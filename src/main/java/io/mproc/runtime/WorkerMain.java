package io.mproc.runtime;

import io.mproc.cluster.Addresses;
import io.mproc.cluster.Logs;
import io.mproc.cluster.Node;
import io.mproc.cluster.Settings;
import io.mproc.cluster.Supervisor;
import io.mproc.pool.PoolWorker;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The entry point of a worker JVM, started by the supervisor with arguments
 * {@code cluster=NAME join=HOST:PORT host=IP name=NAME pool=ADDRESS}.
 *
 * <p>It joins the cluster as a lite member, tells the supervisor it is ready, and serves
 * its pool until told to stop. It reads its standard input, which the supervisor holds
 * open: a line {@code join} is the supervisor's permit to join the cluster (workers join
 * one at a time, since Hazelcast makes a second concurrent joiner wait a whole second), and
 * end of file means the supervisor closed it or died (even by {@code kill -9}): the worker
 * leaves at once.
 */
public final class WorkerMain {
    private static final Duration JOIN_PERMIT_PATIENCE = Duration.ofSeconds(20);
    private static final CountDownLatch JOIN_PERMIT = new CountDownLatch(1);
    private static volatile Node node;

    private WorkerMain() {
    }

    public static void main(String[] args) {
        watchParent();
        Map<String, String> arguments = parse(args);
        try {
            Settings settings = Settings.load();
            Logs.quiet(settings);
            if (!JOIN_PERMIT.await(JOIN_PERMIT_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println("worker " + arguments.get("name") + ": no permit to join after "
                        + JOIN_PERMIT_PATIENCE.toSeconds() + " s; joining anyway");
            }
            node = Node.start(settings, arguments.get("cluster"), arguments.get("host"), arguments.get("join"), true);
            node.vertx().eventBus().request(Addresses.SUPERVISOR, new JsonObject().put("op", "ready").put("name", arguments.get("name")));
            int code = new PoolWorker(node.vertx(), arguments.get("pool"), arguments.get("name")).run().join();
            exit(code);
        } catch (InterruptedException e) {
            exit(Supervisor.EXIT_START_FAILED);
        } catch (RuntimeException | Error e) {
            System.err.println("worker " + arguments.get("name") + " could not start: " + e);
            e.printStackTrace();
            exit(Supervisor.EXIT_START_FAILED);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> map = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("worker arguments are key=value: '" + arg + "'");
            }
            map.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        for (String key : new String[]{"cluster", "join", "host", "name", "pool"}) {
            if (!map.containsKey(key)) {
                throw new IllegalArgumentException("worker argument " + key + "= is missing in " + map);
            }
        }
        return map;
    }

    private static void watchParent() {
        Thread watcher = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.equals("join")) {
                        JOIN_PERMIT.countDown();
                    }
                }
            } catch (IOException e) {
                // a broken pipe means the same as end of file
            }
            exit(0);
        }, "mproc-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Leaves the cluster (for at most 2 s) and ends this JVM, whatever threads still run. */
    private static void exit(int code) {
        Node current = node;
        if (current != null) {
            current.close(Duration.ofSeconds(2));
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }
}
