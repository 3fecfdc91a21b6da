package io.mproc.web;

import io.mproc.cluster.Addresses;

/**
 * Which event-bus addresses the HTTP bridge reaches: the supervisor's ({@code status},
 * {@code scale}, ... as the shell commands send them), the demo's ({@code mproc.demo.*}) and
 * every address outside mproc's own namespace (those of the user's verticles). mproc's internal
 * addresses (pools, queues, pipes, locks, workers' control) and Vert.x's ({@code __vertx.*})
 * never: their messages are binary and trusted by their receivers.
 */
final class BridgePolicy {
    private BridgePolicy() {
    }

    /** Null when the bridge may send to {@code address}; else why not, in one sentence. */
    static String refusal(String address) {
        if (address == null || address.isBlank()) {
            return "no address given: POST /eventbus/ADDRESS";
        }
        if (address.equals(Addresses.SUPERVISOR) || address.startsWith("mproc.demo.")) {
            return null;
        }
        if (address.startsWith("mproc.") || address.startsWith("__vertx.")) {
            return "address " + address + " is internal to mproc or Vert.x; the bridge reaches " + Addresses.SUPERVISOR
                    + ", mproc.demo.* and the addresses of your own verticles";
        }
        return null;
    }
}
