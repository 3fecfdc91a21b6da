package io.mproc.cluster;

/**
 * How a worker JVM tells its supervisor why it ends: a last line on its standard output,
 * which the supervisor reads (and does not print) before it reports the exit.
 *
 * <p>The JVM's exit status alone is ambiguous: Java reports a process killed by signal N as
 * exit value 128 + N, the same as {@code System.exit(128 + N)}. A worker that ends through
 * mproc's own code, through {@code System.exit} in a job or through a catchable signal writes
 * a note first; one killed by SIGKILL (or crashed) cannot, and its 128 + N is read as signal N.
 * Exit codes are Python's: the code itself, or minus the signal.
 */
public final class ExitNote {
    /** The exit value of a worker that could not take up its role (with a {@link Kind#START_FAILED} note). */
    public static final int START_FAILED_EXIT = 3;

    /** Starts a note, anywhere in a line (a job's output may lack its last newline). */
    static final String MARK = "\u0001mproc-exit ";

    /** Why a worker ends. */
    public enum Kind {
        /** Its job or role ended with this code (also {@code System.exit(N)}): the exit value is the code. */
        CODE,
        /** It could not take up its role (a failing pool initializer, an unknown role): not worth restarting at once. */
        START_FAILED,
        /** A catchable signal (TERM, INT, HUP) ended it; the value is the signal's number. */
        SIGNAL
    }

    /** A parsed note. */
    public record Note(Kind kind, int value) {
    }

    private ExitNote() {
    }

    /** The line a worker writes. */
    public static String line(Kind kind, int value) {
        return MARK + kind + " " + value;
    }

    /** Where a note starts in {@code line}, or -1. */
    static int find(String line) {
        return line.indexOf(MARK);
    }

    /** The note that starts {@code text}; null when it is not one (it is then printed as output). */
    static Note parse(String text) {
        if (!text.startsWith(MARK)) {
            return null;
        }
        String[] parts = text.substring(MARK.length()).trim().split(" ");
        try {
            return parts.length == 2 ? new Note(Kind.valueOf(parts[0]), Integer.parseInt(parts[1])) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Python's exit code of a worker that ended with {@code exitValue} after writing {@code note} (null: none). */
    public static int pythonCode(Note note, int exitValue) {
        if (note == null) {
            return exitValue > 128 && exitValue < 160 ? -(exitValue - 128) : exitValue;
        }
        return note.kind() == Kind.SIGNAL ? -note.value() : exitValue;
    }
}
