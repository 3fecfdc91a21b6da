package io.mproc.cluster;

/** A supervisor's answer that a request cannot be done, with the failure code its sender gets (400, 403, 404, 409, 500). */
final class Refusal extends RuntimeException {
    private final int code;

    Refusal(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }
}
