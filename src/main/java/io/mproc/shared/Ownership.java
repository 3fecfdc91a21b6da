package io.mproc.shared;

import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.query.Predicate;

import java.util.Map;

/**
 * Who owns the cluster's unnamed objects, and their reclaiming. An unnamed value, lock, dict,
 * list or namespace carries its owner (the member id of the context that made it) in its key,
 * and goes when that context closes or its member leaves the cluster (a killed program), as a
 * Python manager's objects go with their manager. Named objects belong to nobody: they stay
 * until {@link #delete deleted}.
 */
public final class Ownership {
    /** Kinds of Hazelcast objects that hold a collection, by prefix of their name. */
    static final String[] COLLECTIONS = {"mproc.dict.", "mproc.list.", "mproc.namespace."};

    private Ownership() {
    }

    /** The mark of {@code owner} inside the keys and names of its unnamed objects. */
    static String tag(String owner) {
        return "~" + owner + "~";
    }

    /** Removes every unnamed object of {@code owner} from the cluster. */
    public static void reclaim(HazelcastInstance hazelcast, String owner) {
        String tag = tag(owner);
        hazelcast.<String, SyncState>getMap(Waits.MAP).removeAll(new KeyContains(tag));
        for (DistributedObject object : hazelcast.getDistributedObjects()) {
            if (isCollection(object.getName()) && object.getName().contains(tag)) {
                object.destroy();
            }
        }
    }

    /** Removes the named objects called {@code name} (a shared state and any collection); whether one existed. */
    public static boolean delete(HazelcastInstance hazelcast, String name) {
        boolean found = hazelcast.<String, SyncState>getMap(Waits.MAP).remove(name) != null;
        for (DistributedObject object : hazelcast.getDistributedObjects()) {
            for (String prefix : COLLECTIONS) {
                if (object.getName().equals(prefix + name)) {
                    object.destroy();
                    found = true;
                }
            }
        }
        return found;
    }

    private static boolean isCollection(String name) {
        for (String prefix : COLLECTIONS) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Selects the entries whose key holds {@code tag}; runs on the members that hold them. */
    static final class KeyContains implements Predicate<String, SyncState> {
        private final String tag;

        KeyContains(String tag) {
            this.tag = tag;
        }

        @Override
        public boolean apply(Map.Entry<String, SyncState> entry) {
            return entry.getKey().contains(tag);
        }
    }
}
