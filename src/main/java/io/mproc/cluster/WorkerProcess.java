package io.mproc.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * A worker JVM the supervisor started: its {@link java.lang.Process}, and the threads that
 * relay its output to this JVM's console, a whole line at a time, each prefixed with the
 * worker's name. The last lines of its stderr are kept to explain an early death.
 */
public final class WorkerProcess implements Roster.Worker {
    private static final int TAIL_LINES = 20;

    private final String id;
    private final java.lang.Process process;
    private final long startedAt = System.currentTimeMillis();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private volatile String name;
    private volatile String group;
    private volatile boolean ready;
    private volatile String member;
    /** Set once it was told to end (stop line, SIGTERM, SIGKILL): its leaving the cluster is expected. */
    private volatile boolean told;
    private volatile boolean killedAsSilent;
    private volatile boolean retiring;
    private volatile ExitNote.Note note;
    private final java.util.concurrent.CompletableFuture<Void> outputEnded = new java.util.concurrent.CompletableFuture<>();

    /** @param group the group it serves, or null for a spare waiting for one */
    WorkerProcess(String id, String group, java.lang.Process process) {
        this.id = id;
        this.name = id;
        this.group = group;
        this.process = process;
        relay(process.getInputStream(), () -> System.out, false);
        relay(process.getErrorStream(), () -> System.err, true);
    }

    private void relay(InputStream stream, Supplier<PrintStream> sink, boolean keepTail) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    int mark = keepTail ? -1 : ExitNote.find(line);
                    if (mark >= 0) {
                        note = ExitNote.parse(line.substring(mark));
                        line = line.substring(0, mark);
                        if (line.isEmpty()) {
                            continue;
                        }
                    }
                    if (keepTail) {
                        synchronized (stderrTail) {
                            if (stderrTail.size() == TAIL_LINES) {
                                stderrTail.removeFirst();
                            }
                            stderrTail.addLast(line);
                        }
                    }
                    sink.get().println("[" + name + "] " + line);
                }
            } catch (IOException e) {
                // the worker is gone; its exit is handled by the supervisor
            } finally {
                if (!keepTail) {
                    outputEnded.complete(null);
                }
            }
        }, "mproc-relay-" + id + (keepTail ? "-err" : "-out"));
        thread.setDaemon(true);
        thread.start();
    }

    /** The name it was launched with, for good. */
    @Override
    public String id() {
        return id;
    }

    /** The name it goes by: its id while a spare, then the name its group gives it. */
    @Override
    public String name() {
        return name;
    }

    /** The group (a pool, a process) this worker serves; null while it is a spare. */
    @Override
    public String group() {
        return group;
    }

    /** Gives a spare (or a new worker) to a group, under the name it will go by. */
    @Override
    public void assign(String group, String name) {
        this.group = group;
        this.name = name;
    }

    /** Its cluster member's uuid, as it said when ready; null before. */
    String member() {
        return member;
    }

    void member(String uuid) {
        this.member = uuid;
    }

    public long pid() {
        return process.pid();
    }

    public long startedAt() {
        return startedAt;
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public void markReady() {
        ready = true;
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    java.lang.Process process() {
        return process;
    }

    /** Notes that it was asked to retire (over the event bus): its exit is then one it was asked for. */
    void retiring() {
        retiring = true;
    }

    /** Whether it was told to end, or asked to retire. */
    boolean askedToEnd() {
        return told || retiring;
    }

    /** Kills it (SIGKILL) because it stopped answering the cluster; its exit's reason then says so. */
    void killAsSilent() {
        killedAsSilent = true;
        signal(true);
    }

    /** Whether it was killed for being silent ({@link #killAsSilent}). */
    boolean killedAsSilent() {
        return killedAsSilent;
    }

    /** Ends it with SIGTERM ({@code force} false) or SIGKILL. */
    void signal(boolean force) {
        told = true;
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
            resumeIfStopped();
        }
    }

    /**
     * A stopped process (SIGSTOP) acts on SIGTERM or end of file only once it runs again: so that a
     * pool's {@code terminate()} or {@code close()} does not wait the grace period for it, it is
     * sent SIGCONT, which a running process ignores. It is sent whatever /proc says the process's
     * state is: a SIGSTOP sent a moment before may not show there yet (seen in CI).
     */
    private void resumeIfStopped() {
        if (!process.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-CONT", String.valueOf(process.pid())).start();
        } catch (IOException | RuntimeException e) {
            // no kill command (not a Unix): nothing to resume
        }
    }

    /** Whether it was told to end; then its member leaving the cluster is no sign of silence. */
    boolean told() {
        return told;
    }

    /** Lets the worker join the cluster: a line {@code join} on its standard input. */
    void permitJoin() {
        tell("join");
    }

    /** Writes {@code line} on the worker's standard input. */
    void tell(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().flush();
        } catch (IOException e) {
            // gone already; its exit is handled by the supervisor
        }
    }

    /**
     * Asks the worker to leave: a line {@code stop} (it then sends what it buffered, as at a
     * normal exit), then end of file. End of file alone means its parent is gone, and it ends at once.
     */
    void closeStdin() {
        told = true;
        try {
            process.getOutputStream().write("stop\n".getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        resumeIfStopped();
    }

    /** The last lines the worker wrote to stderr, oldest first. */
    public String stderrTail() {
        synchronized (stderrTail) {
            return String.join("\n", stderrTail);
        }
    }

    /** The resident set of process {@code pid} of this machine in KiB, from /proc (Linux); -1 where it cannot be read. */
    public static long rssKb(long pid) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or gone
        }
        return -1;
    }

    /**
     * Completes once the worker has exited and its last output (with its {@link ExitNote}) is
     * read; after at most 2 s past its exit, in case a process it started still holds its output.
     */
    java.util.concurrent.CompletableFuture<Void> ended() {
        return process.onExit().thenCompose(p -> outputEnded.completeOnTimeout(null, 2, java.util.concurrent.TimeUnit.SECONDS));
    }

    /** Python's exit code of the ended worker: the code, or minus the signal that ended it. */
    int exitCode() {
        return ExitNote.pythonCode(note, process.exitValue());
    }

    /**
     * Whether the worker ended through its own exit path (it wrote an {@link ExitNote}: a normal
     * stop, {@code System.exit}, a caught SIGTERM), so that the JVM ran its exit actions; false when
     * it was killed (SIGKILL) or crashed.
     */
    boolean endedItself() {
        return note != null;
    }

    /**
     * Whether the process lives on though nobody told it to end and it did not say it is ending.
     * A worker that wrote its exit note may outlive its cluster member by seconds: the first
     * worker of a class path writes the AppCDS archive as its JVM exits.
     */
    boolean silent() {
        return process.isAlive() && !told && note == null;
    }

    /** Whether the worker said it could not take up its role. */
    boolean failedToStart() {
        return note != null && note.kind() == ExitNote.Kind.START_FAILED;
    }
}
