package io.mproc.web;

import io.mproc.cluster.ClusterIdentity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The token every HTTP endpoint of a cluster asks for, as Jupyter's: derived from the cluster's
 * identity (so that {@code run.sh token} on any host holding it prints the same one), or, when
 * the cluster checks no identity ({@code mproc.security=off}), random for each start. A holder
 * of the token is trusted as a holder of the identity is: it can send to the supervisor.
 */
public final class WebToken {
    /** What the token is derived for: changing it changes every cluster's token. */
    static final String PURPOSE = "mproc http token v1";
    private final byte[] value;

    private WebToken(String value) {
        this.value = value.getBytes(StandardCharsets.UTF_8);
    }

    /** The token of the cluster that holds {@code identity}; a random one when {@code identity} is null. */
    public static WebToken of(ClusterIdentity identity) {
        if (identity != null) {
            return new WebToken(identity.derive(PURPOSE));
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return new WebToken(Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    }

    public String value() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** Whether {@code given} is this token, compared in constant time; null is not. */
    public boolean accepts(String given) {
        return given != null && MessageDigest.isEqual(value, given.getBytes(StandardCharsets.UTF_8));
    }
}
