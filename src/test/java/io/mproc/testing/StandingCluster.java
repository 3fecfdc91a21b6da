package io.mproc.testing;

import io.mproc.cli.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code run.sh cluster} in a JVM of its own (the test class path, a unique name, a port the
 * OS gives), and {@code run.sh} subcommands run against it, each in a JVM of its own.
 */
public final class StandingCluster implements AutoCloseable {
    private static final Pattern BANNER = Pattern.compile("connect with Multiprocessing\\.connect\\(\"([^\"]+)\"\\)");
    private static final Pattern WEB = Pattern.compile("status page: (http://\\S+?)/\\?token=(\\S+)");

    private final java.lang.Process process;
    private final String address;
    private String web;
    private String token;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    private StandingCluster(java.lang.Process process, String address) {
        this.process = process;
        this.address = address;
    }

    /** Starts a cluster with these extra arguments of {@code run.sh cluster} and waits for its address. */
    public static StandingCluster start(String... arguments) throws IOException {
        return startOn(System.getProperty("java.class.path"), arguments);
    }

    /**
     * This test JVM's class path without the test classes: mproc and its dependencies, as a cluster
     * has them that knows nothing of a program's own classes.
     */
    public static String classPathWithoutTests() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !Path.of(entry).endsWith("test-classes"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** As {@link #start}, with {@code classPath} for the cluster's JVM (and so its workers'). */
    public static StandingCluster startOn(String classPath, String... arguments) throws IOException {
        List<String> command = runShOn(classPath, "cluster", "--port", "0", "--http-port", "0", "--name",
                "test-" + UUID.randomUUID().toString().substring(0, 8));
        command.addAll(List.of(arguments));
        java.lang.Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> early = new ArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            early.add(line);
            Matcher m = BANNER.matcher(line);
            if (m.find()) {
                StandingCluster cluster = new StandingCluster(process, m.group(1));
                cluster.output.addAll(early);
                for (String said : early) {
                    Matcher web = WEB.matcher(said);
                    if (web.find()) {
                        cluster.web = web.group(1);
                        cluster.token = web.group(2);
                    }
                }
                Thread drain = new Thread(() -> out.lines().forEach(cluster.output::add), "cluster-output");
                drain.setDaemon(true);
                drain.start();
                return cluster;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the cluster printed no address; its output: " + early);
    }

    /**
     * The command {@code run.sh ARGUMENTS} runs: this JDK's java with run.sh's default JVM options,
     * on the test's class path (run.sh would use the packaged jar), packed as the workers' is and
     * mapping their class archive once there is one, as run.sh does.
     */
    public static List<String> runSh(String... arguments) {
        return runShOn(System.getProperty("java.class.path"), arguments);
    }

    /** As {@link #runSh}, on {@code classPath}. */
    public static List<String> runShOn(String classPath, String... arguments) {
        String subcommand = arguments.length > 0 ? arguments[0] : "";
        List<String> jvm = switch (subcommand) {
            case "demo" -> List.of("-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1");
            case "status", "scale", "send", "stop", "identity", "token" -> List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
            default -> List.of("-XX:+UseParallelGC", "-XX:CompileThresholdScaling=4");
        };
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvm);
        command.addAll(io.mproc.cluster.ClassDataSharing.optionsOn(io.mproc.cluster.Settings.load(), classPath));
        command.add(Main.class.getName());
        command.addAll(List.of(arguments));
        return command;
    }

    /** {@code http://host:port} of the cluster's HTTP endpoints, as it printed it; null if it printed none. */
    public String web() {
        return web;
    }

    /** The token in the URL the cluster printed. */
    public String token() {
        return token;
    }

    /** {@code name@host:port}, as the cluster printed it. */
    public String address() {
        return address;
    }

    public java.lang.Process process() {
        return process;
    }

    public List<String> output() {
        synchronized (output) {
            return new ArrayList<>(output);
        }
    }

    /** What a {@code run.sh} subcommand printed, and its exit code. */
    public record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    /**
     * Runs {@code run.sh ARGS --cluster ADDRESS} in a JVM of its own, told this cluster's HTTP
     * port ({@code MPROC_HTTP_PORT}), as a shell on a host whose cluster took the default port is.
     */
    public Run run(String... arguments) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(arguments));
        args.add(1, "--cluster");
        args.add(2, address);
        return web == null ? runCli(args) : runCli(args, java.util.Map.of("MPROC_HTTP_PORT", web.substring(web.lastIndexOf(':') + 1)));
    }

    /** Runs {@code run.sh ARGS} as given, in a JVM of its own. */
    public static Run runCli(List<String> arguments) throws IOException, InterruptedException {
        return runCli(arguments, java.util.Map.of());
    }

    /** As {@link #runCli(List)}, with {@code environment} added to this JVM's. */
    public static Run runCli(List<String> arguments, java.util.Map<String, String> environment) throws IOException, InterruptedException {
        List<String> command = runSh(arguments.toArray(String[]::new));
        Path out = Files.createTempFile("mproc-cli", ".out");
        Path err = Files.createTempFile("mproc-cli", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(environment);
            java.lang.Process cli = builder.start();
            if (!cli.waitFor(90, TimeUnit.SECONDS)) {
                cli.destroyForcibly().waitFor();
                throw new IllegalStateException("run.sh " + arguments + " did not end within 90 s");
            }
            return new Run(cli.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Ends the cluster (SIGTERM, as Ctrl-C) if it still runs, and waits for all its JVMs. */
    @Override
    public void close() throws Exception {
        List<ProcessHandle> jvms = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        for (ProcessHandle jvm : jvms) {
            jvm.onExit().get(30, TimeUnit.SECONDS);
        }
    }
}
