package io.mproc.cluster.protocol;

import java.util.Map;
import java.util.function.Function;

/** The readers of each kind, by the name its JSON form gives it. */
final class Kinds {
    static final Map<String, Function<Fields, Request>> REQUESTS = Map.ofEntries(
            Map.entry(Request.StartGroup.OP, Request.StartGroup::read),
            Map.entry(Request.StopGroup.OP, Request.StopGroup::read),
            Map.entry(Request.Ready.OP, Request.Ready::read),
            Map.entry(Request.Status.OP, f -> new Request.Status()),
            Map.entry(Request.Scale.OP, Request.Scale::read),
            Map.entry(Request.Stop.OP, f -> new Request.Stop()),
            Map.entry(Request.Deploy.OP, Request.Deploy::read),
            Map.entry(Request.Cpus.OP, f -> new Request.Cpus()),
            Map.entry(Request.Pools.OP, f -> new Request.Pools()),
            Map.entry(Request.OpenPool.OP, Request.OpenPool::read),
            Map.entry(Request.ClosePool.OP, Request.ClosePool::read),
            Map.entry(Request.AgentHello.OP, Request.AgentHello::read),
            Map.entry(Request.Progress.OP, Request.Progress::read),
            Map.entry(Request.Queues.OP, Request.Queues::read));

    static final Map<String, Function<Fields, Event>> EVENTS = Map.of(
            Event.WorkerExit.EVENT, Event.WorkerExit::read,
            Event.GroupBroken.EVENT, Event.GroupBroken::read,
            Event.PoolOpened.EVENT, Event.PoolOpened::read,
            Event.PoolClosed.EVENT, Event.PoolClosed::read);

    private Kinds() {
    }
}
