package io.mproc.cli;

import picocli.CommandLine.Option;

/** The {@code --cluster} option of the subcommands that talk to a standing cluster. */
final class ClusterOption {
    @Option(names = "--cluster", paramLabel = "[NAME@]HOST:PORT",
            description = "The standing cluster (default: mproc.cluster.address of conf/mproc.properties, mproc@127.0.0.1:5701).")
    String cluster;
}
