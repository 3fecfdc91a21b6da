package io.mproc.cluster;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/**
 * A joining member's proof that it holds the {@link ClusterIdentity}: the member attribute
 * {@value #ATTRIBUTE} = {@code TIME:NONCE:MAC}, where MAC is HMAC-SHA256 with the identity's key
 * over the cluster's name, TIME (epoch ms) and NONCE (random). The member that admits joiners
 * (Hazelcast's master) checks it before the joiner becomes a member: a proof older or newer
 * than {@link #FRESH_MS}, or a nonce already shown by another member, is refused, so a proof
 * copied off the network is good for that one member only.
 */
final class JoinProof {
    static final String ATTRIBUTE = "mproc.join";
    static final long FRESH_MS = 5 * 60_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String REFUSED_MARK = " refused a member: ";
    private static final String REFUSED = "mproc cluster %s" + REFUSED_MARK;

    private final byte[] key;
    private final String cluster;
    /** Nonces shown in the last {@link #FRESH_MS}: by which member, and when they stop counting. */
    private final Map<String, Seen> seen = new HashMap<>();

    private record Seen(UUID member, long until) {
    }

    JoinProof(byte[] key, String cluster) {
        this.key = key.clone();
        this.cluster = cluster;
    }

    /** A new proof, made at {@code now}. */
    String make(long now) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
        return now + ":" + text + ":" + mac(now + ":" + text);
    }

    /**
     * Checks the proof that member {@code member} shows (null: none) at {@code now}.
     *
     * @throws IllegalStateException saying why it is refused (sent to the joiner by Hazelcast)
     */
    synchronized void check(String proof, UUID member, long now) {
        String[] parts = proof == null ? new String[0] : proof.split(":");
        if (parts.length != 3) {
            throw refused("it shows no proof that it holds the cluster's identity");
        }
        byte[] expected = mac(parts[0] + ":" + parts[1]).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
            throw refused("its proof was not made with the cluster's identity");
        }
        long time;
        try {
            time = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            throw refused("its proof has no time");
        }
        if (Math.abs(now - time) > FRESH_MS) {
            throw refused("its proof is " + (now - time) / 1000 + " s old (clocks more than " + FRESH_MS / 60_000 + " min apart?)");
        }
        for (Iterator<Seen> it = seen.values().iterator(); it.hasNext(); ) {
            if (it.next().until < now) {
                it.remove();
            }
        }
        Seen before = seen.putIfAbsent(parts[1], new Seen(member, now + 2 * FRESH_MS));
        if (before != null && !before.member.equals(member)) {
            throw refused("its proof was shown before by another member");
        }
    }

    private IllegalStateException refused(String why) {
        return new IllegalStateException(REFUSED.formatted(cluster) + why + " (every JVM of a cluster needs the same mproc.identity file)");
    }

    /** Why a member was refused, from the refusal as the joiner is told it (the cluster's name left out). */
    static String why(String refusal) {
        int at = refusal.indexOf(REFUSED_MARK);
        return at < 0 ? refusal : refusal.substring(at + REFUSED_MARK.length());
    }

    private String mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(cluster.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256: " + e, e);
        }
    }
}
