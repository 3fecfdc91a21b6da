package io.mproc.cli;

import io.mproc.cluster.Logs;
import io.mproc.cluster.Node;
import io.mproc.cluster.Nodes;
import io.mproc.cluster.Settings;
import io.mproc.cluster.Supervisor;
import io.mproc.shared.Reaper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code run.sh cluster}: a standing cluster in the foreground: this JVM (a data member, which
 * keeps the shared state, and the supervisor) and {@code --workers} worker JVMs kept ready.
 * Programs join it with {@code Multiprocessing.connect("name@host:port")}. Ctrl-C or SIGTERM
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

    @Override
    public Integer call() throws InterruptedException {
        int n = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        if (n < 0) {
            throw new IllegalArgumentException("--workers must be >= 0: " + n);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535: " + port);
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("--name must not be blank");
        }
        Settings settings = Settings.load();
        Logs.quiet(settings);
        String bind = host != null ? host : settings.get("mproc.host", "127.0.0.1");
        Node node = Supervisor.found(settings, name, bind, port, n, List.of());
        Nodes.register(name, node);
        Reaper.watch(name, node.hazelcast());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Nodes.unregister(name);
            node.close(Duration.ofSeconds(30));
            stopped.countDown();
        }, "mproc-cluster-stop"));
        System.out.println("mproc cluster " + name + " at " + node.joinAddress() + " with " + n + " workers; connect with Multiprocessing.connect(\""
                + name + "@" + node.joinAddress() + "\"); Ctrl-C stops it");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
