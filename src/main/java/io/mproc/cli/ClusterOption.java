package io.mproc.cli;

import picocli.CommandLine.Option;

/** The {@code --cluster} option of the subcommands that talk to a standing cluster. */
final class ClusterOption {
    @Option(names = "--cluster", paramLabel = "[NAME@]HOST:PORT",
            description = "The standing cluster (default: mproc.cluster.address of conf/mproc.properties, mproc@127.0.0.1:5701).")
    String cluster;

    @Option(names = {"-v", "--verbose"}, description = "Say on standard error how the cluster is reached: its HTTP bridge, or a join.")
    boolean verbose;

    /** With {@code --verbose}, says {@code how} on standard error. */
    void say(String command, String how) {
        if (verbose) {
            System.err.println("run.sh " + command + ": " + how);
        }
    }
}
