package io.mproc.testing;

import io.mproc.Multiprocessing;
import io.mproc.Pool;

import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.TreeSet;

/**
 * A program for multi-host tests: connects to the cluster at {@code args[0]}, maps tasks that
 * say which host (non-loopback IPv4 address) they ran on, prints "HOSTS a,b,..." and "CPUS n".
 */
public final class HostsDriver {
    private HostsDriver() {
    }

    public static void main(String[] args) {
        try (Multiprocessing mp = Multiprocessing.connect(args[0]); Pool pool = mp.pool(4)) {
            TreeSet<String> hosts = new TreeSet<>(pool.map(HostsDriver::host, Collections.nCopies(200, 20), 1));
            System.out.println("HOSTS " + String.join(",", hosts));
            System.out.println("CPUS " + mp.clusterCpuCount());
        }
        System.exit(0);
    }

    static String host(int millis) throws InterruptedException, SocketException {
        Thread.sleep(millis);
        return NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).map(a -> a.getHostAddress())
                .findFirst().orElse("loopback only");
    }
}
