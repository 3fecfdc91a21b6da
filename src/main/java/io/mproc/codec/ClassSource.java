package io.mproc.codec;

/**
 * Where a {@link ProgramLoader} gets what its JVM does not have: the bytes of a class file or
 * resource of one program, by its path in that program's class path ({@code com/example/Shape.class},
 * {@code conf/shapes.txt}). In a worker it asks the program over the event bus.
 */
@FunctionalInterface
public interface ClassSource {
    /**
     * The resource's bytes; null when the program has no such resource.
     *
     * @throws java.io.UncheckedIOException the program could not be asked (gone, not answering)
     */
    byte[] fetch(String path);
}
