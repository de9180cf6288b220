"""One store, many readers: the server never blocks an ingest, sees it at once, and a store that
cannot be read is a page that says so (never a 500)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from webstore import EVIDENCE_FIXTURES, make_store

from somlab.evidence.store import SCHEMA_VERSION, Store
from somlab.web.app import create_app

SRC = Path(__file__).resolve().parents[2] / "src"


def test_ingest_while_serving_succeeds_and_shows_without_restart(tmp_path):
    store = tmp_path / "s.duckdb"
    with Store(store) as handle:
        from somlab.evidence.ingest import ingest

        ingest([EVIDENCE_FIXTURES / "mmp_2025.csv"], handle)
    with TestClient(create_app(store)) as client:
        before = client.get("/api/indicators/arrivals?by=year").json()
        assert before["rows"] == []
        assert client.get("/").status_code == 200
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "somlab.cli",
                "data",
                "ingest",
                str(EVIDENCE_FIXTURES / "dtm.csv"),
                "--store",
                str(store),
            ],
            env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        after = client.get("/api/indicators/arrivals?by=year").json()
        assert after["rows"] and {s["file_name"] for s in after["sources"]} == {"dtm.csv"}


def _broken_stores(tmp_path: Path, good: Path) -> dict[str, Path]:
    data = good.read_bytes()
    (tmp_path / "truncated.duckdb").write_bytes(data[:5000])
    (tmp_path / "folder.duckdb").mkdir()
    future = tmp_path / "future.duckdb"
    shutil.copy(good, future)
    con = duckdb.connect(str(future))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    return {
        "truncated": tmp_path / "truncated.duckdb",
        "folder": tmp_path / "folder.duckdb",
        "future": future,
    }


@pytest.mark.parametrize("kind", ["truncated", "folder", "future"])
def test_a_broken_store_is_a_page_that_says_so(tmp_path, kind):
    good = make_store(tmp_path / "good.duckdb")
    path = _broken_stores(tmp_path, good)[kind]
    with TestClient(create_app(path)) as client:
        for url in ("/", "/evidence"):
            r = client.get(url)
            assert r.status_code == 200 and "The evidence store cannot be read" in r.text, url
        r = client.get("/api/indicators/dead_missing")
        assert r.status_code == 503 and str(path) in r.json()["detail"]


@pytest.mark.slow
def test_a_locked_store_serves_the_last_answer_saying_so(tmp_path):
    store = make_store(tmp_path / "s.duckdb")
    with TestClient(create_app(store)) as client:
        first = client.get("/api/indicators/dead_missing?by=year").json()
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                f"import duckdb, time; c = duckdb.connect({str(store)!r}); "
                "c.execute('CREATE TABLE t (x INT)'); print('held', flush=True); time.sleep(30)",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout.readline().strip() == "held"
            r = client.get("/api/indicators/dead_missing?by=year")
            assert r.status_code == 200 and r.json()["rows"] == first["rows"]
            assert any("being updated" in gap for gap in r.json()["gaps"])
            fresh = client.get("/api/indicators/dead_missing?by=route")
            assert fresh.status_code == 503 and "in use by process" in fresh.json()["detail"]
        finally:
            holder.kill()
            holder.wait()


def test_assess_bulk_options_bound_the_answer(client):
    case = {"id": "x", "date": "2020-01-01", "benefit": {"obtained": False}}
    full = client.post("/api/assess", json=case).json()["cases"][0]["results"][0]
    assert "trace" in full
    lean = client.post("/api/assess?trace=false", json=case).json()["cases"][0]["results"][0]
    assert "trace" not in lean and set(lean) == set(full) - {"trace"}
    picked = client.post("/api/assess?fields=offence,missing_facts", json=case).json()["cases"][0][
        "results"
    ][0]
    assert set(picked) == {"jurisdiction", "offence", "missing_facts"}
    bad = client.post("/api/assess?fields=offence,colour", json=case)
    assert bad.status_code == 404 and bad.json()["problems"][0]["field"] == "fields"
    many = [{**case, "id": str(i)} for i in range(200)]
    refused = client.post("/api/assess", json=many)
    assert refused.status_code == 413 and "trace=false" in refused.json()["detail"]
    lean_many = client.post("/api/assess?fields=offence", json=many)
    assert lean_many.status_code == 200 and len(lean_many.content) < 2_000_000


def test_silent_and_slow_clients_are_disconnected(tmp_path):
    import uvicorn

    from somlab.web.server import DeadlineHttpToolsProtocol

    class Quick(DeadlineHttpToolsProtocol):
        header_timeout = 0.5

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(tmp_path / "none.duckdb"),
            host="127.0.0.1",
            port=port,
            http=Quick,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.time() + 30
        while not server.started and time.time() < deadline:
            time.sleep(0.05)
        silent = socket.create_connection(("127.0.0.1", port), timeout=5)
        slow = socket.create_connection(("127.0.0.1", port), timeout=5)
        slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        time.sleep(1.0)
        for sock in (silent, slow):
            assert sock.recv(100) == b""  # closed by the server
            sock.close()
        with socket.create_connection(("127.0.0.1", port), timeout=5) as ok:
            ok.sendall(b"GET /api/facts HTTP/1.1\r\nHost: x\r\n\r\n")
            assert ok.recv(12).startswith(b"HTTP/1.1 200")
    finally:
        server.should_exit = True
        thread.join(10)
