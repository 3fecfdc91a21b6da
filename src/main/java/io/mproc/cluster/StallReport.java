package io.mproc.cluster;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Where a member's start waits, when it waits too long: the stacks of the threads that are in
 * Vert.x's cluster manager, its clustered event bus, its TLS or Hazelcast's listener and
 * invocation code. A start that hangs says in its error what it hung on, instead of only that
 * it did not finish.
 */
final class StallReport {
    /** Frames from these packages or classes mark a thread as part of a member's start. */
    private static final List<String> STARTING = List.of(
            "io.vertx.spi.cluster.", "io.vertx.core.eventbus.impl.clustered.", "io.vertx.core.net.",
            "io.vertx.core.internal.tls.", "io.netty.handler.ssl.",
            "com.hazelcast.spi.impl.eventservice.", "com.hazelcast.internal.util.InvocationUtil",
            "com.hazelcast.spi.impl.operationservice.impl.Invocation");
    /** Frames of a stack shown, from its top. */
    static final int DEPTH = 14;

    private StallReport() {
    }

    /** The report for this JVM's threads now, leaving out the caller's own (it waits for the start). */
    static String now() {
        Map<Thread, StackTraceElement[]> stacks = Thread.getAllStackTraces();
        stacks.remove(Thread.currentThread());
        return of(stacks);
    }

    /** The report for {@code stacks}: each starting thread's name, state and top frames, by name. */
    static String of(Map<Thread, StackTraceElement[]> stacks) {
        StringBuilder report = new StringBuilder();
        stacks.entrySet().stream()
                .filter(e -> starting(e.getValue()))
                .sorted(Comparator.comparing(e -> e.getKey().getName()))
                .forEach(e -> {
                    report.append("\n  thread \"").append(e.getKey().getName()).append("\" ").append(e.getKey().getState());
                    StackTraceElement[] frames = e.getValue();
                    for (int i = 0; i < Math.min(DEPTH, frames.length); i++) {
                        report.append("\n    at ").append(frames[i]);
                    }
                    if (frames.length > DEPTH) {
                        report.append("\n    ... ").append(frames.length - DEPTH).append(" more");
                    }
                });
        return report.length() == 0
                ? " no thread is in the start's code: it waits for a reply (from another member, or a connection)"
                : report.toString();
    }

    private static boolean starting(StackTraceElement[] frames) {
        for (StackTraceElement frame : frames) {
            for (String mark : STARTING) {
                if (frame.getClassName().startsWith(mark)) {
                    return true;
                }
            }
        }
        return false;
    }
}
