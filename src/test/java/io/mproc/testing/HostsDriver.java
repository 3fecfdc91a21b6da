package io.mproc.testing;

import com.example.shipped.Program;
import io.mproc.Multiprocessing;
import io.mproc.Pool;

import java.util.Collections;
import java.util.TreeSet;

/**
 * A program for multi-host tests: connects to the cluster at {@code args[0]}, maps tasks that
 * say which host (non-loopback IPv4 address) they ran on, prints "HOSTS a,b,..." and "CPUS n".
 * The task is of the program's own class ({@link Program}), which the other hosts' workers
 * fetch from it.
 */
public final class HostsDriver {
    private HostsDriver() {
    }

    public static void main(String[] args) {
        try (Multiprocessing mp = Multiprocessing.connect(args[0]); Pool pool = mp.pool(4)) {
            TreeSet<String> hosts = new TreeSet<>(pool.map(Program.host(), Collections.nCopies(200, 20), 1));
            System.out.println("HOSTS " + String.join(",", hosts));
            System.out.println("CPUS " + mp.clusterCpuCount());
        }
        System.exit(0);
    }
}
