package io.mproc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java examples of README.md, compiled and run: every ```java block of the README must
 * appear, line for line, in this file, and the tests below run them.
 */
@Timeout(120)
class ReadmeExamplesTest {
    static final List<String> OUT = new ArrayList<>();

    static void print(Object line) {
        OUT.add(String.valueOf(line));
        System.out.println(line);
    }

    @Test
    void everyJavaBlockOfTheReadmeIsInThisFile() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String self = Files.readString(Path.of("src/test/java/io/mproc/ReadmeExamplesTest.java"));
        Matcher blocks = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<String> selfLines = meaningfulLines(self);
        int found = 0;
        while (blocks.find()) {
            found++;
            List<String> block = meaningfulLines(blocks.group(1));
            assertThat(java.util.Collections.indexOfSubList(selfLines, block))
                    .as("README block %d, line for line and in order, in this file:%n%s", found, blocks.group(1)).isNotNegative();
        }
        assertThat(found).isPositive();
    }

    /** The lines of {@code text}, stripped of indentation, blank ones left out. */
    private static List<String> meaningfulLines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void quickStart() throws Exception {
        OUT.clear();
        // README: quick start
        try (Multiprocessing mp = Multiprocessing.local();
             Pool pool = mp.pool(2)) {
            List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3, 4, 5));
            int cube = pool.apply(x -> x * x * x, 3);
            AsyncResult<Integer> later = pool.applyAsync(x -> x * x, 5);
            print(squares + " " + cube + " " + later.get());             // [1, 4, 9, 16, 25] 27 25
            print(pool.apply(x -> Multiprocessing.currentProcess(), 0));  // ProcessInfo[name=pool-1-worker-1, pid=...]
        }
        assertThat(OUT.get(0)).isEqualTo("[1, 4, 9, 16, 25] 27 25");
        assertThat(OUT.get(1)).contains("worker");
    }

    @Test
    void streamingAndErrors() {
        OUT.clear();
        // README: streaming and errors
        try (Multiprocessing mp = Multiprocessing.local();
             Pool pool = mp.pool(PoolOptions.processes(2).maxTasksPerChild(100))) {
            var lines = pool.imap(String::length, List.of("a", "bb", "ccc"));
            lines.forEachRemaining(ReadmeExamplesTest::print);                // 1 2 3, in input order
            try {
                pool.apply(x -> 1 / x, 0);
            } catch (RemoteTaskException e) {
                print(e.getCause());                                          // java.lang.ArithmeticException: / by zero
            }
        }
        assertThat(OUT).containsExactly("1", "2", "3", "java.lang.ArithmeticException: / by zero");
    }

    @Test
    void processesQueuesAndPipes() {
        OUT.clear();
        // README: processes, queues and pipes
        try (Multiprocessing mp = Multiprocessing.local()) {
            Queue<String> results = mp.queue();
            Pipe pipe = mp.pipe();
            Connection parentEnd = pipe.left();
            Connection childEnd = pipe.right();
            RemoteProcess child = mp.process(() -> {
                results.put("hello from " + Multiprocessing.currentProcess().name());
                childEnd.send(childEnd.<Integer>recv() * 2);
            }, ProcessOptions.name("child"));
            child.start();
            parentEnd.send(21);
            print(results.get() + ", " + parentEnd.recv());                   // hello from child, 42
            child.join();
            print(child.exitCode());                                          // 0
        }
        assertThat(OUT).containsExactly("hello from child, 42", "0");
    }

    @Test
    void sharedStateAndLocks() {
        OUT.clear();
        // README: shared state and locks
        try (Multiprocessing mp = Multiprocessing.local()) {
            Value<Long> counter = mp.value(0L);
            DictProxy<Integer, Integer> squares = mp.manager().dict();
            List<RemoteProcess> children = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                children.add(mp.process(() -> {
                    for (int k = 0; k < 1000; k++) {
                        try (Lock.Held held = counter.getLock().hold()) { // with v.get_lock():
                            counter.set(counter.get() + 1);
                        }
                    }
                    squares.set(n, n * n);                            // d[n] = n * n
                }));
            }
            children.forEach(RemoteProcess::start);
            children.forEach(RemoteProcess::join);
            print(counter.get() + " " + new TreeMap<>(squares));          // 4000 {0=0, 1=1, 2=4, 3=9}
        }
        assertThat(OUT).containsExactly("4000 {0=0, 1=1, 2=4, 3=9}");
    }
}
