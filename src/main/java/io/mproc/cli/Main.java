package io.mproc.cli;

import io.mproc.codec.SerialFilter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code run.sh}'s subcommands. */
@Command(name = "run.sh", mixinStandardHelpOptions = true, version = "mproc 0.1.0",
        description = "mproc: Python-style multiprocessing on the JVM, every worker a separate JVM.",
        subcommands = {Demo.class, Bench.class, ClusterCommand.class, WorkerCommand.class, StatusCommand.class, ScaleCommand.class,
                SendCommand.class, StopCommand.class, IdentityCommand.class, TokenCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        SerialFilter.installJvmWide(); // mproc's own JVM: Hazelcast's and Vert.x's streams are filtered too
        // and its key stores stay in memory: the event bus's TLS key in Vert.x's, sealed with one
        // round of the password hash instead of the JDK's 10,000 each way (~0.3 CPU-s a JVM)
        System.setProperty(io.mproc.cluster.Node.KEY_ROUNDS, "1");
        System.exit(commandLine().execute(args));
    }

    /** The command line of {@code run.sh}: a failure the user can act on is one line and its exit code. */
    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, commandLine, parsed) -> {
                    if (e instanceof CliException failure) {
                        commandLine.getErr().println("run.sh " + commandLine.getCommandName() + ": " + failure.getMessage());
                        return failure.code;
                    }
                    // a bad value is the user's to fix (exit 2, as for a bad flag); anything else is ours (exit 1)
                    boolean usage = e instanceof IllegalArgumentException;
                    commandLine.getErr().println("run.sh " + commandLine.getCommandName() + ": " + e.getMessage());
                    if (!usage) {
                        e.printStackTrace(commandLine.getErr());
                    }
                    return usage ? 2 : 1;
                });
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
