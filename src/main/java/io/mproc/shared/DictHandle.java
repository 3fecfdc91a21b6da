package io.mproc.shared;

import com.hazelcast.map.IMap;
import io.mproc.DictProxy;
import io.mproc.cluster.Nodes;
import io.mproc.cluster.Pending;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * A {@link DictProxy} on the Hazelcast map {@code map} of {@code cluster}. Its compound updates
 * ({@code merge}, {@code compute}, ...) are {@link java.util.concurrent.ConcurrentMap}'s, made of
 * the map's atomic {@code putIfAbsent}, {@code replace} and {@code remove}: never a blind read then write.
 */
final class DictHandle<K, V> extends AbstractMap<K, V> implements DictProxy<K, V> {
    private final String cluster;
    private final String map;
    private final String name;

    DictHandle(String cluster, String map, String name) {
        this.cluster = cluster;
        this.map = map;
        this.name = name;
    }

    /** The map, once this process's writes sent without waiting are stored (so that reads see them). */
    private IMap<K, V> imap() {
        Pending.of(cluster).drain();
        return Nodes.hazelcast(cluster).getMap(map);
    }

    private <T> T checked(T object, String what) {
        Access.checkSerializable(object, what + " put into dict " + name);
        return object;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void set(K key, V value) {
        K k = checked(key, "the key");
        V v = checked(value, "the value");
        IMap<K, V> target = Nodes.hazelcast(cluster).getMap(map);
        Pending.of(cluster).track("setting a key of dict " + name, () -> target.setAsync(k, v));
    }

    @Override
    public V put(K key, V value) {
        return imap().put(checked(key, "the key"), checked(value, "the value"));
    }

    @Override
    public V get(Object key) {
        return imap().get(key);
    }

    @Override
    public V remove(Object key) {
        return imap().remove(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return imap().containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return imap().containsValue(value);
    }

    @Override
    public int size() {
        return imap().size();
    }

    @Override
    public boolean isEmpty() {
        return imap().isEmpty();
    }

    @Override
    public void clear() {
        imap().clear();
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> entries) {
        entries.forEach((k, v) -> {
            checked(k, "the key");
            checked(v, "the value");
        });
        imap().putAll(entries);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return imap().putIfAbsent(checked(key, "the key"), checked(value, "the value"));
    }

    @Override
    public boolean remove(Object key, Object value) {
        return imap().remove(key, value);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return imap().replace(key, oldValue, checked(newValue, "the value"));
    }

    @Override
    public V replace(K key, V value) {
        return imap().replace(key, checked(value, "the value"));
    }

    @Override
    public Set<K> keySet() {
        return imap().keySet();
    }

    @Override
    public Collection<V> values() {
        return imap().values();
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return imap().entrySet();
    }
}
