package io.mproc.cluster.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the fields of one message, each failing with an {@link IllegalArgumentException} that
 * names the message kind, the field and what it should be, and quotes the whole message.
 */
final class Fields {
    private final String kind;
    private final JsonObject body;

    Fields(String kind, JsonObject body) {
        this.kind = kind;
        this.body = body;
    }

    /** A non-blank string. */
    String string(String field) {
        return string(field, "a non-blank string");
    }

    /** A non-blank string; {@code what} says what it is in the failure. */
    String string(String field, String what) {
        Object value = body.getValue(field);
        if (value instanceof String s && !s.isBlank()) {
            return s;
        }
        throw wrong(field, what);
    }

    /** A string, or null when absent. */
    String optionalString(String field) {
        Object value = body.getValue(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw wrong(field, "a string");
    }

    /** An integer, required when {@code absent} is null. */
    int integer(String field, Integer absent) {
        Object value = body.getValue(field);
        if (value == null && absent != null) {
            return absent;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            long n = ((Number) value).longValue();
            if (n == (int) n) {
                return (int) n;
            }
        }
        throw wrong(field, "an integer");
    }

    /** A whole number. */
    long number(String field) {
        Object value = body.getValue(field);
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        throw wrong(field, "a whole number");
    }

    /** A boolean, {@code absent} when not given. */
    boolean bool(String field, boolean absent) {
        Object value = body.getValue(field);
        if (value == null) {
            return absent;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw wrong(field, "true or false");
    }

    /** A JSON object. */
    JsonObject object(String field) {
        Object value = body.getValue(field);
        if (value instanceof JsonObject o) {
            return o;
        }
        throw wrong(field, "a JSON object");
    }

    /** An array of JSON objects, maybe empty. */
    List<JsonObject> objects(String field) {
        Object value = body.getValue(field);
        if (value instanceof JsonArray array) {
            List<JsonObject> list = new ArrayList<>(array.size());
            for (Object item : array) {
                if (!(item instanceof JsonObject o)) {
                    throw wrong(field, "an array of JSON objects");
                }
                list.add(o);
            }
            return list;
        }
        throw wrong(field, "an array of JSON objects");
    }

    /** A non-empty array of non-blank strings. */
    List<String> strings(String field) {
        Object value = body.getValue(field);
        if (value instanceof JsonArray array && !array.isEmpty()) {
            List<String> list = new ArrayList<>(array.size());
            for (Object item : array) {
                if (!(item instanceof String s) || s.isBlank()) {
                    throw wrong(field, "a non-empty array of non-blank strings");
                }
                list.add(s);
            }
            return list;
        }
        throw wrong(field, "a non-empty array of non-blank strings");
    }

    /** A failure naming the field; also for checks of its value the readers above do not make. */
    IllegalArgumentException wrong(String field, String what) {
        String message = body.containsKey(field)
                ? kind + "'s " + field + " must be " + what + ": " + body.encode()
                : kind + " needs " + field + " (" + what + "): " + body.encode();
        return new IllegalArgumentException(message);
    }
}
