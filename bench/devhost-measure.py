#!/usr/bin/env python3
"""Measures the dev host: cold start and the latency the host hop adds.

Run from the repository root after a build (e.g. `dotnet build FunctionsApp.Tests`):
    python3 bench/devhost-measure.py [--runs 7] [--requests 200] [--configuration Debug]

Cold start: from spawning `dotnet DevHost/bin/<C>/net10.0/DevHost.dll --no-build --in-memory --port N`
to the first 200 from GET /api/health (polled every 10 ms on fresh connections).
Latency: sequential GETs on one keep-alive HTTP/1.1 connection, after 30 warm-up requests each, to
  /admin/host/status  served by the dev host itself (no worker),
  /api/components/x   a worker function that answers 401 at once (no storage I/O),
  /api/health         a worker function that pings Table Storage (Azurite).
"""
import argparse, http.client, os, signal, socket, statistics, subprocess, time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(configuration):
    port = free_port()
    dll = os.path.join("DevHost", "bin", configuration, "net10.0", "DevHost.dll")
    env = {k: v for k, v in os.environ.items() if k not in ("CatalogStorage", "AzureWebJobsStorage")}
    t0 = time.perf_counter()
    proc = subprocess.Popen(["dotnet", dll, "--no-build", "--in-memory", "--port", str(port), "-c", configuration],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"dev host exited with {proc.returncode}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/api/health")
            if c.getresponse().status == 200:
                c.close()
                return proc, port, (time.perf_counter() - t0) * 1000
            c.close()
        except OSError:
            pass
        time.sleep(0.01)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


def latency(port, path, n):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    samples, statuses = [], set()
    for i in range(30 + n):
        t0 = time.perf_counter()
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        if i >= 30:
            samples.append((time.perf_counter() - t0) * 1000)
            statuses.add(r.status)
    c.close()
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1], samples[-1], statuses


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--configuration", default="Debug")
    a = p.parse_args()
    colds = []
    for _ in range(a.runs):
        proc, port, ms = start(a.configuration)
        colds.append(ms)
        stop(proc)
    print("cold start ms:", " ".join(f"{m:.0f}" for m in sorted(colds)), f"median {statistics.median(colds):.0f}")
    proc, port, _ = start(a.configuration)
    try:
        for rnd in range(3):
            for path in ("/admin/host/status", "/api/components/x", "/api/health"):
                med, p99, mx, st = latency(port, path, a.requests)
                print(f"round {rnd + 1} {path:20} median {med:.2f} ms  p99 {p99:.2f} ms  max {mx:.2f} ms  statuses {sorted(st)}")
    finally:
        stop(proc)


if __name__ == "__main__":
    main()
