package io.mproc.cli;

import io.mproc.cluster.Addresses;
import io.mproc.cluster.ClusterAddress;
import io.mproc.cluster.Logs;
import io.mproc.cluster.Node;
import io.mproc.cluster.Patient;
import io.mproc.cluster.Settings;
import io.mproc.cluster.protocol.Request;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code run.sh status|scale|send|stop}'s way into a standing cluster: this JVM joins it as a
 * lite member (it holds none of its data) for the one request, and leaves. The address is
 * {@code --cluster}, else {@code mproc.cluster.address} of {@code conf/mproc.properties}.
 */
final class ClusterClient implements AutoCloseable {
    /** How long a request waits for an address that another member registered just before: its view lags 100-500 ms. */
    private static final long NEW_ADDRESS_PATIENCE_MS = 1_500;

    private final ClusterAddress address;
    private final Node node;

    private ClusterClient(ClusterAddress address, Node node) {
        this.address = address;
        this.node = node;
    }

    static ClusterClient connect(String cluster) {
        Settings settings = Settings.load();
        Logs.quiet(settings);
        ClusterAddress address = addressOf(cluster, settings);
        try {
            return new ClusterClient(address, address.join(settings, null));
        } catch (ClusterAddress.Unreachable e) {
            throw new CliException(CliException.UNREACHABLE, e.getMessage());
        }
    }

    /** The cluster {@code --cluster} names, or when not given {@code mproc.cluster.address}. */
    static ClusterAddress addressOf(String cluster, Settings settings) {
        return ClusterAddress.parse(cluster != null ? cluster : settings.get("mproc.cluster.address", "mproc@127.0.0.1:5701"));
    }

    ClusterAddress address() {
        return address;
    }

    /** Asks the cluster's supervisor; its answer, or a {@link CliException} saying what went wrong. */
    JsonObject supervisor(Request request, Duration timeout) {
        return (JsonObject) request(Addresses.SUPERVISOR, request.toJson(), timeout);
    }

    /** Sends {@code body} to {@code target} and waits for the reply's body. */
    Object request(String target, Object body, Duration timeout) {
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
        try {
            Message<Object> reply = Patient.<Object>request(node.vertx(), target, body, options, NEW_ADDRESS_PATIENCE_MS)
                    .toCompletionStage().toCompletableFuture().get(timeout.toMillis() + NEW_ADDRESS_PATIENCE_MS + 1_000, TimeUnit.MILLISECONDS);
            return reply.body();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ReplyException r) {
                throw switch (r.failureType()) {
                    case NO_HANDLERS -> new CliException(CliException.NO_HANDLER, "no handler at address " + target + " in cluster " + address);
                    case TIMEOUT -> new CliException(CliException.TIMEOUT, "no reply from " + target + " within " + timeout.toMillis() + " ms");
                    default -> new CliException(CliException.FAILED, target + " failed (code " + r.failureCode() + "): " + r.getMessage());
                };
            }
            throw new CliException(CliException.FAILED, target + " failed: " + e.getCause());
        } catch (TimeoutException e) {
            throw new CliException(CliException.TIMEOUT, "no reply from " + target + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted");
        }
    }

    @Override
    public void close() {
        node.close(Duration.ofSeconds(5));
    }
}
