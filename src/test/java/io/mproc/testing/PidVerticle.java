package io.mproc.testing;

import io.mproc.Multiprocessing;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** A user's verticle for tests: answers on {@code test.pid} with the PID and name of the worker JVM it runs in. */
public final class PidVerticle extends VerticleBase {
    @Override
    public Future<?> start() {
        return vertx.eventBus().<Object>consumer("test.pid", m -> m.reply(new JsonObject()
                .put("pid", ProcessHandle.current().pid()).put("worker", Multiprocessing.currentProcess().name())
                .put("echo", m.body()))).completion();
    }
}
