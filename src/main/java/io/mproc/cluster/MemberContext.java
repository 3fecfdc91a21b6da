package io.mproc.cluster;

import com.hazelcast.instance.impl.DefaultNodeContext;
import com.hazelcast.instance.impl.DefaultNodeExtension;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.instance.impl.NodeExtension;
import com.hazelcast.internal.cluster.Joiner;
import com.hazelcast.internal.cluster.impl.JoinMessage;
import com.hazelcast.internal.cluster.impl.JoinRequest;
import com.hazelcast.internal.cluster.impl.TcpIpJoiner;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Hazelcast's own way of building a member, with two of mproc's: its join request waits for
 * {@code beforeJoin} (a worker's turn), and, when this member admits others (Hazelcast's
 * master), only those that prove they hold the cluster's identity are let in ({@link JoinProof};
 * none checked when the proof is null, {@code mproc.security=off}). Hazelcast's open-source
 * edition has no other hook for the check:
 * {@code StandingClusterTest.aPlainHazelcastMemberWithTheClustersNameIsRefusedBeforeItSeesAnyMap}
 * fails if it stops being called.
 */
final class MemberContext extends DefaultNodeContext {
    /** How Hazelcast's refused joiner logs the reason its master gave. */
    private static final String REFUSAL_MARK = "Reason of failure for node join:";

    private final Runnable beforeJoin;
    private final JoinProof proof;

    MemberContext(Runnable beforeJoin, JoinProof proof) {
        this.beforeJoin = beforeJoin;
        this.proof = proof;
    }

    @Override
    public NodeExtension createNodeExtension(Node node) {
        return new DefaultNodeExtension(node) {
            @Override
            public void validateJoinRequest(JoinMessage request) {
                super.validateJoinRequest(request);
                if (proof != null) {
                    String shown = request instanceof JoinRequest join ? join.getAttributes().get(JoinProof.ATTRIBUTE) : null;
                    proof.check(shown, request.getUuid(), System.currentTimeMillis());
                }
            }
        };
    }

    @Override
    public Joiner createJoiner(Node node) {
        return new GatedJoiner(node, beforeJoin);
    }

    /** The TCP-IP join every mproc member is configured with (Hazelcast casts its joiner to this class), after {@code beforeJoin}. */
    private static final class GatedJoiner extends TcpIpJoiner {
        private final Runnable beforeJoin;

        GatedJoiner(Node node, Runnable beforeJoin) {
            super(node);
            this.beforeJoin = beforeJoin;
        }

        @Override
        public void doJoin() {
            beforeJoin.run();
            super.doJoin();
        }
    }

    /**
     * Runs {@code start} without the lines a failed join logs (Vert.x's stack trace; a refused
     * member's "could not join" and, from its join loop once the member is shut down under it,
     * "not active"), so that the caller can say what went wrong in one line.
     *
     * @throws io.mproc.cluster.Node.JoinRefused the member admitting joiners refused this one, for the reason it gave
     */
    static <T> T quietly(Supplier<T> start) {
        List<Logger> silenced = List.of(Logger.getLogger("io.vertx.core.impl.VertxImpl"),
                Logger.getLogger("com.hazelcast.instance.impl.Node"), Logger.getLogger(GatedJoiner.class.getName()));
        List<Level> levels = silenced.stream().map(Logger::getLevel).toList();
        silenced.forEach(logger -> logger.setLevel(Level.OFF));
        // a refused member learns why only from this logger of Hazelcast's
        Logger security = Logger.getLogger("com.hazelcast.security");
        boolean parents = security.getUseParentHandlers();
        AtomicReference<String> refusal = new AtomicReference<>();
        Handler listen = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record.getMessage();
                int at = message == null ? -1 : message.indexOf(REFUSAL_MARK);
                if (at >= 0) {
                    refusal.set(message.substring(at + REFUSAL_MARK.length()).trim());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        security.setUseParentHandlers(false);
        security.addHandler(listen);
        try {
            return start.get();
        } catch (RuntimeException e) {
            if (refusal.get() != null) {
                throw new io.mproc.cluster.Node.JoinRefused(refusal.get(), e);
            }
            throw e;
        } finally {
            security.removeHandler(listen);
            security.setUseParentHandlers(parents);
            for (int i = 0; i < silenced.size(); i++) {
                silenced.get(i).setLevel(levels.get(i));
            }
        }
    }
}
