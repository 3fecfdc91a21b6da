package io.mproc.cli;

import io.mproc.AsyncResult;
import io.mproc.ClusterOptions;
import io.mproc.Multiprocessing;
import io.mproc.Pool;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * {@code run.sh bench}: the Pool figures of mproc beside those of Python's multiprocessing,
 * measured in the same run on the same machine. Each of our figures is the median of
 * {@code --runs} runs; Python's come from {@code bench/python/mp_peer.py}, which reports medians of its
 * own repeats.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures the Pool beside Python's multiprocessing (same run) and writes a table and a JSON file.")
public final class Bench implements Callable<Integer> {
    @Option(names = "--runs", description = "Runs of each of our measurements; the median is reported (default ${DEFAULT-VALUE}).")
    int runs = 5;

    @Option(names = "--peer", description = "Directory of mp_peer.py (default: bench/python in the mproc home).")
    Path peer;

    @Option(names = "--out", description = "Directory for the JSON file (default ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-results");

    @Option(names = "--no-python", description = "Do not run the Python peer.")
    boolean noPython;

    @Option(names = "--cpu-count", description = "The CPU-bound loop counts to this, per round (default ${DEFAULT-VALUE}).")
    long cpuCount = 10_000_000;

    @Option(names = "--cpu-rounds", description = "Rounds per task; 4 tasks on 2 workers (default ${DEFAULT-VALUE}).")
    int cpuRounds = 80;

    @Option(names = "--only", split = ",", description = "Only these groups of figures: pool, ipc, shared, faults, security, metrics, classes (default: all).")
    Set<String> only = new HashSet<>(GROUPS);

    private static final List<String> GROUPS = List.of("pool", "ipc", "shared", "faults", "security", "metrics", "classes");

    private final Map<String, Figure> figures = new LinkedHashMap<>();

    /** One row: ours, Python's, and whether higher is better. */
    record Figure(String name, String unit, double ours, Double python, boolean higherIsBetter, String note) {
        Double ratio() {
            return python == null || python == 0 ? null : higherIsBetter ? ours / python : python / ours;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be >= 1: " + runs);
        }
        for (String group : only) {
            if (!GROUPS.contains(group)) {
                throw new IllegalArgumentException("--only takes " + String.join(", ", GROUPS) + ": " + group);
            }
        }
        Map<String, JsonObject> python = noPython ? Map.of() : runPython();
        if (only.contains("pool")) {
            try (Multiprocessing cold = noSpares()) {
                coldStart(cold, python);
            }
        }
        try (Multiprocessing mp = Multiprocessing.local()) {
            if (only.contains("pool")) {
                pool(mp, python);
            }
            if (only.contains("ipc")) {
                ipc(mp, python);
            }
            if (only.contains("shared")) {
                shared(mp, python);
            }
            if (only.contains("faults")) {
                faults(mp);
            }
        }
        if (only.contains("ipc")) {
            coldProcessStart(python);
        }
        if (only.contains("security")) {
            security();
        }
        if (only.contains("metrics")) {
            metrics();
        }
        if (only.contains("classes")) {
            classes();
        }
        report();
        return 0;
    }

    private void pool(Multiprocessing mp, Map<String, JsonObject> python) throws IOException, InterruptedException {
        try (Pool pool = mp.pool(2)) {
            settle(mp);
            for (int i = 0; i < 10; i++) { // JIT warm-up of both sides, as a long-running program has; a bar on a terminal
                io.mproc.Progress.show("warm-up " + (i + 1) + "/10", pool.mapAsync(Work::square, range(1_000_000)));
            }
            throughput(pool, python);
            latency(pool, python);
        }
        try (Pool idle = mp.pool(2)) {
            rss(idle);
        }
        cpuBound(mp, python);
    }

