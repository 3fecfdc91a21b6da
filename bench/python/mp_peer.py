#!/usr/bin/env python3
"""Python's side of `./run.sh bench`: micro-benchmarks of the standard library's multiprocessing.

One subcommand per workload (`python3 mp_peer.py --help`). Progress goes to stderr; the last
line of stdout is one JSON object: {"name", "params", "values", "units", "env"}.
Standard library only, CPython 3.8+.
"""
import argparse
import datetime
import json
import math
import multiprocessing as mp
import os
import platform
import statistics
import sys
import threading
import time

clock = time.perf_counter


def log(*parts):
    print("mp_peer:", *parts, file=sys.stderr, flush=True)


def percentile(samples, p):
    """Nearest-rank percentile: the smallest sample with at least p% of the samples at or below it."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100.0 * len(ordered)))
    return ordered[rank - 1]


def latency(prefix, seconds):
    """The four figures of a group of round trips, in microseconds."""
    us = [s * 1e6 for s in seconds]
    return {prefix + "_p50_us": percentile(us, 50), prefix + "_p99_us": percentile(us, 99),
            prefix + "_mean_us": statistics.mean(us), prefix + "_max_us": max(us)}


def check(ok, what):
    if not ok:
        raise RuntimeError("wrong result: " + what)


# ---- work run in the children (module level, so that spawn can find it) ------------------

def square(x):
    return x * x


def count_loop(n):
    total = 0
    for _ in range(n):
        total += 1
    return total


def sumsq_loop(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


LOOPS = {"count": (count_loop, lambda n: n), "sumsq": (sumsq_loop, lambda n: (n - 1) * n * (2 * n - 1) // 6)}


def loop_to_queue(queue, variant, n):
    queue.put(LOOPS[variant][0](n))


def queue_producer(queue, items):
    queue.put("up")
    for i in range(items):
        queue.put(i)


def queue_echo(inbox, outbox):
    for item in iter(inbox.get, None):
        outbox.put(item)


def pipe_echo(conn):
    for item in iter(conn.recv, None):
        conn.send(item)


def pipe_small_stream(conn, messages):
    conn.send("up")
    for i in range(messages):
        conn.send(i)


def pipe_big_stream(conn, size, count, raw):
    payload = os.urandom(size)
    for _ in range(count):
        if raw:
            conn.send_bytes(payload)
        else:
            conn.send(payload)


def increment(counter, barrier, increments, locked):
    barrier.wait()
    if locked:
        for _ in range(increments):
            with counter.get_lock():
                counter.value += 1
    else:
        for _ in range(increments):
            counter.value += 1


def dict_writer(shared, barrier, writer, writes):
    barrier.wait()
    for i in range(writes):
        shared["%d:%d" % (writer, i)] = i


# ---- workloads: each returns its "values" ---------------------------------------------------

def pool_startup(args):
    values = {}
    for method in args.methods.split(","):
        ctx = mp.get_context(method)
        for n in (int(s) for s in args.sizes.split(",")):
            first, close_join = [], []
            for r in range(args.warmup + args.repeats):
                t = clock()
                pool = ctx.Pool(n)
                check(pool.apply(square, (3,)) == 9, "apply")
                t_first = clock() - t
                t = clock()
                pool.close()
                pool.join()
                if r >= args.warmup:
                    first.append(t_first)
                    close_join.append(clock() - t)
            key = "%s_n%d" % (method, n)
            values[key + "_first_result_ms"] = statistics.median(first) * 1e3
            values[key + "_first_result_min_ms"] = min(first) * 1e3
            values[key + "_close_join_ms"] = statistics.median(close_join) * 1e3
            log(key, "first result %.1f ms" % values[key + "_first_result_ms"])
    return values


def pool_map_trivial(args):
    chunksize, extra = divmod(args.n, args.workers * 4)  # what Pool.map picks when given none
    values = {"default_chunksize": chunksize + (1 if extra else 0)}
    default_s, chunk1_s, serial_s = [], [], []
    with mp.Pool(args.workers) as pool:
        pool.map(square, range(1000))  # warm-up: workers up and running
        for r in range(args.repeats):
            t = clock()
            out = pool.map(square, range(args.n))
            default_s.append(clock() - t)
            check(len(out) == args.n and out[-1] == square(args.n - 1), "map")
            t = clock()
            out = pool.map(square, range(args.n_chunk1), chunksize=1)
            chunk1_s.append(clock() - t)
            check(len(out) == args.n_chunk1, "map chunksize=1")
            t = clock()
            out = list(map(square, range(args.n)))
            serial_s.append(clock() - t)
            log("repeat", r + 1, "default %.3f s, chunksize=1 %.3f s" % (default_s[-1], chunk1_s[-1]))
    values["default_chunk_s"] = statistics.median(default_s)
    values["default_chunk_items_per_s"] = args.n / values["default_chunk_s"]
    values["chunk1_s"] = statistics.median(chunk1_s)
    values["chunk1_items_per_s"] = args.n_chunk1 / values["chunk1_s"]
    values["serial_map_items_per_s"] = args.n / statistics.median(serial_s)
    return values


def apply_async_latency(args):
    trips, burst_s, submit_s = [], [], []
    with mp.Pool(args.workers) as pool:
        for i in range(args.warmup):
            pool.apply_async(square, (i,)).get()
        for r in range(args.repeats):
            for i in range(args.n):
                t = clock()
                result = pool.apply_async(square, (i,)).get()
                trips.append(clock() - t)
                check(result == i * i, "apply_async")
            t = clock()
            pending = [pool.apply_async(square, (i,)) for i in range(args.burst)]
            submit_s.append(clock() - t)
            check(all(p.get() == i * i for i, p in enumerate(pending)), "burst")
            burst_s.append(clock() - t)
            log("repeat", r + 1, "burst %.3f s" % burst_s[-1])
    values = latency("roundtrip", trips)
    values["burst_s"] = statistics.median(burst_s)
    values["burst_tasks_per_s"] = args.burst / values["burst_s"]
    values["burst_submit_s"] = statistics.median(submit_s)
    return values


def run_loops(mode, variant, args):
    """The --tasks loops of one variant, run one way; returns (seconds, results)."""
    fn, n = LOOPS[variant][0], args.n
    t = clock()
    if mode == "serial":
        results = [fn(n) for _ in range(args.tasks)]
    elif mode == "threads":
        results = [None] * args.tasks

        def run(k):
            results[k] = fn(n)
        threads = [threading.Thread(target=run, args=(k,)) for k in range(args.tasks)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    elif mode == "processes":
        queue = mp.SimpleQueue()
        procs = [mp.Process(target=loop_to_queue, args=(queue, variant, n)) for _ in range(args.tasks)]
        for p in procs:
            p.start()
        results = [queue.get() for _ in procs]
        for p in procs:
            p.join()
    else:  # pool, its creation included
        with mp.Pool(args.pool_workers) as pool:
            results = pool.map(fn, [n] * args.tasks, chunksize=1)
            elapsed = clock() - t
        return elapsed, results
    return clock() - t, results


def cpu_bound_speedup(args):
    modes = ("serial", "threads", "processes", "pool")
    variants = args.variants.split(",")
    times = {(v, m): [] for v in variants for m in modes}
    for r in range(args.repeats):
        for v in variants:
            for m in modes:  # interleaved, so that a slow spell of the machine hits every mode
                seconds, results = run_loops(m, v, args)
                check(results == [LOOPS[v][1](args.n)] * args.tasks, "%s %s" % (v, m))
                times[v, m].append(seconds)
                log("repeat", r + 1, v, m, "%.3f s" % seconds)
    values = {}
    for v in variants:
        serial = statistics.median(times[v, "serial"])
        for m in modes:
            values["%s_%s_s" % (v, m)] = statistics.median(times[v, m])
        for m in modes:
            values["%s_%s_speedup" % (v, m)] = serial / values["%s_%s_s" % (v, m)]
    return values


def pingpong(send, recv, warmup, roundtrips, what):
    """Round trips of i through an echoing child; the times of all but the first `warmup`."""
    trips = []
    for i in range(warmup + roundtrips):
        t = clock()
        send(i)
        check(recv() == i, what)
        if i >= warmup:
            trips.append(clock() - t)
    return trips


def queue_throughput(args):
    rates = []
    for r in range(args.repeats):
        queue = mp.Queue()
        producer = mp.Process(target=queue_producer, args=(queue, args.items))
        producer.start()
        check(queue.get() == "up", "producer start")
        t = clock()
        last = None
        for _ in range(args.items):
            last = queue.get()
        rates.append(args.items / (clock() - t))
        check(last == args.items - 1, "queue items")
        producer.join()
        log("repeat", r + 1, "%.0f items/s" % rates[-1])
    values = {"items_per_s": statistics.median(rates)}
    to_child, from_child = mp.Queue(), mp.Queue()
    echo = mp.Process(target=queue_echo, args=(to_child, from_child))
    echo.start()
    trips = pingpong(to_child.put, from_child.get, args.warmup, args.roundtrips, "queue echo")
    to_child.put(None)
    echo.join()
    values.update(latency("pingpong", trips))
    return values


def pipe_latency(args):
    parent, child = mp.Pipe()
    echo = mp.Process(target=pipe_echo, args=(child,))
    echo.start()
    trips = pingpong(parent.send, parent.recv, args.warmup, args.roundtrips, "pipe echo")
    parent.send(None)
    echo.join()
    values = latency("pingpong", trips)
    log("ping-pong p50 %.1f us" % values["pingpong_p50_us"])

    receiver, sender = mp.Pipe(duplex=False)
    stream = mp.Process(target=pipe_small_stream, args=(sender, args.messages))
    stream.start()
    check(receiver.recv() == "up", "stream start")
    t = clock()
    for _ in range(args.messages):
        last = receiver.recv()
    values["small_msgs_per_s"] = args.messages / (clock() - t)
    check(last == args.messages - 1, "small messages")
    stream.join()

    for raw, key in ((True, "big_send_bytes"), (False, "big_send_pickled")):
        receiver, sender = mp.Pipe(duplex=False)
        total = args.big_warmup + args.big_count
        stream = mp.Process(target=pipe_big_stream, args=(sender, args.big_bytes, total, raw))
        stream.start()
        recv = receiver.recv_bytes if raw else receiver.recv
        for _ in range(args.big_warmup):
            recv()
        t = clock()
        for _ in range(args.big_count):
            check(len(recv()) == args.big_bytes, key)
        seconds = clock() - t
        stream.join()
        values[key + "_MB_per_s"] = args.big_count * args.big_bytes / 1e6 / seconds
        if raw:
            values[key + "_msgs_per_s"] = args.big_count / seconds
        log(key, "%.0f MB/s" % values[key + "_MB_per_s"])
    return values


def lock_counter(args):
    expected = args.procs * args.increments
    values = {"expected": expected}
    for mode in ("locked", "unlocked", "raw"):
        finals, rates = [], []
        for _ in range(args.repeats):
            counter = mp.RawValue("i", 0) if mode == "raw" else mp.Value("i", 0)
            barrier = mp.Barrier(args.procs + 1)
            procs = [mp.Process(target=increment, args=(counter, barrier, args.increments, mode == "locked"))
                     for _ in range(args.procs)]
            for p in procs:
                p.start()
            barrier.wait()
            t = clock()
            for p in procs:
                p.join()
            rates.append(expected / (clock() - t))
            finals.append(counter.value)
        values[mode + "_final_median"] = statistics.median(finals)
        values[mode + "_final_min"] = min(finals)
        values[mode + "_lost_updates_median"] = expected - statistics.median(finals)
        values[mode + "_ops_per_s"] = statistics.median(rates)
        log(mode, "final median %s of %d," % (values[mode + "_final_median"], expected),
            "%.0f ops/s" % values[mode + "_ops_per_s"])
    return values


def manager_dict(args):
    starts, rates, single, sizes = [], [], [], []
    for r in range(args.repeats):
        t = clock()
        manager = mp.Manager()
        starts.append(clock() - t)
        with manager:
            shared = manager.dict()
            barrier = mp.Barrier(args.workers + 1)
            procs = [mp.Process(target=dict_writer, args=(shared, barrier, w, args.writes))
                     for w in range(args.workers)]
            for p in procs:
                p.start()
            barrier.wait()
            t = clock()
            for p in procs:
                p.join()
            rates.append(args.workers * args.writes / (clock() - t))
            sizes.append(len(shared))
            alone = manager.dict()
            t = clock()
            for i in range(args.writes):
                alone[i] = i
            single.append(args.writes / (clock() - t))
        log("repeat", r + 1, "%.0f writes/s" % rates[-1])
    values = {"manager_start_ms": statistics.median(starts) * 1e3,
              "writes_per_s": statistics.median(rates),
              "single_writer_writes_per_s": statistics.median(single),
              "final_size": min(sizes)}
    values["single_writer_write_us"] = 1e6 / values["single_writer_writes_per_s"]
    values["final_size_ok"] = all(s == args.workers * args.writes for s in sizes)
    return values


# ---- command line and output --------------------------------------------------------------

def unit(key, value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "text"
    for suffix, name in (("_MB_per_s", "MB/s"), ("items_per_s", "items/s"), ("tasks_per_s", "tasks/s"),
                         ("msgs_per_s", "msgs/s"), ("_per_s", "ops/s"), ("_speedup", "x"), ("_ms", "ms"),
                         ("_us", "us"), ("_s", "s"), ("final_size", "keys")):
        if key.endswith(suffix):
            return name
    return "count"


def environment():
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = None
    return {"python": platform.python_version(), "implementation": platform.python_implementation(),
            "platform": platform.platform(), "cpu_count": os.cpu_count(),
            "default_start_method": mp.get_start_method(), "loadavg_1m": load,
            "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}


def parser():
    top = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = top.add_subparsers(dest="name", metavar="subcommand")
    sub.required = True

    def command(fn, help_text, *options):
        p = sub.add_parser(fn.__name__, help=help_text, description=help_text)
        for flag, kind, default in options:
            p.add_argument(flag, type=kind, default=default, help="default: %(default)s")
        p.set_defaults(run=fn)

    command(pool_startup, "ctx.Pool(N) creation to the first apply() result, per start method"
                          " (fork, spawn, forkserver) and N",
            ("--sizes", str, "2,4"), ("--methods", str, "fork,spawn"), ("--repeats", int, 7), ("--warmup", int, 1))
    command(pool_map_trivial, "Pool.map of a trivial function: default chunksize and chunksize=1",
            ("--workers", int, 2), ("--n", int, 1000000), ("--n-chunk1", int, 20000), ("--repeats", int, 3))
    command(apply_async_latency, "apply_async().get() round trips, then a burst of apply_async",
            ("--workers", int, 2), ("--n", int, 5000), ("--warmup", int, 500), ("--burst", int, 20000),
            ("--repeats", int, 3))
    command(cpu_bound_speedup, "pure-Python loops: serial, threads, a Process each, Pool.map",
            ("--n", int, 10000000), ("--tasks", int, 4), ("--pool-workers", int, 2),
            ("--variants", str, "count,sumsq"), ("--repeats", int, 3))
    command(queue_throughput, "mp.Queue: items from a producer process, then ping-pong",
            ("--items", int, 200000), ("--repeats", int, 3), ("--roundtrips", int, 10000), ("--warmup", int, 500))
    command(pipe_latency, "Pipe: ping-pong, then small, send_bytes and pickled streams from a child",
            ("--roundtrips", int, 20000), ("--warmup", int, 1000), ("--messages", int, 200000),
            ("--big-bytes", int, 1000000), ("--big-count", int, 500), ("--big-warmup", int, 50))
    command(manager_dict, "Manager().dict() writes from several processes, and from the parent alone",
            ("--workers", int, 2), ("--writes", int, 10000), ("--repeats", int, 3))
    command(lock_counter, "a shared counter incremented by several processes: locked, unlocked, RawValue",
            ("--procs", int, 4), ("--increments", int, 10000), ("--repeats", int, 5))
    return top


def main():
    args = parser().parse_args()
    params = {k: v for k, v in vars(args).items() if k not in ("name", "run")}
    for key in ("repeats", "n", "tasks", "workers", "procs", "items", "roundtrips", "messages", "big_count"):
        if key in params and params[key] < 1:
            raise SystemExit("mp_peer: --%s must be >= 1" % key.replace("_", "-"))
    log(args.name, json.dumps(params))
    t = clock()
    values = args.run(args)
    values["wall_s"] = clock() - t
    print(json.dumps({"name": args.name, "params": params, "values": values,
                      "units": {k: unit(k, v) for k, v in values.items()}, "env": environment()}))


if __name__ == "__main__":
    main()
