package io.mproc.cli;

import io.mproc.cluster.ClusterIdentity;
import io.mproc.cluster.Settings;
import io.mproc.web.WebToken;
import picocli.CommandLine.Command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code run.sh token}: the token of the HTTP endpoints of the clusters this host's identity
 * lets in (derived from it: the same on every host that holds a copy), for {@code Authorization:
 * Bearer TOKEN}. A cluster started with security off makes a random one and prints it at its start.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Prints the token of the clusters' HTTP endpoints (status API, event-bus bridge), derived from the cluster identity.")
public final class TokenCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Settings settings = Settings.load();
        if (!ClusterIdentity.required(settings)) {
            throw new CliException(1, "mproc.security is off here: a cluster started so makes a random token and prints it at its start");
        }
        Path file = ClusterIdentity.path(settings);
        if (!Files.isRegularFile(file)) {
            throw new CliException(1, "no cluster identity at " + file + " yet: the first mproc JVM makes it, or run.sh identity import brings one");
        }
        System.out.println(WebToken.of(ClusterIdentity.existing(file)).value());
        return 0;
    }
}
