package io.mproc.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

/**
 * The class loaders a program's values came from: every class that {@link Codec} serializes
 * for a context notes its loader here. They are where the context's class server finds the
 * class files and resources its workers ask for ({@link #bytes}), and where the values that
 * come back (results, exceptions) find their classes, even when the classes came from a loader
 * of the program's own (a plugin's, a test's) that mproc's loader cannot see.
 *
 * <p>Each context has one; {@link #ALL} holds what every context of this JVM noted, and
 * is what the others fall back to. Two contexts in one JVM with different versions of a
 * same-named class each find their own first. Loaders are held weakly.
 *
 * <p>As a class loader it only delegates: it defines nothing.
 */
public final class SentClasses extends ClassLoader {
    /** Every loader noted in this JVM. */
    public static final SentClasses ALL = new SentClasses(null);

    static {
        registerAsParallelCapable();
    }

    private final SentClasses fallback;
    /** Newest first; few (a program has one or two loaders), so a list scanned by identity. */
    private final List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    /** The loader noted last, weakly: the fast path of {@link #note}. */
    private volatile WeakReference<ClassLoader> last = new WeakReference<>(null);

    private SentClasses(SentClasses fallback) {
        super("mproc-sent-classes", null);
        this.fallback = fallback;
    }

    /** A context's own: it looks in its loaders, then in {@link #ALL}'s, then in the system class loader. */
    public static SentClasses forContext() {
        return new SentClasses(ALL);
    }

    /** Notes where {@code type} came from (nothing for the JDK's classes). */
    public void note(Class<?> type) {
        noteLoader(type.getClassLoader());
    }

    /**
     * Notes {@code loader} (a context's creator's context class loader, a class's loader); null is
     * ignored, and so is a worker's loader of a program ({@link ProgramLoader}): what a worker
     * sends back, results, are the program's own classes, and one program's classes are never
     * to be found through another's.
     */
    public void noteLoader(ClassLoader loader) {
        if (loader == null || loader == last.get() || loader == ClassLoader.getPlatformClassLoader() || loader instanceof ProgramLoader) {
            return;
        }
        synchronized (loaders) {
            loaders.removeIf(ref -> ref.get() == null || ref.get() == loader);
            loaders.add(0, new WeakReference<>(loader));
        }
        last = new WeakReference<>(loader);
        if (fallback != null) {
            fallback.noteLoader(loader);
        }
    }

    /** The loaders noted, newest first. */
    private List<ClassLoader> loaders() {
        List<ClassLoader> live = new ArrayList<>();
        synchronized (loaders) {
            for (WeakReference<ClassLoader> ref : loaders) {
                ClassLoader l = ref.get();
                if (l != null) {
                    live.add(l);
                }
            }
        }
        return live;
    }

    /** The class named so in this program's loaders; null if none has it. */
    Class<?> find(String name) {
        for (ClassLoader l : loaders()) {
            try {
                return Class.forName(name, false, l);
            } catch (ClassNotFoundException | LinkageError e) {
                // the next one
            }
        }
        return fallback != null ? fallback.find(name) : null;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> found = find(name);
        if (found != null) {
            return found;
        }
        return Class.forName(name, false, ClassLoader.getSystemClassLoader());
    }

    @Override
    protected URL findResource(String name) {
        for (ClassLoader l : loaders()) {
            URL url = l.getResource(name);
            if (url != null) {
                return url;
            }
        }
        return fallback != null ? fallback.findResource(name) : ClassLoader.getSystemClassLoader().getResource(name);
    }

    /**
     * The bytes of the class file or resource at {@code path} ({@code com/example/Shape.class})
     * as this program sees it; null if it has none.
     *
     * @throws UncheckedIOException it exists but cannot be read
     */
    public byte[] bytes(String path) {
        URL url = getResource(path);
        if (url == null) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        }
    }
}