    private void shared(Multiprocessing mp, Map<String, JsonObject> python) {
        String note = "Python's Value lives in one machine's shared memory; ours is kept in the cluster (Hazelcast) and works across hosts";
        List<double[]> locked = new ArrayList<>();
        List<double[]> unlocked = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            locked.add(SharedBench.increments(mp, true));
            unlocked.add(SharedBench.increments(mp, false));
        }
        add("lock-protected increments, 4 processes", "ops/s", median(column(locked, 0)), py(python, "lock_counter", "locked_ops_per_s"), true, note);
        add("  final count of 40,000 locked increments (min)", "count", column(locked, 1).stream().min(Double::compare).orElseThrow(),
                null, true, "Python: " + fmt(py(python, "lock_counter", "locked_final_min")));
        add("  final count of 40,000 unlocked increments (median)", "count", median(column(unlocked, 1)),
                null, true, "updates are lost without the lock, in both; Python: " + fmt(py(python, "lock_counter", "unlocked_final_median")));
        add("atomic Value updates, 4 processes", "ops/s", median(() -> SharedBench.atomicUpdates(mp)),
                py(python, "lock_counter", "locked_ops_per_s"), true, "Python has no atomic update: its figure is the locked increment");
        add("Manager dict writes, 2 processes (set)", "writes/s", median(() -> SharedBench.dictWrites(mp, false)),
                py(python, "manager_dict", "writes_per_s"), true, "Python: d[k] = v through a Manager server process");
        add("Manager dict writes, 2 processes (put)", "writes/s", median(() -> SharedBench.dictWrites(mp, true)),
                py(python, "manager_dict", "writes_per_s"), true, "put returns the previous value, as java.util.Map says");
    }

    private void faults(Multiprocessing mp) {
        String none = "Python has none: its Pool hangs for good when a worker dies, and a running task cannot be stopped";
        List<double[]> stopped = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            stopped.add(FaultBench.stoppedWorker(mp));
        }
        add("stopped worker (SIGSTOP): taken for gone", "ms", median(column(stopped, 0)), null, false,
                "mproc.max.no.heartbeat.seconds is 5; " + none);
        add("  its process killed", "ms", median(column(stopped, 1)), null, false, "3 s after it was taken for gone, if it did not exit");
        add("  map of 2,000 x 10 ms on 2 workers completed", "ms", median(column(stopped, 2)), null, false, "after the stop");
        add("cancel() of a running task to a new worker taking work", "ms", median(() -> FaultBench.cancelToReplacement(mp)), null, false,
                "the cancelled task's worker exits and a warm spare replaces it");
    }

    private static List<Double> column(List<double[]> rows, int i) {
        return rows.stream().map(r -> r[i]).toList();
    }

    private void coldStart(Multiprocessing mp, Map<String, JsonObject> python) {
        double ms = coldPoolStartMs(mp);
        add("cold pool start to first result, 2 workers (no spare)", "ms", ms, py(python, "pool_startup", "spawn_n2_first_result_ms"), false,
                "Python: spawn start method (a new interpreter, like our new JVM); fork: "
                        + fmt(py(python, "pool_startup", "fork_n2_first_result_ms")) + " ms");
    }

    /** The median time from asking {@code mp} for a pool of 2 to its first result. */
    private double coldPoolStartMs(Multiprocessing mp) {
        return median(() -> {
            long t = System.nanoTime();
            try (Pool pool = mp.pool(2)) {
                pool.apply(Work::square, 3);
                return (System.nanoTime() - t) / 1e6;
            }
        });
    }

    /** The median rate of {@code pool}'s map of 1,000,000 trivial items, default chunksize. */
    private double millionItemsPerSecond(Pool pool) {
        List<Integer> million = range(1_000_000);
        return median(() -> {
            long t = System.nanoTime();
            List<Integer> r = pool.map(Work::square, million);
            check(r.size() == million.size() && r.get(999_999) == Work.square(999_999), "map of 1M");
            return million.size() / ((System.nanoTime() - t) / 1e9);
        });
    }

    private void throughput(Pool pool, Map<String, JsonObject> python) {
        double perSecond = millionItemsPerSecond(pool);
        add("map of 1,000,000 trivial items (default chunksize)", "items/s", perSecond,
                py(python, "pool_map_trivial", "default_chunk_items_per_s"), true, "");

        List<Integer> twenty = range(20_000);
        double chunk1 = median(() -> {
            long t = System.nanoTime();
            List<Integer> r = pool.map(Work::square, twenty, 1);
            check(r.size() == twenty.size(), "map chunksize 1");
            return twenty.size() / ((System.nanoTime() - t) / 1e9);
        });
        add("map of 20,000 items, chunksize 1", "items/s", chunk1, py(python, "pool_map_trivial", "chunk1_items_per_s"), true, "");

        double burst = median(() -> {
            long t = System.nanoTime();
            List<AsyncResult<Integer>> results = new ArrayList<>(20_000);
            for (int i = 0; i < 20_000; i++) {
                results.add(pool.applyAsync(Work::square, i));
            }
            for (int i = 0; i < results.size(); i++) {
                check(results.get(i).get() == i * i, "burst result");
            }
            return 20_000 / ((System.nanoTime() - t) / 1e9);
        });
        add("burst of 20,000 applyAsync", "tasks/s", burst, py(python, "apply_async_latency", "burst_tasks_per_s"), true, "");
    }

    private void latency(Pool pool, Map<String, JsonObject> python) {
        addRoundTrips("applyAsync round trip", applyRoundTrips(pool), python, "apply_async_latency", "roundtrip");
    }

    /** p50 and p99 of 5,000 applyAsync round trips on {@code pool}, after 500 untimed. */
    private static Supplier<double[]> applyRoundTrips(Pool pool) {
        return () -> IpcBench.roundTrips(500, 5000, i -> pool.applyAsync(Work::square, i).get());
    }

    /** Two rows, p50 and p99 of round trips: the medians over the runs, beside Python's {@code <key>_p50_us} and {@code _p99_us}. */
    private void addRoundTrips(String name, Supplier<double[]> measure, Map<String, JsonObject> python, String bench, String key) {
        double[] medians = medians(measure);
        add(name + " p50", "us", medians[0], py(python, bench, key + "_p50_us"), false, "");
        add(name + " p99", "us", medians[1], py(python, bench, key + "_p99_us"), false, "");
    }

    /** Waits until no worker JVM is starting (the spare a pool took is refilled): not while we time. */
    private static void settle(Multiprocessing mp) {
        ((io.mproc.runtime.LocalContext) mp).awaitSettled(java.time.Duration.ofSeconds(60));
    }

    /** RSS of the workers of a fresh pool that has run a few tasks and then idled for 3 s. */
    private void rss(Pool pool) throws IOException, InterruptedException {
        pool.awaitWorkers(java.time.Duration.ofSeconds(60));
        Set<Long> pids = new HashSet<>(pool.map(Work::pid, Collections.nCopies(20, 0), 1));
        Thread.sleep(3000);
        List<Double> rss = new ArrayList<>();
        for (long pid : pids) {
            long kb = io.mproc.cluster.WorkerProcess.rssKb(pid);
            if (kb >= 0) {
                rss.add(kb / 1024.0);
            }
        }
        add("idle worker RSS", "MB", median(rss), null, false, "a fresh pool of 2 after 20 tasks and 3 s idle; conf/jvm.options flags");
    }

    private void cpuBound(Multiprocessing mp, Map<String, JsonObject> python) {
        long n = cpuCount;
        int rounds = cpuRounds;
        List<Integer> tasks = Collections.nCopies(4, 0);
        try (Pool pool = mp.pool(2)) {
            settle(mp);
            pool.map(x -> Work.count(1_000_000, 2), tasks, 1);
            Work.count(1_000_000, 2);
            double speedup = median(() -> {
                long t = System.nanoTime();
                for (int i = 0; i < tasks.size(); i++) {
                    Work.count(n, rounds);
                }
                double serial = System.nanoTime() - t;
                t = System.nanoTime();
                pool.map(x -> Work.count(n, rounds), tasks, 1);
                return serial / (System.nanoTime() - t);
            });
            add("CPU-bound speedup, 4 tasks on 2 workers", "x", speedup, py(python, "cpu_bound_speedup", "count_pool_speedup"), true,
                    "ours: count to " + n + " x " + rounds + " rounds per task; Python: count to 10 million per task");
        }
    }

    private void ipc(Multiprocessing mp, Map<String, JsonObject> python) throws InterruptedException {
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            warm.add(IpcBench.processStartMs(mp, true));
        }
        add("process start to running, from a warm spare", "ms", median(warm), py(python, "pool_startup", "spawn_n2_first_result_ms"), false,
                "Python: spawn start of a Pool(2) to its first result, the nearest figure mp_peer.py has");
        add("Queue: 200,000 items, child to parent", "items/s", median(() -> IpcBench.queueItemsPerSecond(mp)),
                py(python, "queue_throughput", "items_per_s"), true, "");
        addRoundTrips("Queue ping-pong", () -> IpcBench.queuePingPong(mp), python, "queue_throughput", "pingpong");
        addRoundTrips("Pipe ping-pong", () -> IpcBench.pipePingPong(mp), python, "pipe_latency", "pingpong");
        add("Pipe: 200,000 small messages, child to parent", "msgs/s", median(() -> IpcBench.pipeMessagesPerSecond(mp)),
                py(python, "pipe_latency", "small_msgs_per_s"), true, "");
        add("Pipe: 1 MB messages (sendBytes)", "MB/s", median(() -> IpcBench.pipeBigMegabytesPerSecond(mp)),
                py(python, "pipe_latency", "big_send_bytes_MB_per_s"), true, "");
    }

    private static final String[] CONTEXT_FIGURES = {"cold pool start to first result, 2 workers", "map of 1,000,000 trivial items",
            "applyAsync round trip p50", "Queue: 200,000 items, child to parent", "Queue ping-pong p50",
            "Pipe: 200,000 small messages, child to parent", "Pipe ping-pong p50"};
    private static final String[] CONTEXT_UNITS = {"ms", "items/s", "us", "items/s", "us", "msgs/s", "us"};
    private static final boolean[] CONTEXT_HIGHER_IS_BETTER = {false, true, false, true, false, true, false};

    /**
     * What the closed cluster costs: a few figures measured with security on (the default: join
     * check, mutual TLS on the event bus) and off, in this run, each in a context of its own with
     * no warm spare. The rows show the figure with security off, the one with it on beside it.
     */
    private void security() {
        double[] on = contextFigures("mproc.security", "on", ClusterOptions.defaults());
        double[] off = contextFigures("mproc.security", "off", ClusterOptions.defaults());
        compare("security off: ", off, "on (the default)", on);
    }

    /**
     * What Vert.x's event-bus metrics cost the JVM that serves {@code /metrics}: the same figures
     * in an embedded cluster that serves its status page, with {@code mproc.metrics} off and on
     * (the driver is then that JVM: every task and result it sends and receives is counted). The
     * two alternate, a context each, {@code --runs} times, in turns (off first, then on first,
     * ...): the differences looked for are smaller than what a context's start and this shared
     * machine vary by; each figure is the median over those contexts.
     */
    private void metrics() {
        ClusterOptions served = ClusterOptions.defaults().statusPage(0);
        List<double[]> on = new ArrayList<>();
        List<double[]> off = new ArrayList<>();
        int contexts = runs;
        runs = 1; // one run per context: the contexts are the runs
        try {
            for (int i = 0; i < contexts; i++) {
                if (i % 2 == 0) {
                    off.add(contextFigures("mproc.metrics", "off", served));
                    on.add(contextFigures("mproc.metrics", "on", served));
                } else {
                    on.add(contextFigures("mproc.metrics", "on", served));
                    off.add(contextFigures("mproc.metrics", "off", served));
                }
            }
        } finally {
            runs = contexts;
        }
        compare("metrics off: ", columnMedians(off), "on (the default)", columnMedians(on));
    }

    /**
     * Classes on demand on a standing cluster: a new program's first map (pool of 2, 4 items)
     * when the workers fetch its classes, against a cluster that has them; then a warm map.
     */
    private void classes() throws Exception {
        double[] f = ClassesBench.firstMaps(Math.max(runs, 5));
        String none = "Python has none: a worker imports a task's function by name, so its module must be on the worker's path";
        add("first map of a new program, classes fetched from it", "ms", f[0], null, false, none);
        add("  first map, classes on the cluster's class path", "ms", f[1], null, false, "MPROC_CLASSPATH");
        add("warm map of 200,000 items, classes fetched", "items/s", f[2], null, true, "");
        add("  warm map, classes on the cluster's class path", "items/s", f[3], null, true, "");
    }

    /** A row per figure: {@code base}'s, and {@code other}'s beside it with how many times the time of base it took. */
    private void compare(String prefix, double[] base, String otherName, double[] other) {
        for (int i = 0; i < CONTEXT_FIGURES.length; i++) {
            boolean higher = CONTEXT_HIGHER_IS_BETTER[i];
            add(prefix + CONTEXT_FIGURES[i], CONTEXT_UNITS[i], base[i], null, higher,
                    String.format("%s: %s, %.2fx the time of %s", otherName, fmt(other[i]), higher ? base[i] / other[i] : other[i] / base[i],
                            prefix.substring(0, prefix.length() - 2)));
        }
    }

    /** The figures of {@link #CONTEXT_FIGURES} in a context with {@code options}, no warm spare, and setting {@code key} at {@code value}. */
    private double[] contextFigures(String key, String value, ClusterOptions options) {
        System.setProperty(key, value); // read once, while the context starts
        Multiprocessing mp;
        try {
            mp = noSpares(options);
        } finally {
            System.clearProperty(key);
        }
        try (mp) {
            double cold = coldPoolStartMs(mp);
            List<Integer> million = range(1_000_000);
            double map;
            double[] apply;
            try (Pool pool = mp.pool(2)) {
                for (int i = 0; i < 10; i++) {
                    pool.map(Work::square, million); // JIT warm-up, as in the pool figures (with 5 the first context measured ran slower)
                }
                map = millionItemsPerSecond(pool);
                apply = medians(applyRoundTrips(pool));
            }
            return new double[]{cold, map, apply[0], median(() -> IpcBench.queueItemsPerSecond(mp)), medians(() -> IpcBench.queuePingPong(mp))[0],
                    median(() -> IpcBench.pipeMessagesPerSecond(mp)), medians(() -> IpcBench.pipePingPong(mp))[0]};
        }
    }

    /** The medians over {@code --runs} runs of each figure {@code measure} returns. */
    private double[] medians(Supplier<double[]> measure) {
        List<double[]> rows = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            rows.add(measure.get());
        }
        return columnMedians(rows);
    }

    /** The median of each figure (column) over {@code rows}. */
    private static double[] columnMedians(List<double[]> rows) {
        double[] medians = new double[rows.get(0).length];
        for (int i = 0; i < medians.length; i++) {
            medians[i] = median(column(rows, i));
        }
        return medians;
    }

    /** A context with no warm spare: every pool and process pays for new JVMs. */
    private static Multiprocessing noSpares() {
        return noSpares(ClusterOptions.defaults());
    }

    private static Multiprocessing noSpares(ClusterOptions options) {
        System.setProperty("mproc.spares", "0"); // read once, while the context starts
        try {
            return Multiprocessing.local(options);
        } finally {
            System.clearProperty("mproc.spares");
        }
    }

    private void coldProcessStart(Map<String, JsonObject> python) throws InterruptedException {
        try (Multiprocessing cold = noSpares()) {
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                ms.add(IpcBench.processStartMs(cold, false));
            }
            add("process start to running, cold (no spare)", "ms", median(ms), py(python, "pool_startup", "spawn_n2_first_result_ms"),
                    false, "");
        }
    }

    // ---- Python peer -------------------------------------------------------------------

    private Map<String, JsonObject> runPython() throws IOException, InterruptedException {
        Path dir = peer != null ? peer : Path.of(System.getProperty("mproc.home", "."), "bench", "python");
        Path script = dir.resolve("mp_peer.py");
        Map<String, JsonObject> results = new LinkedHashMap<>();
        if (!onPath("python3")) {
            System.out.println("bench: python3 not found on PATH: Python's figures are left out (install Python 3.8+ or pass --no-python)");
            return results;
        }
        if (!Files.isRegularFile(script)) {
            System.out.println("bench: " + script + " not found: Python's figures are left out (pass --peer DIR or --no-python)");
            return results;
        }
        String[][] commands = {
                {"pool,ipc", "pool_startup", "--sizes", "2", "--methods", "fork,spawn", "--repeats", String.valueOf(Math.max(3, runs))},
                {"pool", "pool_map_trivial", "--repeats", String.valueOf(Math.max(3, runs))},
                {"pool", "apply_async_latency", "--repeats", String.valueOf(Math.max(3, runs))},
                {"pool", "cpu_bound_speedup", "--variants", "count", "--repeats", "3"},
                {"ipc", "queue_throughput", "--repeats", "3"},
                {"ipc", "pipe_latency"},
                {"shared", "lock_counter", "--procs", "4", "--increments", "10000", "--repeats", String.valueOf(Math.max(3, runs))},
                {"shared", "manager_dict", "--workers", "2", "--writes", "10000", "--repeats", "3"},
        };
        for (String[] groupAndCommand : commands) {
            if (Collections.disjoint(only, List.of(groupAndCommand[0].split(",")))) {
                continue;
            }
            String[] command = Arrays.copyOfRange(groupAndCommand, 1, groupAndCommand.length);
            List<String> line = new ArrayList<>(List.of("python3", script.toString()));
            line.addAll(List.of(command));
            System.out.println("python: " + String.join(" ", command));
            java.lang.Process p;
            try {
                p = new ProcessBuilder(line).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                System.out.println("bench: python3 could not be started (" + e.getMessage()
                        + "): Python's figures are left out (install Python 3.8+ or pass --no-python)");
                return results;
            }
            String last = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    last = l;
                }
            }
            if (p.waitFor() == 0 && last != null) {
                results.put(command[0], new JsonObject(last).getJsonObject("values"));
            } else {
                System.out.println("note: mp_peer.py " + command[0] + " failed (exit " + p.exitValue() + ")");
            }
        }
        return results;
    }

    /** Whether an executable of this name is in a directory of the PATH. */
    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static Double py(Map<String, JsonObject> python, String bench, String key) {
        JsonObject values = python.get(bench);
        return values == null || values.getValue(key) == null ? null : values.getDouble(key);
    }

    // ---- helpers -----------------------------------------------------------------------

    private void add(String name, String unit, double ours, Double python, boolean higherIsBetter, String note) {
        figures.put(name, new Figure(name, unit, ours, python, higherIsBetter, note));
        System.out.printf("  %-52s %14s %s%n", name, fmt(ours), unit);
    }

    private double median(Supplier<Double> measure) {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            values.add(measure.get());
        }
        return median(values);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("wrong result in " + what);
        }
    }

    private static String fmt(Double v) {
        if (v == null) {
            return "-";
        }
        return Math.abs(v) >= 1000 ? String.format("%,.0f", v) : String.format("%.2f", v);
    }

    private void report() throws IOException {
        String machine = Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version");
        System.out.println();
        System.out.println("mproc vs Python multiprocessing, " + LocalDate.now() + ", " + machine + ", median of " + runs + " runs");
        System.out.println();
        System.out.println("| figure | unit | mproc | Python | ratio (>1: mproc better) |");
        System.out.println("|---|---|---:|---:|---:|");
        JsonObject json = new JsonObject().put("date", LocalDate.now().toString()).put("machine", machine).put("runs", runs);
        JsonObject rows = new JsonObject();
        for (Figure f : figures.values()) {
            System.out.printf("| %s | %s | %s | %s | %s |%n", f.name(), f.unit(), fmt(f.ours()), fmt(f.python()),
                    f.ratio() == null ? "-" : String.format("%.2f", f.ratio()));
            rows.put(f.name(), new JsonObject().put("unit", f.unit()).put("mproc", f.ours()).put("python", f.python())
                    .put("ratio", f.ratio()).put("higherIsBetter", f.higherIsBetter()).put("note", f.note()));
        }
        figures.values().stream().filter(f -> !f.note().isEmpty()).forEach(f -> System.out.println("- " + f.name() + ": " + f.note()));
        json.put("figures", rows);
        Files.createDirectories(out);
        Path file = out.resolve("bench-" + LocalDate.now() + ".json");
        Files.writeString(file, json.encodePrettily());
        System.out.println();
        System.out.println("written: " + file.toAbsolutePath());
    }
}
