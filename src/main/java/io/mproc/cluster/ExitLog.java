package io.mproc.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * The worker exits of every host, as their supervisors tell them: the last {@link #KEPT} with
 * their reason, for the status page, and how many there were by reason, for {@code /metrics}.
 */
final class ExitLog {
    /** The recent exits kept. */
    static final int KEPT = 20;

    private final Deque<JsonObject> recent = new ArrayDeque<>();
    private final Map<String, Long> byReason = new TreeMap<>();

    /** Notes the exit of worker {@code worker} (pid, host, group or null) with Python's exit code, at {@code at} (epoch ms). */
    synchronized void exited(String worker, long pid, String host, String group, int code, String reason, long at) {
        recent.addFirst(new JsonObject().put("worker", worker).put("pid", pid).put("host", host).put("group", group)
                .put("code", code).put("reason", reason).put("at", at));
        while (recent.size() > KEPT) {
            recent.removeLast();
        }
        byReason.merge(reason, 1L, Long::sum);
    }

    /** {@code [{worker, pid, host, group, code, reason, at}]}, newest first. */
    synchronized JsonArray recent() {
        return new JsonArray(recent.stream().map(JsonObject::copy).toList());
    }

    /** {@code {reason: count}} since this supervisor started. */
    synchronized JsonObject counts() {
        JsonObject counts = new JsonObject();
        byReason.forEach(counts::put);
        return counts;
    }

    /**
     * Why a worker ended, in a few words, from its exit code as Python reports it (-N: killed by
     * signal N) and what its supervisor knows: whether it ended before it was ready, whether the
     * supervisor killed it because it had gone silent, and whether it was asked to stop.
     */
    static String reason(int code, boolean beforeReady, boolean killedAsSilent, boolean asked) {
        if (killedAsSilent) {
            return "silent, killed";
        }
        if (beforeReady) {
            return "failed to start";
        }
        return switch (code) {
            case 0 -> asked ? "stopped" : "ended";
            case 1 -> "error";
            case 12 -> "out of memory"; // a task hit OutOfMemoryError: its worker leaves (PoolWorker)
            case 13 -> "task stopped"; // a cancelled or timed-out task: its worker leaves (PoolWorker)
            case -9 -> asked ? "stopped (SIGKILL)" : "killed (SIGKILL)";
            case -15 -> asked ? "stopped (SIGTERM)" : "terminated (SIGTERM)";
            default -> code < 0 ? "signal " + -code : "exit code " + code;
        };
    }
}
