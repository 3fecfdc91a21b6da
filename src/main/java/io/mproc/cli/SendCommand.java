package io.mproc.cli;

import io.mproc.web.Messages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code run.sh send ADDRESS JSON}: puts a JSON message on an event-bus address of a standing
 * cluster and prints the reply. Exit codes: 0 a reply, 3 malformed JSON, 4 no handler at the
 * address, 5 no reply in time, 6 no cluster at the address, 7 the handler answered with a failure.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Sends a JSON message to an event-bus address of a standing cluster and prints the reply, e.g."
                + " run.sh send mproc.demo.square '{\"n\": 7}'. Exit codes: 3 malformed JSON, 4 no handler, 5 timeout,"
                + " 6 no cluster, 7 the handler failed.")
public final class SendCommand implements Callable<Integer> {
    @Mixin
    ClusterOption cluster;

    @Parameters(index = "0", paramLabel = "ADDRESS", description = "The event-bus address, e.g. mproc.demo.square.")
    String address;

    @Parameters(index = "1", paramLabel = "JSON", description = "The message: a JSON object, array, string, number or boolean.")
    String json;

    @Option(names = "--timeout", description = "Seconds to wait for the reply (default ${DEFAULT-VALUE}).")
    double timeout = 10;

    @Override
    public Integer call() {
        Object body = parse(json);
        if (timeout <= 0) {
            throw new IllegalArgumentException("--timeout must be > 0: " + timeout);
        }
        Duration wait = Duration.ofMillis((long) (timeout * 1000));
        java.util.Optional<BridgeClient> bridge = BridgeClient.of(cluster.cluster);
        java.util.Optional<BridgeClient.Answer> bridged = bridge.flatMap(b -> b.send(address, json, wait));
        if (bridged.isPresent() && bridged.get().status() != 403) { // the bridge reaches no internal address; a join does
            cluster.say("send", "via the HTTP bridge at " + bridge.get().base());
            return answer(bridged.get());
        }
        cluster.say("send", "joining the cluster (no bridge of it answered" + bridge.map(b -> " at " + b.base()).orElse("") + ")");
        try (ClusterClient client = ClusterClient.connect(cluster.cluster)) {
            Object reply = client.request(address, body, wait);
            System.out.println(Messages.encode(reply));
            return 0;
        }
    }

    /** Prints the bridge's reply, or fails with the exit code {@code send} gives that failure. */
    private static int answer(BridgeClient.Answer answer) {
        String why = answer.status() == 200 ? null : BridgeClient.error(answer);
        switch (answer.status()) {
            case 200 -> System.out.println(answer.body());
            case 400 -> throw new CliException(CliException.BAD_JSON, why);
            case 404 -> throw new CliException(CliException.NO_HANDLER, why);
            case 504 -> throw new CliException(CliException.TIMEOUT, why);
            default -> throw new CliException(CliException.FAILED, why);
        }
        return 0;
    }

    /** The message as the event bus carries it: JsonObject, JsonArray, String, Number or Boolean. */
    static Object parse(String text) {
        try {
            return Messages.decode(text);
        } catch (IllegalArgumentException e) {
            String hint = e.getMessage().startsWith("malformed") ? " (quote it for the shell: '{\"n\": 7}')" : "";
            throw new CliException(CliException.BAD_JSON, e.getMessage() + hint);
        }
    }
}
