"""Load test of POST /api/assess on loopback: throughput and latency percentiles.

uvicorn serves `somlab.web.app:create_app` on 127.0.0.1 in its own process(es); an asyncio client
with keep-alive connections (hand-written HTTP/1.1, so that the client costs little CPU) sends the
bundled example cases in turn, each as one request. Bounded by a request count and a time limit.
Two workloads side by side: every jurisdiction (the full memo), and the two Protocols plus one
state (the case form's usual request).

    python bench/bench_web.py [--requests 20000] [--seconds 30] [--connections 32] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import yaml

RESULTS = Path(__file__).parent / "results"
EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "somlab" / "examples" / "cases"


def bodies() -> list[bytes]:
    out = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data if isinstance(data, list) else [data]:
            out.append(json.dumps(case, default=str).encode())
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "somlab.web.app:create_app", "--host",
         "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level", "warning",
         "--no-access-log"])
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("the server did not start within 60 s")


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    await reader.readexactly(length)
    return status


async def load(port: int, path: str, payloads: list[bytes], total: int, seconds: float,
               connections: int) -> tuple[list[float], int, float]:
    requests = [b"POST " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                b"application/json\r\nContent-Length: " + str(len(p)).encode() + b"\r\n\r\n" + p
                for p in payloads]
    latencies: list[float] = []
    errors = 0
    sent = 0
    stop = time.perf_counter() + seconds

    async def worker(k: int) -> None:
        nonlocal sent, errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = k
        while sent < total and time.perf_counter() < stop:
            sent += 1
            t0 = time.perf_counter()
            writer.write(requests[i % len(requests)])
            status = await _read_response(reader)
            latencies.append(time.perf_counter() - t0)
            errors += status != 200
            i += 1
        writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(connections)))
    return latencies, errors, time.perf_counter() - t0


def run(port: int, path: str, payloads, args) -> dict:
    asyncio.run(load(port, path, payloads, 300, 10, 4))  # warm-up: imports, corpus, caches
    latencies, errors, elapsed = asyncio.run(
        load(port, path, payloads, args.requests, args.seconds, args.connections))
    ms = np.array(latencies) * 1000
    return {"path": path, "requests": len(latencies), "errors": errors, "seconds": round(elapsed, 2),
            "throughput_rps": round(len(latencies) / elapsed), "p50_ms": round(float(np.median(ms)), 2),
            "p99_ms": round(float(np.percentile(ms, 99)), 2),
            "load_average_1m": round(os.getloadavg()[0], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    payloads = bodies()
    port = free_port()
    server = start_server(port, args.workers)
    try:
        rows = [run(port, path, payloads, args) for path in
                ("/api/assess", "/api/assess?jurisdiction=UN-SOM,UN-TIP,IT")]
    finally:
        server.terminate()
        server.wait(10)
    doc = {"benchmark": "web assess", "cases": len(payloads), "workers": args.workers,
           "connections": args.connections, "cores": os.cpu_count(),
           "machine": platform.platform(), "python": platform.python_version(), "results": rows}
    for r in rows:
        print(f"{r['path']}: {r['throughput_rps']:,} req/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms "
              f"({r['requests']:,} requests in {r['seconds']} s, {r['errors']} errors, "
              f"load average {r['load_average_1m']})")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "web.json").write_text(json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    main()
