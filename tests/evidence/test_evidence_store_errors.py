"""A store that cannot be used is one clear error: CLI exit 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
import time

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from somlab.evidence import commands
from somlab.evidence.ingest import ingest
from somlab.evidence.store import (
    SCHEMA_VERSION,
    Store,
    StoreError,
    StoreLockedError,
    StoreVersionError,
)

from evidence_fixtures import fixture


def run(*args):
    app = typer.Typer()
    commands.register(app)
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture()
def good(tmp_path):
    path = tmp_path / "good.duckdb"
    with Store(path) as store:
        ingest([fixture("mmp_2025.csv")], store)
    return path


def damaged(tmp_path, good):
    data = good.read_bytes()
    (tmp_path / "truncated.duckdb").write_bytes(data[:5000])
    (tmp_path / "garbage.duckdb").write_bytes(b"not a database" * 500)
    (tmp_path / "folder.duckdb").mkdir()
    future = tmp_path / "future.duckdb"
    future.write_bytes(data)
    con = duckdb.connect(str(future))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    return {
        "truncated": "not a readable somlab store",
        "garbage": "not a readable somlab store",
        "folder": "is a folder",
        "future": "newer than this somlab",
    }


def test_damaged_or_future_stores_are_one_line_errors_in_every_command(tmp_path, good):
    for name, message in damaged(tmp_path, good).items():
        store = tmp_path / f"{name}.duckdb"
        for args in (
            ("data", "status"),
            ("indicators", "show", "dead_missing"),
            ("indicators", "trace", "dead_missing", "--where", "year=2016"),
            ("data", "ingest", fixture("dtm.csv")),
        ):
            result = run(*args, "--store", store)
            assert result.exit_code == 2, (name, args, result.output)
            assert message in result.output and "Traceback" not in result.output, (
                name,
                args,
                result.output,
            )


def test_future_store_advice_does_not_point_at_a_command_that_refuses(tmp_path, good):
    damaged(tmp_path, good)
    with pytest.raises(StoreVersionError) as info:
        Store(tmp_path / "future.duckdb", read_only=True)
    assert "upgrade somlab" in str(info.value) and "data status" not in str(info.value)


def test_trace_limit_must_be_positive(good):
    result = run("indicators", "trace", "dead_missing", "--limit", "-1", "--store", good)
    assert result.exit_code == 2 and "--limit must be a whole number from 1" in result.output


def test_a_writer_waits_for_the_lock_then_names_the_holder(good):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(good)!r}); "
            "print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        start = time.monotonic()
        with pytest.raises(StoreLockedError, match=f"process {holder.pid}"):
            Store(good, wait=0.5)
        assert 0.4 < time.monotonic() - start < 5
    finally:
        holder.kill()
        holder.wait()
    with Store(good, wait=5) as store:  # once the holder is gone the store opens
        assert store.provenance()


def test_store_error_is_a_runtime_error_with_the_path(tmp_path):
    (tmp_path / "d").mkdir()
    with pytest.raises(StoreError, match=str(tmp_path / "d")):
        Store(tmp_path / "d")
