package io.mproc;

import java.util.ArrayList;
import java.util.List;

/**
 * Options of the embedded cluster that {@link Multiprocessing#local(ClusterOptions)} starts.
 * Each option left unset comes from a system property, then an environment variable,
 * then {@code conf/mproc.properties}, then a built-in default (see {@code README.md},
 * Configuration).
 */
public final class ClusterOptions {
    private String host;
    private Integer statusPagePort;
    private final List<String> workerJvmOptions = new ArrayList<>();

    /** Options with every value from the configuration. */
    public static ClusterOptions defaults() {
        return new ClusterOptions();
    }

    /** The address this cluster binds and advertises (default {@code 127.0.0.1}). */
    public ClusterOptions host(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank: '" + host + "'");
        }
        this.host = host;
        return this;
    }

    /** JVM options added after those of {@code conf/jvm.options} for every worker JVM (e.g. {@code -Xmx512m}). */
    public ClusterOptions workerJvmOption(String option) {
        workerJvmOptions.add(option);
        return this;
    }

    /**
     * Serves the status page, its API and the event-bus bridge on {@code port} of the cluster's
     * host (0: a port the OS gives), as {@code run.sh cluster} does; off by default.
     * {@link Multiprocessing#statusPage()} gives its URL with the token.
     */
    public ClusterOptions statusPage(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the status page's port must be 0..65535: " + port);
        }
        this.statusPagePort = port;
        return this;
    }

    public String host() {
        return host;
    }

    /** The status page's port, or null when none was asked for. */
    public Integer statusPagePort() {
        return statusPagePort;
    }

    public List<String> workerJvmOptions() {
        return List.copyOf(workerJvmOptions);
    }
}
