package io.mproc;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The repo stands alone: nothing points outside it, and the bench's Python peer is in it and runs. */
@Timeout(60)
class SelfContainedTest {
    /** What a user's clone does not have: the team's folder beside the repo and its two notes (spelled in parts, so that this file is no hit itself). */
    private static final List<String> OUTSIDE = List.of(".." + "/shared", "STACK" + ".md", "API" + ".md");

    @Test
    void nothingInTheRepoPointsOutsideIt() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md"), Path.of("run.sh"), Path.of("pom.xml")));
        for (String dir : List.of("src", "conf", "bench", ".ci")) {
            try (Stream<Path> walk = Files.walk(Path.of(dir))) {
                walk.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            for (String outside : OUTSIDE) {
                assertThat(text).as(file.toString()).doesNotContain(outside);
            }
        }
    }

    @Test
    void theBenchCarriesAPythonPeerThatReportsTheKeysTheBenchReads() throws Exception {
        Path script = Path.of("bench", "python", "mp_peer.py");
        assertThat(script).isRegularFile();
        java.lang.Process python;
        try {
            python = new ProcessBuilder("python3", script.toString(), "pool_map_trivial", "--n", "2000", "--n-chunk1", "200",
                    "--repeats", "1").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            assumeTrue(false, "python3 is not installed here: " + e.getMessage());
            return;
        }
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(50, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(out).isZero();
        JsonObject last = new JsonObject(out.strip().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(last.getString("name")).isEqualTo("pool_map_trivial");
        assertThat(last.getJsonObject("values").getDouble("default_chunk_items_per_s")).isPositive();
        assertThat(last.getJsonObject("values").getDouble("chunk1_items_per_s")).isPositive();
    }
}
