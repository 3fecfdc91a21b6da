package io.mproc.codec;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.JavaSerializationFilterConfig;

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
 * so its class patterns win and its limits apply first.
 *
 * <p>Where it applies: mproc's own streams (tasks, results, queue items, values) in every JVM;
 * in mproc's own JVMs (workers, {@code run.sh cluster}, agents, shell commands) it is also the
 * JVM-wide filter ({@link #installJvmWide()}), so Hazelcast's and Vert.x's Java
 * deserialization goes through it too; in a user's program the JVM-wide filter is the user's,
 * and Hazelcast gets the refused classes instead ({@link #hazelcastFilter()}: Hazelcast's
 * filter sees classes, not graph sizes).
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

    /** Makes {@link #get()} read {@value #PROPERTY} again at its next call. */
    static void reload() {
        filter = null;
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

    /**
     * Makes {@link #get()} this JVM's filter for every {@code ObjectInputStream}, Hazelcast's
     * and Vert.x's included: for mproc's own JVMs, before they join a cluster. Returns false,
     * changing nothing, when a JVM-wide filter is set already.
     */
    public static boolean installJvmWide() {
        if (ObjectInputFilter.Config.getSerialFilter() != null) {
            return false;
        }
        try {
            ObjectInputFilter.Config.setSerialFilter(get());
            return true;
        } catch (IllegalStateException e) {
            return false; // set meanwhile
        }
    }

    /**
     * The refused classes of {@link #get()} for Hazelcast's Java deserialization (entry
     * processors, map values kept as objects), in every member: a member that joined the
     * cluster can make another deserialize what it sends. Only refusals: Hazelcast's own
     * allow list is off, since the values are the user's classes.
     */
    public static JavaSerializationFilterConfig hazelcastFilter() {
        ClassFilter refused = new ClassFilter();
        String extension = System.getProperty(PROPERTY, "");
        for (String entry : (extension.isBlank() ? GADGETS : extension + ";" + GADGETS).split(";")) {
            String pattern = entry.strip();
            if (!pattern.startsWith("!")) {
                continue; // a limit, or a class allowed: Hazelcast's filter has neither
            }
            String name = pattern.substring(1);
            if (name.endsWith(".**")) {
                refused.addPrefixes(name.substring(0, name.length() - 2));
            } else if (name.endsWith(".*")) {
                refused.addPackages(name.substring(0, name.length() - 2));
            } else if (name.endsWith("*")) {
                refused.addPrefixes(name.substring(0, name.length() - 1));
            } else {
                refused.addClasses(name);
            }
        }
        return new JavaSerializationFilterConfig().setDefaultsDisabled(true).setBlacklist(refused);
    }

    /** What the filter last refused on this thread, and forgets it; null if nothing. */
    static String takeRefusal() {
        String r = REFUSED.get();
        REFUSED.remove();
        return r;
    }
}
