package io.mproc.cluster;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the logs quiet: mproc logs through JUL at {@code mproc.log.level} (default
 * WARNING), and Vert.x, Hazelcast and Netty at {@code mproc.engine.log.level} (default
 * SEVERE: their start-up hints and the connection resets of a worker leaving are not the
 * user's business). A level the user already set on one of those loggers is left alone.
 */
public final class Logs {
    // JUL holds loggers weakly: keep them, or the levels are lost.
    private static final Logger MPROC = Logger.getLogger("io.mproc");
    private static final List<Logger> ENGINES = List.of(
            Logger.getLogger("com.hazelcast"), Logger.getLogger("io.vertx"), Logger.getLogger("io.netty"),
            // Hazelcast's joiner, which mproc extends: Hazelcast names its logger after the subclass
            Logger.getLogger("io.mproc.cluster.MemberContext$GatedJoiner"));
    private static final Logger VERTX_CONTEXT = Logger.getLogger("io.vertx.core.impl.ContextImpl");

    private Logs() {
    }

    public static void quiet(Settings settings) {
        set(MPROC, level(settings, "mproc.log.level", "WARNING"));
        Level engines = level(settings, "mproc.engine.log.level", "SEVERE");
        ENGINES.forEach(logger -> set(logger, engines));
        VERTX_CONTEXT.setFilter(record -> !isShutdownRace(record.getThrown()));
    }

    /**
     * Vert.x 5.0 can fail a channel write promise twice while a node closes and then logs
     * "Promise already completed" (eclipse-vertx/vert.x#6170, fixed after 5.0.12). It is
     * harmless, and a worker leaving would print it on the user's console: drop just that.
     */
    static boolean isShutdownRace(Throwable thrown) {
        if (!(thrown instanceof IllegalStateException) || !"Promise already completed".equals(thrown.getMessage())) {
            return false;
        }
        for (StackTraceElement frame : thrown.getStackTrace()) {
            if (frame.getClassName().endsWith("DelegatingChannelPromise")) {
                return true;
            }
        }
        return false;
    }

    private static void set(Logger logger, Level level) {
        if (logger.getLevel() == null) {
            logger.setLevel(level);
        }
    }

    private static Level level(Settings settings, String key, String fallback) {
        String name = settings.get(key, fallback);
        try {
            return Level.parse(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be a java.util.logging level (SEVERE, WARNING, INFO, FINE): '" + name + "'");
        }
    }
}
