package io.mproc.cluster;

import io.mproc.cluster.protocol.Event;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The worker fleet's bookkeeping, without processes, timers or an event bus: which workers
 * there are, which group each serves under which name, which spares wait for a group, and what
 * a worker's exit calls for. {@link WorkerFleet} acts on what it says; tests drive it with
 * stand-in workers. Used on one thread (the supervisor's event loop).
 *
 * @param <W> the workers: {@link WorkerProcess}, or a stand-in
 */
final class Roster<W extends Roster.Worker> {
    /** Workers of a group (or spares) that die before they are ready, in a row, before it is given up. */
    static final int START_FAILURE_LIMIT = 3;

    /** What the roster needs to know of a worker. */
    interface Worker {
        /** The name it was launched with, for good. */
        String id();

        /** The name it goes by: its id while a spare, then the one its group gives it. */
        String name();

        /** Its group; null while it is a spare. */
        String group();

        boolean isReady();

        void markReady();

        boolean isAlive();

        /** Gives it to a group, under the name it will go by. */
        void assign(String group, String name);
    }

    /** The workers that serve one pool, process or a standing cluster, and how they are to be kept. */
    static final class Group<W> {
        final String name;
        final JsonObject role;
        final boolean replace;
        /** Names still to staff at the start. */
        final Deque<String> names = new ArrayDeque<>();
        /** Its workers, each with its role (the group's plus its name); one that leaves for good is removed first. */
        final Map<W, JsonObject> roles = new LinkedHashMap<>();
        final List<Runnable> stopped = new ArrayList<>();
        boolean stopping;
        boolean broken;
        int startFailures;
        /** How many names it has given so far: replacements and new cluster workers count on from it. */
        int named;

        Group(String name, JsonObject role, boolean replace) {
            this.name = name;
            this.role = role;
            this.replace = replace;
        }
    }

    /** What an exit calls for. */
    enum Next {
        /** A spare ended: start spares again (if they have not failed too often). */
        REFILL_SPARES,
        /** Nothing more (its group left, is stopping, or does not replace). */
        NOTHING,
        /** Its group's workers die before they are ready: say the group is broken; it is no longer staffed. */
        BREAK_GROUP,
        /** Start a replacement under {@link AfterExit#replacement()}. */
        REPLACE
    }

    /** The outcome of {@link #exited}. */
    record AfterExit<W>(Next next, Group<W> group, String replacement) {
    }

    private final UnaryOperator<JsonObject> handOut;
    private final Map<String, W> workers = new LinkedHashMap<>();
    private final Map<W, Consumer<JsonObject>> idleSpares = new LinkedHashMap<>();
    private final Map<String, Group<W>> groups = new LinkedHashMap<>();
    private int spareFailures;
    private boolean stopping;

    /** @param handOut completes a worker's role as it is handed out (e.g. a cluster worker's verticles) */
    Roster(UnaryOperator<JsonObject> handOut) {
        this.handOut = handOut;
    }

    /** A new group with {@code names} to staff; null if one of that name exists. */
    Group<W> open(String name, JsonObject role, boolean replace, List<String> names) {
        if (groups.containsKey(name)) {
            return null;
        }
        Group<W> group = new Group<>(name, role, replace);
        group.names.addAll(names);
        group.named = names.size();
        groups.put(name, group);
        return group;
    }

    /** The group of a standing cluster's own workers, made on first use. */
    Group<W> clusterGroup() {
        return groups.computeIfAbsent(Event.CLUSTER_GROUP, g -> new Group<>(g, new JsonObject().put("kind", "serve"), true));
    }

    /** A worker just launched, for a group (then {@link #enlist} it) or as a spare. */
    void add(W worker) {
        workers.put(worker.id(), worker);
    }

    W get(String id) {
        return workers.get(id);
    }

    List<W> workers() {
        return new ArrayList<>(workers.values());
    }

    int size() {
        return workers.size();
    }

    /**
     * Staffs {@code name} of {@code group} with a spare: a ready one if there is one (it gets its
     * role at once), else one still starting (it gets it once ready). Null when there is none: launch one.
     */
    W place(Group<W> group, String name) {
        W idle = idleSpares.keySet().stream().filter(Worker::isAlive).findFirst().orElse(null);
        if (idle != null) {
            Consumer<JsonObject> reply = idleSpares.remove(idle);
            JsonObject role = enlist(group, idle, name);
            reply.accept(handOut.apply(role));
            return idle;
        }
        W starting = workers.values().stream().filter(w -> w.group() == null && !w.isReady() && w.isAlive()).findFirst().orElse(null);
        if (starting != null) {
            enlist(group, starting, name);
        }
        return starting;
    }

    /** Gives {@code worker} to {@code group} under {@code name}; its role. */
    JsonObject enlist(Group<W> group, W worker, String name) {
        JsonObject role = group.role.copy().put("name", name);
        worker.assign(group.name, name);
        group.roles.put(worker, role);
        return role;
    }

    /** Worker {@code worker} is ready: {@code reply} gets its role now, or (a spare) once a group takes it. */
    void ready(W worker, Consumer<JsonObject> reply) {
        worker.markReady();
        Group<W> group = worker.group() == null ? null : groups.get(worker.group());
        if (group != null) {
            group.startFailures = 0;
            reply.accept(handOut.apply(group.roles.get(worker)));
        } else {
            spareFailures = 0;
            idleSpares.put(worker, reply);
        }
    }

    /**
     * How many spares to start to have {@code target}: none while any worker is starting (a spare
     * uses otherwise idle time, and never slows the start of a group that waits), while stopping,
     * or after {@value #START_FAILURE_LIMIT} spares in a row died before they were ready.
     */
    int sparesWanted(int target) {
        if (stopping || spareFailures >= START_FAILURE_LIMIT || workers.values().stream().anyMatch(w -> !w.isReady())) {
            return 0;
        }
        long live = workers.values().stream().filter(w -> w.group() == null).count();
        return (int) Math.max(0, target - live);
    }

    /** {@code worker} ended, {@code early}: before it was ready, or unable to take up its role. */
    AfterExit<W> exited(W worker, boolean early) {
        workers.remove(worker.id());
        idleSpares.remove(worker);
        if (worker.group() == null) {
            spareFailures = early ? spareFailures + 1 : 0;
            return new AfterExit<>(Next.REFILL_SPARES, null, null);
        }
        Group<W> group = groups.get(worker.group());
        if (group == null) {
            return new AfterExit<>(Next.NOTHING, null, null);
        }
        JsonObject role = group.roles.remove(worker);
        if (group.stopping || !group.replace) {
            if (group.roles.isEmpty()) {
                groups.remove(group.name);
                group.stopped.forEach(Runnable::run);
            }
            return new AfterExit<>(Next.NOTHING, group, null);
        }
        if (early && ++group.startFailures >= START_FAILURE_LIMIT) {
            group.broken = true;
            return new AfterExit<>(Next.BREAK_GROUP, group, null);
        }
        if (!group.broken && role != null) {
            return new AfterExit<>(Next.REPLACE, group, replacementName(group, worker.name()));
        }
        return new AfterExit<>(Next.NOTHING, group, null);
    }

    /**
     * Stops group {@code name}: it is no longer staffed; {@code stopped} runs once its last worker
     * has exited (at once if it has none). Its workers, to be told to end.
     */
    List<W> stop(String name, Runnable stopped) {
        Group<W> group = groups.get(name);
        if (group == null) {
            stopped.run();
            return List.of();
        }
        group.stopping = true;
        List<W> members = new ArrayList<>(group.roles.keySet());
        if (members.isEmpty()) {
            groups.remove(name);
            stopped.run();
            return members;
        }
        group.stopped.add(stopped);
        return members;
    }

    /** Stops everything: no more spares, no replacements. Every worker, to be told to end. */
    List<W> stopAll() {
        stopping = true;
        groups.values().forEach(g -> g.stopping = true);
        return workers();
    }

    boolean isStopping() {
        return stopping;
    }

    /** {@code pool-1-worker-2} is replaced by {@code pool-1-worker-N}, N one more than the group has named so far. */
    static String replacementName(Group<?> group, String old) {
        int dash = old.lastIndexOf('-');
        return (dash > 0 ? old.substring(0, dash + 1) : old + "-") + (++group.named);
    }
}
