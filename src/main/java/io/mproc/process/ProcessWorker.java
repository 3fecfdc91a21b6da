package io.mproc.process;

import io.mproc.Job;
import io.mproc.cluster.Blocking;
import io.mproc.cluster.Patient;
import io.mproc.codec.Codec;
import io.mproc.codec.ProgramLoader;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The worker side of a process: fetches the job from the driver and runs it on the calling
 * (main) thread. The exit code is Python's: 0 when the job returns, 1 when it throws (the
 * stack trace goes to stderr), and {@code System.exit(N)} inside the job exits with N.
 */
public final class ProcessWorker {
    private static final long PATIENCE_MS = 30_000;

    private ProcessWorker() {
    }

    /**
     * Runs the job of process {@code id} served at {@code address}; returns the exit code. The
     * job's classes, and those of what it reads from queues and shared values, load from
     * {@code program} (a {@link ProgramLoader}) where this JVM's class path lacks them.
     */
    public static int run(Vertx vertx, String address, String id, String name, ProgramLoader program) {
        Job job;
        try {
            Buffer bytes = Blocking.await(Patient.<Buffer>request(vertx, address, new JsonObject().put("process", id),
                    new DeliveryOptions(), PATIENCE_MS).map(m -> m.body()), Duration.ofMillis(PATIENCE_MS * 2), "fetching the job");
            job = (Job) Codec.deserialize(bytes.getBytes(), "the job of process " + name, program);
        } catch (RuntimeException e) {
            System.err.println("Process " + name + ": cannot get its job: " + e.getMessage());
            return 1;
        }
        if (program != null) {
            Thread.currentThread().setContextClassLoader(program.contextLoader());
        }
        try {
            job.run();
            return 0;
        } catch (Throwable t) {
            System.err.println("Process " + name + ":");
            t.printStackTrace();
            return 1;
        }
    }
}
