package io.mproc.cluster;

import io.mproc.codec.SentClasses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;

/**
 * A program's side of classes on demand: answers, at {@link Addresses#classes(String)} of its
 * member, a worker's request for a class file or resource ({@code com/example/Shape.class}) with
 * its bytes as the program sees them ({@link SentClasses}: the loaders its tasks, arguments and
 * jobs came from, then its class path), or fails with {@link #NOT_FOUND}. Only members of the
 * cluster can ask: the event bus carries nothing from outside it, and the HTTP bridge refuses
 * {@code mproc.*} addresses.
 */
public final class ClassServer {
    /** The failure code of a request for what the program does not have. */
    public static final int NOT_FOUND = 404;
    static final int BAD_REQUEST = 400;

    private ClassServer() {
    }

    /** Serves {@code sent} for member {@code member} on {@code vertx}'s event bus; completes once registered. */
    public static Future<Void> serve(Vertx vertx, String member, SentClasses sent) {
        return vertx.eventBus().<Object>consumer(Addresses.classes(member), message -> answer(vertx, sent, message)).completion();
    }

    private static void answer(Vertx vertx, SentClasses sent, Message<Object> message) {
        String path = message.body() instanceof String s ? s : null;
        String problem = problem(path);
        if (problem != null) {
            message.fail(BAD_REQUEST, problem);
            return;
        }
        vertx.executeBlocking(() -> sent.bytes(path), false).onComplete(read -> {
            if (read.failed()) {
                message.fail(500, "cannot read " + path + ": " + read.cause().getMessage());
            } else if (read.result() == null) {
                message.fail(NOT_FOUND, "no " + path + " in this program");
            } else {
                message.reply(Buffer.buffer(read.result()));
            }
        });
    }

    /** What is wrong with a requested path, or null: a relative path in a class path, as {@code ClassLoader.getResource} takes. */
    static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "a class request is the path of a class file or resource, e.g. com/example/Shape.class";
        }
        if (path.startsWith("/") || path.contains("\\") || path.contains("..") || path.indexOf('\0') >= 0) {
            return "not a class path resource: '" + path + "' (a relative path without '..', e.g. com/example/Shape.class)";
        }
        return null;
    }
}
