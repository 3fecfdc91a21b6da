package org.mozilla.javascript;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a deserialization gadget: harmless, but in a package of a known gadget chain
 * (Rhino's), which mproc's filter refuses. Reading it counts in this JVM and writes its marker
 * file, so a test sees whether any JVM deserialized it.
 */
public final class FakeGadget implements Serializable {
    public static final AtomicInteger READS = new AtomicInteger();
    private final String marker;

    public FakeGadget(String marker) {
        this.marker = marker;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        READS.incrementAndGet();
        Files.writeString(Path.of(marker), "read in pid " + ProcessHandle.current().pid());
    }
}
