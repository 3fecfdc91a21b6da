package io.mproc.cluster;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The class path of a worker JVM: where this program's classes, mproc's and its engines' were
 * actually loaded from, not only {@code java.class.path}. A program run by {@code mvn exec:java}
 * has Maven's own launcher in that property and its classes in a class loader of Maven's; an
 * application server or a plugin host does the same. So the class loaders are asked: the
 * calling thread's context loader and mproc's own, each with its parents, the URLs of those
 * that keep URLs, then the code sources of mproc's and its engines' classes, then
 * {@code java.class.path}, each entry once, in that order.
 *
 * <p>An entry a JVM cannot take on its class path (a jar nested in another jar, a URL that is not
 * a file) is left out and named ({@link #unresolved()}); mproc's own classes must resolve, or no
 * worker could start: that fails at once, saying what to do.
 */
public final class WorkerClassPath {
    /** Classes whose jars every worker needs: mproc's, Vert.x's, Hazelcast's, Netty's, Jackson's. */
    private static final String[] ENGINES = {"io.mproc.cluster.WorkerLauncher", "io.vertx.core.Vertx",
            "io.vertx.spi.cluster.hazelcast.HazelcastClusterManager", "com.hazelcast.core.HazelcastInstance",
            "io.netty.channel.Channel", "io.netty.buffer.ByteBuf", "io.netty.handler.codec.http.HttpObject",
            "com.fasterxml.jackson.core.JsonFactory"};

    private final List<String> entries;
    private final List<String> unresolved;

    private WorkerClassPath(List<String> entries, List<String> unresolved) {
        this.entries = entries;
        this.unresolved = unresolved;
    }

    /** The class path for workers of a program whose classes {@code application} loads (e.g. the thread's context loader). */
    public static WorkerClassPath of(ClassLoader application) {
        ClassLoader mproc = WorkerClassPath.class.getClassLoader();
        Set<String> entries = new LinkedHashSet<>();
        Set<String> unresolved = new LinkedHashSet<>();
        for (ClassLoader start : new ClassLoader[]{application, mproc}) {
            for (ClassLoader loader = start; loader != null && loader != ClassLoader.getPlatformClassLoader(); loader = loader.getParent()) {
                if (loader instanceof URLClassLoader urls) {
                    for (URL url : urls.getURLs()) {
                        add(url, entries, unresolved);
                    }
                } else if (loader == ClassLoader.getSystemClassLoader()) {
                    entries.addAll(javaClassPath());
                }
            }
        }
        for (String name : ENGINES) {
            URL source = codeSource(name, mproc);
            if (source != null) {
                add(source, entries, unresolved);
            }
        }
        URL own = codeSource(ENGINES[0], mproc);
        if (own == null || !"file".equals(own.getProtocol())) {
            throw new IllegalStateException("cannot start worker JVMs: mproc's classes were loaded from " + own
                    + ", which a JVM cannot take on its class path (a jar nested in another jar?); run the program with mproc and"
                    + " its dependencies as jar files or directories on its class path (java -cp, mvn exec:java, a shaded jar)");
        }
        entries.addAll(javaClassPath());
        return new WorkerClassPath(List.copyOf(entries), List.copyOf(unresolved));
    }

    /** The entries, joined as {@code -cp} takes them. */
    public String value() {
        return String.join(File.pathSeparator, entries);
    }

    public List<String> entries() {
        return entries;
    }

    /** What the program loads classes from that workers cannot be given (URLs), empty when nothing. */
    public List<String> unresolved() {
        return unresolved;
    }

    private static void add(URL url, Set<String> entries, Set<String> unresolved) {
        if (!"file".equals(url.getProtocol())) {
            unresolved.add(url.toString());
            return;
        }
        try {
            entries.add(Path.of(url.toURI()).toAbsolutePath().normalize().toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            unresolved.add(url.toString());
        }
    }

    private static URL codeSource(String className, ClassLoader loader) {
        try {
            CodeSource source = Class.forName(className, false, loader).getProtectionDomain().getCodeSource();
            return source == null ? null : source.getLocation();
        } catch (ClassNotFoundException | LinkageError | SecurityException e) {
            return null; // an engine this program does not have: its workers do without it too
        }
    }

    private static List<String> javaClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString()); // as the loaders' URLs are: each entry once
            }
        }
        return entries;
    }
}
