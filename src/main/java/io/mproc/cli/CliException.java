package io.mproc.cli;

/**
 * A failure of a {@code run.sh} subcommand that the user can act on: {@link Main} prints its
 * one-line message and exits with its code. The codes are documented in the README:
 * 2 a bad flag or value, 3 malformed JSON, 4 no handler at the address, 5 no reply in time,
 * 6 no cluster at the address, 7 the handler answered with a failure.
 */
final class CliException extends RuntimeException {
    static final int BAD_JSON = 3;
    static final int NO_HANDLER = 4;
    static final int TIMEOUT = 5;
    static final int UNREACHABLE = 6;
    static final int FAILED = 7;
    /** {@code run.sh worker}: the cluster it served is gone (its JVM died); a service manager restarts the agent. */
    static final int CLUSTER_GONE = 8;

    final int code;

    CliException(int code, String message) {
        super(message);
        this.code = code;
    }
}
