package io.mproc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Progress#show} on a terminal (a pseudo-terminal from util-linux's {@code script}) draws
 * a bar that moves while a map runs on two worker JVMs (with its output piped it draws nothing:
 * {@link PoolTest}).
 */
@Timeout(120)
class ProgressTest {

    @Test
    void onATerminalTheBarMovesAndIsClearedAtTheEnd() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(StandingClusterTest.works("script", "-qec", "true", "/dev/null"),
                "no util-linux script here (it gives the program a pseudo-terminal): the terminal test is skipped (CI has it)");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = javaBin + " -XX:TieredStopAtLevel=1 -Dmproc.spares=0 -cp " + System.getProperty("java.class.path") + " " + ProgressMain.class.getName();
        java.lang.Process terminal = new ProcessBuilder("script", "-qec", command, "/dev/null").redirectErrorStream(true).start();
        String out = new String(terminal.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(terminal.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(out).contains("mapped 40").contains("\rsleepy [").containsPattern("\\d+/40  \\d+%  [\\d,]+/s  ETA \\d+s");
        List<String> counts = out.lines().flatMap(line -> java.util.Arrays.stream(line.split("\r")))
                .filter(part -> part.startsWith("sleepy [")).map(part -> part.substring(part.indexOf("]  ") + 3, part.indexOf('/'))).distinct().toList();
        assertThat(counts).as("counts drawn while it ran").hasSizeGreaterThan(1);
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).as("JVMs left behind").isEmpty();
    }
}
