package io.mproc.testing;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** A verticle for tests deployed by {@code run.sh cluster --verticle}: answers on {@code test.echo} with what it got. */
public final class EchoVerticle extends VerticleBase {
    @Override
    public Future<?> start() {
        return vertx.eventBus().consumer("test.echo", m -> m.reply(m.body())).completion();
    }
}
