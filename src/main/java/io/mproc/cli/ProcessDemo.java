package io.mproc.cli;

import io.mproc.Connection;
import io.mproc.Multiprocessing;
import io.mproc.Pipe;
import io.mproc.Queue;
import io.mproc.RemoteProcess;
import io.mproc.ProcessOptions;

import java.util.ArrayList;
import java.util.List;

/** The demo's second half: the seed's Process, Queue and Pipe examples, each in JVMs of their own. */
final class ProcessDemo {
    private ProcessDemo() {
    }

    static void run(Multiprocessing mp) {
        System.out.println();
        System.out.println("Five processes, each a JVM of its own:");
        List<RemoteProcess> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            five.add(mp.process(() -> {
                System.out.println("Process " + n + " starting (PID=" + ProcessHandle.current().pid() + ")");
                Thread.sleep(500);
                System.out.println("Process " + n + " done");
            }, ProcessOptions.name("Process-" + i)));
        }
        five.forEach(RemoteProcess::start);
        five.forEach(RemoteProcess::join);
        System.out.println("All processes finished");

        System.out.println();
        Queue<Integer> squares = mp.queue();
        List<RemoteProcess> producers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            producers.add(mp.process(() -> squares.put(n * n)));
        }
        producers.forEach(RemoteProcess::start);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            got.add(squares.get());
        }
        producers.forEach(RemoteProcess::join);
        System.out.println("five processes put i*i in a Queue; the parent got " + got + " (in the order they came)");

        Pipe pipe = mp.pipe();
        Connection parentEnd = pipe.left();
        Connection childEnd = pipe.right();
        RemoteProcess child = mp.process(() -> {
            childEnd.send("Hello from child");
            childEnd.close();
        });
        child.start();
        String hello = parentEnd.recv();
        child.join();
        System.out.println("through a Pipe, the child said: " + hello);

        System.out.println();
        RemoteProcess unjoined = mp.process(() -> {
            Thread.sleep(1000);
            System.out.println("child: done after 1 s");
        });
        unjoined.start();
        System.out.println("without join(): the parent goes on at once; the child is alive: " + unjoined.isAlive()
                + ", exit code " + unjoined.exitCode());
        unjoined.join();
        System.out.println("after join(): the child has finished; alive: " + unjoined.isAlive() + ", exit code " + unjoined.exitCode());
    }
}
