package io.mproc.shared;

import com.hazelcast.map.IMap;
import io.mproc.Namespace;
import io.mproc.cluster.Nodes;
import io.mproc.cluster.Pending;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/** A {@link Namespace} on the Hazelcast map {@code map} of {@code cluster}. */
final class NamespaceHandle implements Namespace {
    private final String cluster;
    private final String map;
    private final String name;

    NamespaceHandle(String cluster, String map, String name) {
        this.cluster = cluster;
        this.map = map;
        this.name = name;
    }

    private IMap<String, Object> imap() {
        Pending.of(cluster).drain();
        return Nodes.hazelcast(cluster).getMap(map);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(String attribute) {
        Object value = imap().get(attribute);
        if (value == null) {
            throw new NoSuchElementException("namespace " + name + " has no attribute '" + attribute + "'");
        }
        return (T) value;
    }

    @Override
    public void set(String attribute, Object value) {
        Access.checkSerializable(value, "attribute '" + attribute + "' of namespace " + name);
        imap().set(attribute, value);
    }

    @Override
    public boolean has(String attribute) {
        return imap().containsKey(attribute);
    }

    @Override
    public void delete(String attribute) {
        if (imap().remove(attribute) == null) {
            throw new NoSuchElementException("namespace " + name + " has no attribute '" + attribute + "'");
        }
    }

    @Override
    public Map<String, Object> toMap() {
        return new TreeMap<>(imap());
    }

    @Override
    public String toString() {
        return "Namespace(" + toMap() + ")";
    }
}
