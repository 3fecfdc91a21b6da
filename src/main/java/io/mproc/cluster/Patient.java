package io.mproc.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A request to an address that may not be known to this member yet: a consumer registered
 * in another JVM reaches this member's view of the cluster 100-500 ms later. It retries on
 * NO_HANDLERS every 20 ms until {@code patienceMs} have passed.
 */
public final class Patient {
    private Patient() {
    }

    public static <T> Future<Message<T>> request(Vertx vertx, String address, Object body, DeliveryOptions options, long patienceMs) {
        Promise<Message<T>> result = Promise.promise();
        attempt(vertx, address, body, options, System.currentTimeMillis() + patienceMs, result);
        return result.future();
    }

    private static <T> void attempt(Vertx vertx, String address, Object body, DeliveryOptions options, long deadline,
                                    Promise<Message<T>> result) {
        vertx.eventBus().<T>request(address, body, options).onComplete(reply -> {
            if (reply.succeeded()) {
                result.complete(reply.result());
            } else if (noHandlers(reply.cause()) && System.currentTimeMillis() < deadline) {
                vertx.setTimer(20, t -> attempt(vertx, address, body, options, deadline, result));
            } else {
                result.fail(reply.cause());
            }
        });
    }

    /** Whether a request failed because no consumer is registered at its address. */
    public static boolean noHandlers(Throwable error) {
        return error instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS;
    }
}
