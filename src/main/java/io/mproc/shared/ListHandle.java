package io.mproc.shared;

import com.hazelcast.collection.IList;
import io.mproc.ListProxy;
import io.mproc.cluster.Nodes;
import io.mproc.cluster.Pending;

import java.util.AbstractList;
import java.util.Collection;
import java.util.Iterator;

/** A {@link ListProxy} on the Hazelcast list {@code list} of {@code cluster}. */
final class ListHandle<E> extends AbstractList<E> implements ListProxy<E> {
    private final String cluster;
    private final String list;
    private final String name;

    ListHandle(String cluster, String list, String name) {
        this.cluster = cluster;
        this.list = list;
        this.name = name;
    }

    private IList<E> ilist() {
        Pending.of(cluster).drain();
        return Nodes.hazelcast(cluster).getList(list);
    }

    private E checked(E element) {
        Access.checkSerializable(element, "the element put into list " + name);
        return element;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public E get(int index) {
        return ilist().get(index);
    }

    @Override
    public E set(int index, E element) {
        return ilist().set(index, checked(element));
    }

    @Override
    public boolean add(E element) {
        return ilist().add(checked(element));
    }

    @Override
    public void add(int index, E element) {
        ilist().add(index, checked(element));
    }

    @Override
    public E remove(int index) {
        return ilist().remove(index);
    }

    @Override
    public boolean remove(Object element) {
        return ilist().remove(element);
    }

    @Override
    public boolean addAll(Collection<? extends E> elements) {
        elements.forEach(this::checked);
        return ilist().addAll(elements);
    }

    @Override
    public int size() {
        return ilist().size();
    }

    @Override
    public boolean contains(Object element) {
        return ilist().contains(element);
    }

    @Override
    public void clear() {
        ilist().clear();
    }

    @Override
    public Iterator<E> iterator() {
        return ilist().iterator();
    }

    @Override
    public Object[] toArray() {
        return ilist().toArray();
    }
}
