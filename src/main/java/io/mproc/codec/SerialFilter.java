package io.mproc.codec;

import java.io.ObjectInputFilter;

/**
 * The filter every mproc stream deserializes through, in every JVM of the cluster.
 *
 * <p>Policy: graphs at most {@value #MAX_DEPTH} deep, at most {@value #MAX_REFS} objects,
 * {@value #MAX_BYTES} bytes and arrays of {@value #MAX_ARRAY} elements; classes of the
 * well-known deserialization gadget chains (commons-collections functors, Groovy
 * runtime, Xalan's {@code TemplatesImpl}, Spring bean factories, c3p0, BeanShell, Jython,
 * JNDI row sets, RMI server internals, ...) are refused; everything else is allowed,
 * since tasks are the user's own classes.
 *
 * <p>To extend it, set the system property {@code mproc.serial.filter} (also read from
 * {@code conf/mproc.properties} when a worker starts) to a JDK filter pattern, e.g.
 * {@code !com.example.Unsafe;maxbytes=2000000000}. It is put before the built-in policy,
 * so its class patterns win and its limits apply first. The filter is set per stream:
 * the JVM-wide filter of the caller's JVM is left alone.
 */
public final class SerialFilter {
    public static final int MAX_DEPTH = 200;
    public static final long MAX_REFS = 100_000_000L;
    public static final long MAX_BYTES = 1L << 30;
    public static final long MAX_ARRAY = 1L << 28;
    public static final String PROPERTY = "mproc.serial.filter";

    static final String GADGETS = String.join(";",
            "!org.apache.commons.collections.functors.*",
            "!org.apache.commons.collections4.functors.*",
            "!org.apache.commons.beanutils.BeanComparator",
            "!org.codehaus.groovy.runtime.*",
            "!com.sun.org.apache.xalan.internal.xsltc.trax.*",
            "!org.apache.xalan.xsltc.trax.*",
            "!org.springframework.beans.factory.*",
            "!org.springframework.aop.*",
            "!com.mchange.v2.c3p0.*",
            "!bsh.*",
            "!org.python.core.*",
            "!com.sun.rowset.*",
            "!java.rmi.server.*",
            "!sun.rmi.*",
            "!javax.management.*",
            "!org.hibernate.engine.spi.*",
            "!com.rometools.rome.feed.impl.*",
            "!clojure.*",
            "!org.mozilla.javascript.*",
            "!javassist.*");

    private static final ThreadLocal<String> REFUSED = new ThreadLocal<>();
    private static volatile ObjectInputFilter filter;

    private SerialFilter() {
    }

    /** The filter in force: the user's pattern, if any, then the built-in policy. */
    public static ObjectInputFilter get() {
        ObjectInputFilter f = filter;
        if (f == null) {
            f = build(System.getProperty(PROPERTY, ""));
            filter = f;
        }
        return f;
    }

    /** The pattern {@link #get()} is made of, for this extension (may be blank). */
    public static String pattern(String extension) {
        String limits = "maxdepth=" + MAX_DEPTH + ";maxrefs=" + MAX_REFS + ";maxbytes=" + MAX_BYTES + ";maxarray=" + MAX_ARRAY;
        String ext = extension == null ? "" : extension.strip();
        return (ext.isEmpty() ? "" : ext + ";") + limits + ";" + GADGETS;
    }

    static ObjectInputFilter build(String extension) {
        ObjectInputFilter patterns = ObjectInputFilter.Config.createFilter(pattern(extension));
        return info -> {
            ObjectInputFilter.Status status = patterns.checkInput(info);
            if (status == ObjectInputFilter.Status.REJECTED) {
                REFUSED.set(info.serialClass() != null ? "class " + info.serialClass().getName()
                        : "a graph over the limits (depth " + info.depth() + ", refs " + info.references()
                        + ", bytes " + info.streamBytes() + ", array " + info.arrayLength() + ")");
            }
            return status;
        };
    }

    /** What the filter last refused on this thread, and forgets it; null if nothing. */
    static String takeRefusal() {
        String r = REFUSED.get();
        REFUSED.remove();
        return r;
    }
}
