package io.mproc.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.Map;
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
        try (ClusterClient client = ClusterClient.connect(cluster.cluster)) {
            Object reply = client.request(address, body, Duration.ofMillis((long) (timeout * 1000)));
            System.out.println(reply == null ? "null" : reply instanceof JsonObject || reply instanceof JsonArray ? reply.toString()
                    : Json.encode(reply));
            return 0;
        }
    }

    /** The message as the event bus carries it: JsonObject, JsonArray, String, Number or Boolean. */
    static Object parse(String text) {
        Object value;
        try {
            value = Json.decodeValue(text);
        } catch (DecodeException e) {
            String why = e.getMessage().lines().findFirst().orElse("");
            int source = why.indexOf(" (start marker");
            why = source > 0 ? why.substring(0, source) : why.replaceAll(" at \\[Source.*", "");
            throw new CliException(CliException.BAD_JSON, "malformed JSON message " + abbreviate(text) + ": " + why
                    + " (quote it for the shell: '{\"n\": 7}')");
        }
        if (value == null) {
            throw new CliException(CliException.BAD_JSON, "the message is JSON null; send an object, array, string, number or boolean");
        }
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) map;
            return new JsonObject(m);
        }
        if (value instanceof java.util.List<?> list) {
            return new JsonArray(new java.util.ArrayList<>(list));
        }
        return value;
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? "'" + text.substring(0, 60) + "...'" : "'" + text + "'";
    }
}
