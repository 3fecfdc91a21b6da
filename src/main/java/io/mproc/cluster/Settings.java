package io.mproc.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Where settings come from, in order: options set in code (applied by the caller),
 * a system property ({@code mproc.host}), an environment variable ({@code MPROC_HOST}),
 * the file {@code conf/mproc.properties}, and the copy of {@code conf/} bundled in the
 * jar as the built-in default.
 *
 * <p>The conf directory is {@code mproc.conf.dir} (or {@code MPROC_CONF_DIR}) when set,
 * else {@code ./conf} when it holds {@code mproc.properties}.
 */
public final class Settings {
    private static final System.Logger LOG = System.getLogger(Settings.class.getName());
    private static final String BUNDLED = "/io/mproc/conf/";

    private final Path confDir;
    private final Properties file = new Properties();

    private Settings(Path confDir) {
        this.confDir = confDir;
        try (InputStream in = open("mproc.properties")) {
            if (in != null) {
                file.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + describe("mproc.properties"), e);
        }
    }

    /** Settings of this JVM, from the conf directory it is told or finds. */
    public static Settings load() {
        String dir = System.getProperty("mproc.conf.dir", System.getenv("MPROC_CONF_DIR"));
        Path conf = dir != null ? Path.of(dir) : Files.isRegularFile(Path.of("conf", "mproc.properties")) ? Path.of("conf") : null;
        if (dir != null && !Files.isDirectory(conf)) {
            throw new IllegalArgumentException("mproc.conf.dir is not a directory: " + conf.toAbsolutePath());
        }
        return new Settings(conf);
    }

    /** The value of {@code key} (e.g. {@code mproc.host}) by the documented precedence; {@code fallback} if none. */
    public String get(String key, String fallback) {
        String value = System.getProperty(key);
        String source = "system property";
        if (value == null) {
            value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_'));
            source = "environment";
        }
        if (value == null) {
            value = file.getProperty(key);
            source = describe("mproc.properties");
        }
        if (value == null || value.isBlank()) {
            return fallback;
        }
        LOG.log(System.Logger.Level.DEBUG, "{0}={1} from {2}", key, value, source);
        return value.strip();
    }

    public int getInt(String key, int fallback) {
        String value = get(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer: '" + value + "'");
        }
    }

    /** The worker JVM options of {@code jvm.options}: one per line, {@code #} comments and blank lines skipped. */
    public List<String> jvmOptions() {
        List<String> options = new ArrayList<>();
        try (InputStream in = open("jvm.options")) {
            if (in == null) {
                return options;
            }
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String option = line.replaceFirst("#.*", "").strip();
                if (!option.isEmpty()) {
                    options.add(option);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + describe("jvm.options"), e);
        }
        return options;
    }

    /** The conf directory in use, or null when only the bundled defaults apply. */
    public Path confDir() {
        return confDir;
    }

    private InputStream open(String name) throws IOException {
        if (confDir != null && Files.isRegularFile(confDir.resolve(name))) {
            return Files.newInputStream(confDir.resolve(name));
        }
        return Settings.class.getResourceAsStream(BUNDLED + name);
    }

    private String describe(String name) {
        return confDir != null && Files.isRegularFile(confDir.resolve(name)) ? confDir.resolve(name).toString() : "bundled " + name;
    }
}
