package io.mproc.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hosts for tests, on one machine: network namespaces ({@code ip netns}), each with a veth
 * link to a bridge in a namespace of its own (the "switch"), on a /24 picked at random, so
 * that every host has its own address and reaches the others only over that network. Needs
 * root; {@link #close()} deletes them all.
 */
public final class Netns implements AutoCloseable {
    private final String prefix = "mp" + UUID.randomUUID().toString().substring(0, 6);
    private final String subnet = "10.231." + ThreadLocalRandom.current().nextInt(1, 255) + ".";
    private final List<String> names = new ArrayList<>();
    private final String bridgeNs = prefix + "-sw";

    private Netns() {
    }

    /** Makes {@code hosts} namespaces, host i at {@code 10.231.X.(i+1)}. @throws IllegalStateException they cannot be made here, and why */
    public static Netns create(int hosts) {
        Netns net = new Netns();
        try {
            net.sh("ip", "netns", "add", net.bridgeNs);
            net.sh("ip", "netns", "exec", net.bridgeNs, "ip", "link", "add", "br0", "type", "bridge");
            net.sh("ip", "netns", "exec", net.bridgeNs, "ip", "link", "set", "br0", "up");
            for (int i = 0; i < hosts; i++) {
                String ns = net.prefix + "-" + i;
                net.sh("ip", "netns", "add", ns);
                net.names.add(ns);
                String outer = net.prefix + "o" + i;
                net.sh("ip", "link", "add", outer, "type", "veth", "peer", "name", net.prefix + "i" + i);
                net.sh("ip", "link", "set", outer, "netns", net.bridgeNs);
                net.sh("ip", "link", "set", net.prefix + "i" + i, "netns", ns);
                net.sh("ip", "netns", "exec", net.bridgeNs, "ip", "link", "set", outer, "master", "br0", "up");
                net.sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
                net.sh("ip", "netns", "exec", ns, "ip", "link", "set", net.prefix + "i" + i, "name", "eth0");
                net.sh("ip", "netns", "exec", ns, "ip", "addr", "add", net.address(i) + "/24", "dev", "eth0");
                net.sh("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
            }
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    public String address(int host) {
        return subnet + (host + 1);
    }

    /** The command line that runs {@code command} on host {@code host}. */
    public List<String> on(int host, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", names.get(host)));
        full.addAll(command);
        return full;
    }

    /** PIDs of the processes that still run on host {@code host}. */
    public List<Long> pids(int host) {
        return sh("ip", "netns", "pids", names.get(host)).lines().filter(l -> !l.isBlank()).map(Long::parseLong).toList();
    }

    private String sh(String... command) {
        try {
            java.lang.Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out.trim());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " cannot run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Deletes the namespaces (their veth ends go with them). */
    @Override
    public void close() {
        List<String> all = new ArrayList<>(names);
        all.add(bridgeNs);
        for (String ns : all) {
            try {
                sh("ip", "netns", "del", ns);
            } catch (IllegalStateException e) {
                // not made, or gone already
            }
        }
    }
}
