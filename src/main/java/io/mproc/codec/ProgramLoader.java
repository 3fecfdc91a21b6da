package io.mproc.codec;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The classes of one program (one connected context) in a worker JVM, as Ignite's isolated
 * peer class loading keeps them: a class loader of that program's own, which asks its
 * parent (the worker's class path: the JDK, mproc, its engines and {@code MPROC_CLASSPATH})
 * first, and fetches what the parent does not have from the program itself
 * ({@link ClassSource}), classes and resources ({@code getResource}) alike. Two programs
 * with different versions of a same-named class each get their own; when the program
 * leaves, the worker drops its loader and the JVM can unload its classes.
 *
 * <p>Classes of the JDK ({@code java.*}, {@code jdk.*}, {@code sun.*}, {@code com.sun.*}), of
 * mproc and of its engines (Vert.x, Netty, Hazelcast) are never fetched: a program's copy
 * would mix two versions in one JVM. What a program lacks it is asked once: the answer
 * "none" is remembered.
 *
 * <p>Fetching does not bypass anything: values still deserialize through {@link SerialFilter}.
 */
public final class ProgramLoader extends ClassLoader {
    /** Packages only the worker's own class path may define. */
    static final List<String> LOCAL_ONLY = List.of("java.", "jdk.", "sun.", "com.sun.", "io.mproc.", "io.vertx.",
            "io.netty.", "com.hazelcast.");
    private static final int MISSES_REMEMBERED = 10_000;
    private static final int CACHED_OBJECTS = 256;

    static {
        registerAsParallelCapable();
    }

    private final String program;
    private final ClassSource source;
    /**
     * The domain of every class defined here. Not the loader's default one, which names the
     * loader: a thread started while such a class is on the stack (a timer, a pool's thread,
     * made at a task's first call into mproc, Vert.x or Hazelcast) keeps the domains of the
     * stack's classes for its life, and with them the loader of a program long gone.
     */
    private final ProtectionDomain domain = new ProtectionDomain(new CodeSource(null, (Certificate[]) null), null);
    private final Context context;
    private final Set<String> missing = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> resources = new ConcurrentHashMap<>();
    private final AtomicInteger fetched = new AtomicInteger();
    private final Map<Object, Object> cache = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
            return size() > CACHED_OBJECTS;
        }
    });

    /**
     * @param program names the program in messages (its member id)
     * @param parent  the worker's own classes
     * @param source  the program's classes
     */
    public ProgramLoader(String program, ClassLoader parent, ClassSource source) {
        super("mproc-program-" + program, parent);
        this.program = program;
        this.source = source;
        this.context = new Context(this);
    }

    /**
     * What a thread running the program's code has as its context class loader: this loader's
     * classes until {@link #close()}, then only the worker's. Not this loader itself, because
     * what is made on such a thread keeps its context class loader: a Vert.x context (and the
     * event-bus connection opened on it, for the JVM's life), a thread. They keep this small
     * stand-in instead, and the program's classes can go.
     */
    public ClassLoader contextLoader() {
        return context;
    }

    /** The program left: its stand-in ({@link #contextLoader()}) lets go of this loader. */
    public void close() {
        context.target = null;
    }

    /** The program's loader behind {@code loader} (itself, or its {@link #contextLoader()}); null if none or closed. */
    public static ProgramLoader behind(ClassLoader loader) {
        return loader instanceof ProgramLoader program ? program : loader instanceof Context c ? c.target : null;
    }

    public String program() {
        return program;
    }

    /** How many class files and resources this loader fetched from its program. */
    public int fetched() {
        return fetched.get();
    }

    /** Objects deserialized for this program (its tasks), the most recent {@value #CACHED_OBJECTS}: dropped with the loader. */
    public Map<Object, Object> cache() {
        return cache;
    }

    /** Whether {@code className} may only come from the worker's own class path. */
    static boolean localOnly(String className) {
        for (String prefix : LOCAL_ONLY) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (localOnly(name)) {
            throw new ClassNotFoundException(name + " is not on this worker's class path, and classes of the JDK, mproc,"
                    + " Vert.x, Netty and Hazelcast are never taken from a program: are the program and the cluster the same mproc version?"
                    + " A library of yours in those packages goes on the cluster's class path (MPROC_CLASSPATH)");
        }
        byte[] bytes;
        try {
            bytes = fetch(name.replace('.', '/') + ".class");
        } catch (UncheckedIOException e) {
            throw new ClassNotFoundException(name + ": not on this worker's class path, and its program " + program
                    + " could not be asked for it (" + e.getCause().getMessage() + ")", e);
        }
        if (bytes == null) {
            throw new ClassNotFoundException(name + ": neither on this worker's class path nor on the class path of its program "
                    + program);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0 && getDefinedPackage(name.substring(0, dot)) == null) {
            try {
                definePackage(name.substring(0, dot), null, null, null, null, null, null, null);
            } catch (IllegalArgumentException e) {
                // defined meanwhile by another thread
            }
        }
        try {
            return defineClass(name, bytes, 0, bytes.length, domain);
        } catch (ClassFormatError | SecurityException e) {
            throw new ClassNotFoundException(name + ": the bytes program " + program + " sent are not a class this JVM accepts: " + e, e);
        }
    }

    @Override
    protected URL findResource(String name) {
        byte[] bytes;
        try {
            bytes = fetch(name);
        } catch (UncheckedIOException e) {
            return null; // as a class path without it: getResource returns null
        }
        if (bytes == null) {
            return null;
        }
        try {
            return new URL("mproc-program", program, -1, "/" + name, new InMemory(bytes));
        } catch (MalformedURLException e) {
            throw new IllegalStateException("cannot make a URL for resource " + name, e);
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(url));
    }

    /** The bytes of {@code path} in the program, fetched at most once; null if it has none. */
    private byte[] fetch(String path) {
        byte[] known = resources.get(path);
        if (known != null) {
            return known;
        }
        if (missing.contains(path)) {
            return null;
        }
        byte[] bytes = source.fetch(path);
        if (bytes == null) {
            if (missing.size() < MISSES_REMEMBERED) {
                missing.add(path);
            }
            return null;
        }
        fetched.incrementAndGet();
        if (!path.endsWith(".class")) {
            resources.put(path, bytes); // a class is defined once; a resource may be read again
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "the classes of program " + program;
    }

    /** The stand-in of {@link #contextLoader()}: delegates to its loader until that is closed. */
    private static final class Context extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private volatile ProgramLoader target;

        Context(ProgramLoader target) {
            super("mproc-program-" + target.program + "-context", target.getParent());
            this.target = target;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            ProgramLoader t = target;
            if (t == null) {
                throw new ClassNotFoundException(name + ": not on this worker's class path, and its program has left");
            }
            return t.loadClass(name);
        }

        @Override
        protected URL findResource(String name) {
            ProgramLoader t = target;
            return t == null ? null : t.findResource(name);
        }

        @Override
        protected Enumeration<URL> findResources(String name) {
            ProgramLoader t = target;
            return t == null ? Collections.emptyEnumeration() : t.findResources(name);
        }
    }

    /** Serves a fetched resource's bytes to {@code URL.openStream()}. */
    private static final class InMemory extends URLStreamHandler {
        private final byte[] bytes;

        InMemory(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        protected URLConnection openConnection(URL url) {
            return new URLConnection(url) {
                @Override
                public void connect() {
                    connected = true;
                }

                @Override
                public InputStream getInputStream() {
                    return new ByteArrayInputStream(bytes);
                }

                @Override
                public int getContentLength() {
                    return bytes.length;
                }
            };
        }
    }
}
