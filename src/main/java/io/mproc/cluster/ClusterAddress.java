package io.mproc.cluster;

import io.mproc.ProcessException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Where a standing cluster is: {@code [name@]host:port} (name default {@code mproc}), as
 * {@code run.sh cluster} prints it and {@code Multiprocessing.connect} and {@code run.sh
 * status|scale|send|stop --cluster} take it.
 */
public record ClusterAddress(String name, String host, int port) {
    public static final String DEFAULT_NAME = "mproc";
    private static final int PROBE_TIMEOUT_MS = 3_000;

    /** @throws IllegalArgumentException the text is not {@code [name@]host:port} */
    public static ClusterAddress parse(String text) {
        String value = text == null ? "" : text.trim();
        int at = value.indexOf('@');
        String name = at < 0 ? DEFAULT_NAME : value.substring(0, at);
        String hostPort = value.substring(at + 1);
        int colon = hostPort.lastIndexOf(':');
        if (name.isBlank() || colon < 1 || !hostPort.substring(colon + 1).matches("\\d{1,5}")
                || Integer.parseInt(hostPort.substring(colon + 1)) > 65535) {
            throw new IllegalArgumentException("a cluster address is [name@]host:port, e.g. mproc@10.0.0.5:5701: '" + text + "'");
        }
        return new ClusterAddress(name, hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** {@code host:port}, as Hazelcast joins it. */
    public String hostPort() {
        return host + ":" + port;
    }

    /**
     * Checks that something listens at the address, and returns the local address this
     * machine reaches it from: the interface a member joining it must bind (loopback for a
     * local cluster, the right network's address for a remote one).
     *
     * @throws Unreachable nothing listens there, or the host cannot be reached
     */
    public String reachFrom() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MS);
            return socket.getLocalAddress().getHostAddress();
        } catch (IOException e) {
            throw new Unreachable("no cluster at " + hostPort() + " (" + e.getMessage()
                    + "); is `run.sh cluster` running there, and is the port open?", e);
        }
    }

    /**
     * Joins this cluster as a lite member (it holds none of the cluster's data), bound to
     * {@code host}, or when null to the address {@link #reachFrom()} finds.
     *
     * @throws Unreachable nothing listens at the address, or what listens is not this cluster
     */
    public Node join(Settings settings, String host) {
        String from = host != null ? host : reachFrom();
        // A member of another name is not let in: this one then stands alone, and Vert.x fails when it
        // finds no data member. That failure is the answer, said in one line.
        Node node;
        try {
            node = Node.startQuietly(settings, name, from, hostPort(), true, () -> { }, null);
        } catch (Node.JoinRefused e) {
            throw new Unreachable("the mproc cluster " + name + " at " + hostPort() + " refused this JVM: " + JoinProof.why(e.getMessage())
                    + "; copy the identity file of the cluster's host ("
                    + ClusterIdentity.defaultFile() + " there, unless mproc.identity names another) and point mproc.identity at it", e);
        } catch (RuntimeException e) {
            throw new Unreachable(wrongName(), e);
        }
        if (node.members() < 2) {
            node.close(java.time.Duration.ofSeconds(5));
            throw new Unreachable(wrongName(), null);
        }
        return node;
    }

    private String wrongName() {
        return "no mproc cluster named " + name + " at " + hostPort() + ": something listens there but did not take this member"
                + " (a cluster of another name?); give the address as NAME@HOST:PORT, as `run.sh cluster` printed it";
    }

    @Override
    public String toString() {
        return name + "@" + hostPort();
    }

    /** Nothing answers at a cluster's address. */
    public static final class Unreachable extends ProcessException {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
