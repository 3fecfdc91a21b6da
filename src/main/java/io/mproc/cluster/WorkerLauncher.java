package io.mproc.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts worker JVMs: the same {@code java} as this JVM, the class path this program's and
 * mproc's classes were loaded from ({@link WorkerClassPath}), the JVM
 * options of {@code conf/jvm.options} and then those set in code, this JVM's mproc
 * settings as system properties, and the worker's role as arguments; an AppCDS archive
 * when the class path allows one ({@link ClassDataSharing}), and BoringSSL unpacked once
 * ({@link NativeTls}). The worker's
 * standard input stays open in this JVM: its first line gives the worker the cluster's
 * identity ({@link ClusterIdentity#line()}), and when this JVM dies, the worker reads end of
 * file and exits.
 */
public final class WorkerLauncher {
    /** The main class of a worker JVM. */
    public static final String WORKER_MAIN = "io.mproc.runtime.WorkerMain";
    private static final List<String> FORWARDED = List.of("mproc.log.level", "mproc.engine.log.level", "mproc.serial.filter",
            "mproc.heartbeat.seconds", "mproc.max.no.heartbeat.seconds", "mproc.security");

    private final List<String> prefix = new ArrayList<>();
    private final String clusterName;
    private final ClassDataSharing cds;
    private final ClusterIdentity identity;

    /**
     * @param supervisor the address of the supervisor the workers ask for their role
     * @param identity   the identity the workers prove they hold, or null when the cluster checks none
     */
    public WorkerLauncher(Settings settings, String clusterName, String joinAddress, String host, String supervisor,
                          List<String> extraJvmOptions, ClusterIdentity identity) {
        this.clusterName = clusterName;
        this.identity = identity;
        WorkerClassPath found = WorkerClassPath.of(Thread.currentThread().getContextClassLoader());
        if (!found.unresolved().isEmpty()) {
            System.getLogger(WorkerLauncher.class.getName()).log(System.Logger.Level.WARNING, "worker JVMs cannot be given these parts"
                    + " of this program's class path (not files or directories): " + found.unresolved() + "; classes from there are"
                    + " missing in them");
        }
        String classPath = found.value();
        if (ClassDataSharing.enabled(settings)) {
            classPath = ClassPathJars.pack(classPath, ClassDataSharing.cacheDir(settings));
        }
        this.cds = ClassDataSharing.forClassPath(settings, classPath);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException("cannot start worker JVMs: " + java + " is not executable; set JAVA_HOME to a JDK 17+");
        }
        prefix.add(java.toString());
        prefix.addAll(settings.jvmOptions());
        prefix.addAll(extraJvmOptions);
        prefix.addAll(NativeTls.jvmOptions(ClassDataSharing.cacheDir(settings), Thread.currentThread().getContextClassLoader()));
        for (String key : FORWARDED) {
            String value = settings.get(key, null);
            if (value != null) {
                prefix.add("-D" + key + "=" + value);
            }
        }
        // a program run with its own temporary directory keeps its workers' files there too
        prefix.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        if (settings.confDir() != null) {
            prefix.add("-Dmproc.conf.dir=" + settings.confDir().toAbsolutePath());
        }
        prefix.add("-Dmproc.cluster=" + clusterName);
        prefix.add("-cp");
        prefix.add(classPath);
        prefix.add(WORKER_MAIN);
        prefix.add("cluster=" + clusterName);
        prefix.add("join=" + joinAddress);
        prefix.add("host=" + host);
        prefix.add("supervisor=" + supervisor);
    }

    /**
     * Tells the launcher a worker exited, so that an archive it dumped can be kept: when it
     * ended through its own exit path ({@code orderly}), the JVM wrote the archive whole.
     */
    public void exited(String name, boolean orderly) {
        if (cds != null) {
            cds.dumped(name, orderly);
        }
    }

    /** Starts worker {@code id}, for {@code group} or (null) as a spare; it asks the supervisor for its role. */
    public WorkerProcess launch(String id, String group) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(1, cds == null ? List.of() : cds.options(id));
        command.add(command.indexOf(WORKER_MAIN), "-D" + NodeIdentity.NAME_PROPERTY + "=" + id);
        command.add("id=" + id);
        ProcessBuilder builder = new ProcessBuilder(command).directory(new File(System.getProperty("user.dir")));
        try {
            WorkerProcess worker = new WorkerProcess(id, group, builder.start());
            if (identity != null) {
                worker.tell(identity.line());
            }
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start worker JVM " + id + " of cluster " + clusterName + ": " + e.getMessage(), e);
        }
    }
}
