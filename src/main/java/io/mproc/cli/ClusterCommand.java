package io.mproc.cli;

import io.mproc.cluster.Addresses;
import io.mproc.cluster.ClusterIdentity;
import io.mproc.cluster.Logs;
import io.mproc.cluster.Node;
import io.mproc.cluster.Nodes;
import io.mproc.cluster.Settings;
import io.mproc.cluster.Supervisor;
import io.mproc.runtime.Founding;
import io.mproc.web.ClusterWeb;
import io.mproc.web.WebMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code run.sh cluster}: a standing cluster in the foreground: this JVM (a data member, which
 * keeps the shared state, and the supervisor) and {@code --workers} worker JVMs kept ready.
 * Programs join it with {@code Multiprocessing.connect("name@host:port")}; their pools run on
 * these workers, shared fairly between programs. Ctrl-C or SIGTERM
 * stops every JVM of it; its workers also end when this JVM is killed, even by {@code kill -9}.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Runs a standing cluster (supervisor and worker JVMs) in the foreground; programs join it with Multiprocessing.connect.")
public final class ClusterCommand implements Callable<Integer> {
    @Option(names = "--workers", description = "Worker JVMs kept ready (default: cores of this machine).")
    Integer workers;

    @Option(names = "--host", description = "Address to bind and advertise (default: mproc.host, 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "Hazelcast port to listen on; 0 lets the OS pick (default ${DEFAULT-VALUE}).")
    int port = 5701;

    @Option(names = "--name", description = "Cluster name; programs give it to connect (default ${DEFAULT-VALUE}).")
    String name = "mproc";

    @Option(names = "--verticle", paramLabel = "CLASS",
            description = "A verticle class every worker deploys (repeatable); it must be on the class path (MPROC_CLASSPATH).")
    List<String> verticles = new ArrayList<>();

    @Option(names = "--http-port", description = "Port of the status API and event-bus bridge (default: mproc.http.port, 5801; when"
            + " that is taken, one the OS gives, as 0 does; -1: none).")
    Integer httpPort;

    /** The HTTP port a cluster takes unless told otherwise (Hazelcast's 5701 + 100). */
    static final int DEFAULT_HTTP_PORT = 5801;

    @Option(names = "--insecure", description = "Let in any JVM that reaches the cluster's port: no identity, no join check"
            + " (as mproc.security=off; a warning says so at start).")
    boolean insecure;

    @Option(names = "--end-with-stdin", hidden = true, description = "Stop when standard input ends: for a program that starts"
            + " this cluster and holds its input open (the bench), so that the cluster ends with it, even killed with kill -9.")
    boolean endWithStdin;

    @Override
    public Integer call() throws InterruptedException {
        if (insecure) {
            System.setProperty("mproc.security", "off"); // its workers get it too
        }
        if (endWithStdin) {
            Thread watch = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // nothing is said on it: only its end counts
                    }
                } catch (java.io.IOException e) {
                    // a broken pipe: the same as its end
                }
                System.exit(0); // as SIGTERM: the cluster stops, and its workers with it
            }, "mproc-parent-watch");
            watch.setDaemon(true);
            watch.start();
        }
        int n = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        if (n < 0) {
            throw new IllegalArgumentException("--workers must be >= 0: " + n);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535: " + port);
        }
        if (httpPort != null && (httpPort < -1 || httpPort > 65535)) {
            throw new IllegalArgumentException("--http-port must be 0..65535, or -1 for none: " + httpPort);
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("--name must not be blank");
        }
        for (String verticle : verticles) {
            try {
                Class.forName(verticle, false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("--verticle " + verticle + ": no such class on the class path; add its jar or"
                        + " classes directory to MPROC_CLASSPATH");
            }
        }
        Settings settings = Settings.load();
        Logs.quiet(settings);
        String bind = host != null ? host : settings.get("mproc.host", "127.0.0.1");
        int spares = settings.getInt("mproc.spares", 1);
        if (ClusterIdentity.required(settings)) {
            ClusterIdentity identity = ClusterIdentity.load(settings);
            if (identity.made()) {
                System.out.println("made this cluster's identity, " + identity.file() + ": hosts that run.sh worker --join it,"
                        + " or connect to it, need a copy of that file (see README, Who may join)");
            }
        }
        Supervisor.Plan plan = new Supervisor.Plan(Addresses.SUPERVISOR, n, List.copyOf(verticles), "worker-", () -> System.exit(0));
        int http = httpPort != null ? httpPort : settings.getInt("mproc.http.port", DEFAULT_HTTP_PORT);
        WebMetrics metrics = http >= 0 ? WebMetrics.create(settings) : null;
        Node node = Founding.found(settings, name, bind, port, spares, List.of(), plan, metrics == null ? null : metrics.vertxMetrics());
        if (http >= 0) {
            serveHttp(node, name, bind, http, httpPort == null, metrics);
        }
        return serve(name, node, "mproc cluster " + name + " at " + node.joinAddress() + " with " + n
                + " workers; connect with Multiprocessing.connect(\"" + name + "@" + node.joinAddress() + "\"); Ctrl-C stops it");
    }

    /**
     * Starts the status API and event-bus bridge ({@link ClusterWeb}) on {@code --http-port} and
     * prints its URL with the token in it, as Jupyter does. The default port ({@code mproc.http.port}),
     * when taken (another cluster on this host), gives way to one the OS picks; a port given
     * with {@code --http-port} does not. The shell commands find the bridge on that same default port.
     */
    private static void serveHttp(Node node, String name, String bind, int port, boolean byDefault, WebMetrics metrics) {
        String url;
        try {
            url = ClusterWeb.serve(node, name, bind, port, metrics);
        } catch (io.mproc.ProcessException e) {
            if (!byDefault || port == 0) {
                node.close(Duration.ofSeconds(10));
                throw new IllegalArgumentException("--http-port " + port + ": cannot listen there (" + e.getCause()
                        + "); give another port, 0 for any, or -1 for none");
            }
            url = ClusterWeb.serve(node, name, bind, 0, metrics);
        }
        System.out.println("status page: " + url
                + " (API: GET /api/status, POST /eventbus/ADDRESS, header Authorization: Bearer TOKEN; run.sh token prints it)");
    }

    /** Prints {@code banner} and serves until this JVM is stopped (Ctrl-C, SIGTERM, System.exit), then leaves the cluster. */
    static int serve(String cluster, Node node, String banner) throws InterruptedException {
        Nodes.register(cluster, node);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Nodes.unregister(cluster, node);
            node.close(Duration.ofSeconds(30));
            stopped.countDown();
        }, "mproc-cluster-stop"));
        System.out.println(banner);
        System.out.flush();
        stopped.await();
        return 0;
    }
}
