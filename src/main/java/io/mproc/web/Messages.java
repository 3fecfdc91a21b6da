package io.mproc.web;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/** JSON text to an event-bus message and back, for {@code run.sh send} and the HTTP bridge. */
public final class Messages {
    private Messages() {
    }

    /**
     * The message {@code text} holds, as the event bus carries it: JsonObject, JsonArray, String,
     * Number or Boolean.
     *
     * @throws IllegalArgumentException saying what is wrong with the text, in one line
     */
    public static Object decode(String text) {
        Object value;
        try {
            value = Json.decodeValue(text);
        } catch (DecodeException e) {
            String why = e.getMessage().lines().findFirst().orElse("");
            int source = why.indexOf(" (start marker");
            why = source > 0 ? why.substring(0, source) : why.replaceAll(" at \\[Source.*", "");
            throw new IllegalArgumentException("malformed JSON message " + abbreviate(text) + ": " + why);
        }
        if (value == null) {
            throw new IllegalArgumentException("the message is JSON null; send an object, array, string, number or boolean");
        }
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) map;
            return new JsonObject(m);
        }
        if (value instanceof List<?> list) {
            return new JsonArray(new java.util.ArrayList<>(list));
        }
        return value;
    }

    /** A reply as JSON text ({@code null} for none). */
    public static String encode(Object reply) {
        return reply == null ? "null" : reply instanceof JsonObject || reply instanceof JsonArray ? reply.toString() : Json.encode(reply);
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? "'" + text.substring(0, 60) + "...'" : "'" + text + "'";
    }
}
