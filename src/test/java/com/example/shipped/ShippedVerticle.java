package com.example.shipped;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** A user's verticle that no cluster has on its class path: answers on {@code test.shipped} with its PID and the program's message. */
public final class ShippedVerticle extends VerticleBase {
    @Override
    public Future<?> start() {
        return vertx.eventBus().<Object>consumer("test.shipped", m -> m.reply(new JsonObject()
                .put("pid", ProcessHandle.current().pid()).put("message", Program.message()))).completion();
    }
}
