package io.mproc;

import java.io.Serializable;
import java.util.Map;

/**
 * Python's {@code manager.Namespace()}: named attributes shared by every process
 * ({@code ns.x = 1} is {@code ns.set("x", 1)}, {@code ns.x} is {@code ns.get("x")}).
 */
public interface Namespace extends Serializable {

    /** Python's {@code ns.name}. @throws java.util.NoSuchElementException no such attribute (Python's AttributeError) */
    <T> T get(String attribute);

    /** Python's {@code ns.name = value}. */
    void set(String attribute, Object value);

    /** Python's {@code hasattr(ns, name)}. */
    boolean has(String attribute);

    /** Python's {@code del ns.name}. */
    void delete(String attribute);

    /** Python's {@code vars(ns)}: a copy of every attribute. */
    Map<String, Object> toMap();
}
