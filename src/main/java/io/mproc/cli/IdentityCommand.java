package io.mproc.cli;

import io.mproc.cluster.ClusterIdentity;
import io.mproc.cluster.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * {@code run.sh identity}: the cluster identity of this user on this host ({@code mproc.identity}),
 * shown by its fingerprint, exported to another host, imported from one, or replaced. The key
 * itself is never printed: {@code export -} prints the whole file as Base64 for a pipe such as
 * {@code run.sh identity export - | ssh host 'mproc/run.sh identity import -'}.
 */
@Command(name = "identity", mixinStandardHelpOptions = true,
        description = "Shows, exports, imports or replaces the cluster identity (mproc.identity) that lets JVMs into a cluster.",
        subcommands = {IdentityCommand.Show.class, IdentityCommand.Export.class, IdentityCommand.Import.class, IdentityCommand.Rotate.class})
public final class IdentityCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Show.print(spec.commandLine().getOut());
    }

    static Path file() {
        return ClusterIdentity.path(Settings.load());
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Where the identity is and its fingerprint (never the key).")
    static final class Show implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            print(spec.commandLine().getOut());
        }

        static void print(PrintWriter out) {
            Path file = file();
            if (!Files.isRegularFile(file)) {
                out.println("no cluster identity at " + file + " yet: the first mproc JVM makes it, or run.sh identity import brings one");
                return;
            }
            out.println(file + " " + ClusterIdentity.existing(file).fingerprint());
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Writes the identity to FILE (owner-only), or with '-' prints it as Base64 for a pipe to another host.")
    static final class Export implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "Where to write it ('-': standard output, Base64).")
        String target;

        @Override
        public void run() {
            ClusterIdentity identity = ClusterIdentity.existing(file());
            if (target.equals("-")) {
                spec.commandLine().getOut().println(Base64.getEncoder().encodeToString(identity.fileBytes()));
                return;
            }
            Path to = Path.of(target).toAbsolutePath();
            identity.exportTo(to);
            spec.commandLine().getErr().println("exported " + identity.fingerprint() + " to " + to + " (owner-only; keep it so: it lets a JVM"
                    + " into the cluster); on the other host: run.sh identity import FILE");
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Installs the identity from FILE (or Base64 on standard input with '-') as this user's mproc.identity.")
    static final class Import implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "A file from run.sh identity export ('-': its Base64 on standard input).")
        String source;

        @Option(names = "--force", description = "Replace another identity that is there (it is kept as NAME.old).")
        boolean force;

        @Override
        public void run() {
            byte[] bytes;
            try {
                bytes = source.equals("-")
                        ? Base64.getMimeDecoder().decode(new String(System.in.readAllBytes(), StandardCharsets.US_ASCII).trim())
                        : Files.readAllBytes(Path.of(source));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + source + ": " + e.getMessage());
            }
            ClusterIdentity identity = ClusterIdentity.install(bytes, file(), force);
            spec.commandLine().getOut().println((identity.made() ? "imported " : "already here: ") + identity.fingerprint() + " at " + identity.file());
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Replaces the identity with a new key (the old file is kept as NAME.old); clusters keep the old one until they restart.")
    static final class Rotate implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            ClusterIdentity identity = ClusterIdentity.rotate(file());
            spec.commandLine().getOut().println("new identity " + identity.fingerprint() + " at " + identity.file() + "; the old one is kept as "
                    + identity.file().getFileName() + ".old. Restart running clusters, and export the new one to their other hosts.");
        }
    }
}
