package io.mproc.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a program's class server takes as a request. */
class ClassServerTest {
    @Test
    void onlyRelativeClassPathResourcesAreAsked() {
        assertThat(ClassServer.problem("com/example/Shape.class")).isNull();
        assertThat(ClassServer.problem("conf/shapes.txt")).isNull();
        assertThat(ClassServer.problem(null)).isEqualTo("a class request is the path of a class file or resource, e.g. com/example/Shape.class");
        assertThat(ClassServer.problem("")).startsWith("a class request is the path");
        for (String bad : new String[]{"/etc/passwd", "../secret", "a/../../b", "a\\b", "a\0b"}) {
            assertThat(ClassServer.problem(bad)).as(bad).startsWith("not a class path resource: '");
        }
    }
}
