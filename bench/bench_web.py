"""Load tests of the web server on loopback: throughput and latency percentiles.

uvicorn serves `somlab.web.app:create_app` on 127.0.0.1 in its own process(es); an asyncio client
with keep-alive connections (hand-written HTTP/1.1, so that the client costs little CPU) sends
requests, bounded by a request count and a time limit. Two workloads:

* `assess`: the bundled example cases posted to /api/assess in turn, every jurisdiction (the full
  memo) and the two Protocols plus one state (the case form's usual request), side by side.
* `mixed`: one server process (as `somlab serve`) on an evidence store filled from the bundled
  snapshot; 16 connections at once, four each on the overview page, the indicator catalogue, one
  indicator (/api/indicators/dead_missing?by=year,route) and /api/assess (the busy endpoint);
  p50/p99 per path. With `--baseline SRC` the same run is made first with the code in SRC (e.g.
  an unchanged checkout's src/, on the same facts in a schema-1 store) and the two are printed
  side by side with their ratio.

    python bench/bench_web.py [--workload assess|mixed|all] [--baseline ../main/src]
                              [--requests 20000] [--seconds 30] [--connections 32] [--workers 2]
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


def start_server(port: int, workers: int, env: dict | None = None) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "somlab.web.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
    )
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
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    await reader.readexactly(length)
    return status


def post(path: str, payload: bytes) -> bytes:
    return (
        b"POST " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        b"application/json\r\nContent-Length: " + str(len(payload)).encode() + b"\r\n\r\n" + payload
    )


def get(path: str) -> bytes:
    return b"GET " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


async def load_mix(
    port: int, mix: list[tuple[str, list[bytes]]], total: int, seconds: float, connections: int
) -> tuple[dict[str, list[float]], int, float]:
    """`connections` keep-alive connections, connection k sending the requests of mix[k % len(mix)]
    in turn; latencies per label."""
    latencies: dict[str, list[float]] = {label: [] for label, _ in mix}
    errors = 0
    sent = 0
    stop = time.perf_counter() + seconds

    async def worker(k: int) -> None:
        nonlocal sent, errors
        label, requests = mix[k % len(mix)]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = k
        while sent < total and time.perf_counter() < stop:
            sent += 1
            t0 = time.perf_counter()
            writer.write(requests[i % len(requests)])
            status = await _read_response(reader)
            latencies[label].append(time.perf_counter() - t0)
            errors += status != 200
            i += 1
        writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(connections)))
    return latencies, errors, time.perf_counter() - t0


async def load(
    port: int, path: str, payloads: list[bytes], total: int, seconds: float, connections: int
) -> tuple[list[float], int, float]:
    latencies, errors, elapsed = await load_mix(
        port, [(path, [post(path, p) for p in payloads])], total, seconds, connections
    )
    return latencies[path], errors, elapsed


def _summary(ms: np.ndarray) -> dict:
    return {
        "requests": len(ms),
        "p50_ms": round(float(np.median(ms)), 2),
        "p99_ms": round(float(np.percentile(ms, 99)), 2),
    }


MIXED_CONNECTIONS = 16
MIXED_PATHS = ("/", "/api/indicators", "/api/indicators/dead_missing?by=year,route", "/api/assess")


def snapshot_store(folder: Path, name: str = "evidence.duckdb", schema: int | None = None) -> Path:
    """An evidence store filled from the bundled snapshot (made with this checkout's code); with
    `schema`, brought down to that schema version (the tables added since dropped) so that an
    older checkout can read the same facts."""
    import duckdb

    from somlab.evidence.snapshot import load_snapshot
    from somlab.evidence.store import Store

    path = folder / name
    with Store(path) as store:
        load_snapshot(store)
    if schema == 1:
        con = duckdb.connect(str(path))
        con.execute("DROP TABLE published_figures")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        con.close()
    return path


def run_mixed(src: Path, store: Path, payloads, seconds: float) -> dict:
    """The mixed workload against the code in `src`, one server process."""
    env = {**os.environ, "PYTHONPATH": str(src), "SOMLAB_STORE": str(store)}
    port = free_port()
    server = start_server(port, 1, env)
    mix = [
        (path, [post(path, p) for p in payloads] if path == "/api/assess" else [get(path)])
        for path in MIXED_PATHS
    ]
    try:
        asyncio.run(load_mix(port, mix, 200, 20, 4))  # warm-up: imports, corpus, caches
        latencies, errors, elapsed = asyncio.run(
            load_mix(port, mix, 10**9, seconds, MIXED_CONNECTIONS)
        )
    finally:
        server.terminate()
        server.wait(10)
    paths = {label: _summary(np.array(values) * 1000) for label, values in latencies.items()}
    return {
        "src": str(src),
        "connections": MIXED_CONNECTIONS,
        "seconds": round(elapsed, 2),
        "errors": errors,
        "throughput_rps": round(sum(len(v) for v in latencies.values()) / elapsed),
        "paths": paths,
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def mixed(args, payloads) -> list[dict]:
    import tempfile

    here = Path(__file__).resolve().parents[1] / "src"
    sources = ([Path(args.baseline).resolve()] if args.baseline else []) + [here]
    with tempfile.TemporaryDirectory() as folder:
        stores = (
            [snapshot_store(Path(folder), "baseline.duckdb", schema=1)] if args.baseline else []
        )
        stores.append(snapshot_store(Path(folder)))
        rows = [
            run_mixed(src, store, payloads, args.seconds) for src, store in zip(sources, stores)
        ]
    for row in rows:
        print(
            f"mixed load, {row['connections']} connections, code in {row['src']}: "
            f"{row['throughput_rps']:,} req/s, {row['errors']} errors, load average {row['load_average_1m']}"
        )
        for path, r in row["paths"].items():
            print(
                f"    {path:<45} p50 {r['p50_ms']:>8} ms  p99 {r['p99_ms']:>8} ms  ({r['requests']:,} requests)"
            )
    if len(rows) == 2:
        print("ratio baseline / this code (p99):")
        for path in MIXED_PATHS:
            print(
                f"    {path:<45} {rows[0]['paths'][path]['p99_ms'] / rows[1]['paths'][path]['p99_ms']:.1f}x"
            )
    return rows


def run(port: int, path: str, payloads, args) -> dict:
    asyncio.run(load(port, path, payloads, 300, 10, 4))  # warm-up: imports, corpus, caches
    latencies, errors, elapsed = asyncio.run(
        load(port, path, payloads, args.requests, args.seconds, args.connections)
    )
    ms = np.array(latencies) * 1000
    return {
        "path": path,
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(elapsed, 2),
        "throughput_rps": round(len(latencies) / elapsed),
        "p50_ms": round(float(np.median(ms)), 2),
        "p99_ms": round(float(np.percentile(ms, 99)), 2),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def assess(args, payloads) -> list[dict]:
    port = free_port()
    server = start_server(port, args.workers)
    try:
        rows = [
            run(port, path, payloads, args)
            for path in ("/api/assess", "/api/assess?jurisdiction=UN-SOM,UN-TIP,IT")
        ]
    finally:
        server.terminate()
        server.wait(10)
    for r in rows:
        print(
            f"{r['path']}: {r['throughput_rps']:,} req/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms "
            f"({r['requests']:,} requests in {r['seconds']} s, {r['errors']} errors, "
            f"load average {r['load_average_1m']})"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workload", choices=("assess", "mixed", "all"), default="all")
    parser.add_argument("--baseline", help="src/ folder of the code to compare the mixed load with")
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    payloads = bodies()
    doc = {
        "benchmark": "web",
        "cases": len(payloads),
        "workers": args.workers,
        "connections": args.connections,
        "cores": os.cpu_count(),
        "machine": platform.platform(),
        "python": platform.python_version(),
    }
    if args.workload in ("assess", "all"):
        doc["results"] = assess(args, payloads)
    if args.workload in ("mixed", "all"):
        doc["mixed"] = mixed(args, payloads)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "web.json").write_text(json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    main()
