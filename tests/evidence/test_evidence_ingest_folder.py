"""`somlab data ingest DIR`: one transaction per file, a summary, and a store that survives kill -9."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from somlab.evidence import commands
from somlab.evidence.store import Store

from evidence_fixtures import fixture

SRC = Path(__file__).resolve().parents[2] / "src"


def run(*args):
    app = typer.Typer()
    commands.register(app)
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture()
def folder(tmp_path):
    root = tmp_path / "data"
    (root / "mmp").mkdir(parents=True)
    (root / "arrivals").mkdir()
    for name in ("mmp_2024.csv", "mmp_2025.csv"):
        shutil.copy(fixture(name), root / "mmp" / name)
    for name in ("dtm.csv", "uk_small_boats_daily.csv"):
        shutil.copy(fixture(name), root / "arrivals" / name)
    shutil.copy(fixture("mmp_renamed_column.csv"), root / "mmp" / "renamed.csv")
    (root / "PROVENANCE.md").write_text("# notes\n")
    (root / ".hidden.csv").write_text("a,b\n1,2\n")
    return root


def test_a_folder_is_walked_and_each_file_reported(folder, tmp_path):
    result = run("data", "ingest", folder, "--store", tmp_path / "s.duckdb")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("ingested 4, already in the store 0, skipped 2 of 6 files")
    assert "renamed.csv: no known source recognises this header" in out
    assert "PROVENANCE.md: not a table file (.md)" in out and ".hidden.csv" not in out
    assert "rejected      1  totals row" in out
    again = run("data", "ingest", folder, "--store", tmp_path / "s.duckdb")
    assert again.output.startswith("ingested 0, already in the store 4, skipped 2 of 6 files")
    with Store(tmp_path / "s.duckdb") as store:
        assert len(store.provenance()) == 4


def test_a_named_file_that_fails_stops_before_anything_is_written(folder, tmp_path):
    result = run(
        "data",
        "ingest",
        folder / "mmp" / "mmp_2024.csv",
        folder / "mmp" / "renamed.csv",
        "--store",
        tmp_path / "s.duckdb",
    )
    assert (
        result.exit_code == 2
        and "renamed.csv, row 1" in result.output
        and "nothing was ingested" in result.output
    )
    assert not (tmp_path / "s.duckdb").exists() or not Store(tmp_path / "s.duckdb").provenance()


def _tables(path: Path) -> dict:
    with Store(path, read_only=True) as store:
        con = store.connection
        return {
            table: con.execute(
                f"SELECT * EXCLUDE (ingested_at) FROM {table} ORDER BY ALL"
                if table == "provenance"
                else f"SELECT * FROM {table} ORDER BY ALL"
            ).fetchall()
            for table in ("provenance", "incidents", "counts", "row_issues", "current_files")
        }


def _check_invariants(path: Path) -> None:
    with Store(path, read_only=True) as store:
        con = store.connection
        per_file = con.execute(
            "SELECT p.file_id, p.rows_loaded, (SELECT count(*) FROM incidents i WHERE i.file_id = p.file_id)"
            " + (SELECT count(*) FROM counts c WHERE c.file_id = p.file_id) FROM provenance p"
        ).fetchall()
        assert all(loaded == facts for _, loaded, facts in per_file), per_file
        for table in ("incidents", "counts", "row_issues", "current_files"):
            orphans = con.execute(
                f"SELECT count(*) FROM {table} WHERE file_id NOT IN (SELECT file_id FROM provenance)"
            )
            assert orphans.fetchone()[0] == 0, table


def _big_frontex(path: Path) -> None:
    """A synthetic Frontex-layout file (40,000 rows, made up for this test) so that kills land in writes."""
    lines = ["route,type,nat,t,n"]
    for i in range(40_000):
        lines.append(
            f"Central Mediterranean Route,Sea,N{i % 500:03d},{2000 + i // 2000}-{1 + i % 12:02d},{i % 97 + 1}"
        )
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.slow
def test_kill_during_ingest_leaves_a_consistent_store_and_a_reingest_matches(folder, tmp_path):
    _big_frontex(folder / "arrivals" / "zz_synthetic_frontex.csv")
    command = [sys.executable, "-m", "somlab.cli", "data", "ingest", str(folder)]
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    reference = tmp_path / "reference.duckdb"
    subprocess.run(command + ["--store", str(reference)], env=env, check=True, capture_output=True)
    for n, delay in enumerate((0.8, 1.2, 1.6, 2.0, 2.5, 3.0)):
        store = tmp_path / f"killed-{n}.duckdb"
        proc = subprocess.Popen(
            command + ["--store", str(store)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if store.exists():
            _check_invariants(store)
        subprocess.run(command + ["--store", str(store)], env=env, check=True, capture_output=True)
        _check_invariants(store)
        assert _tables(store) == _tables(reference), delay


def test_concurrent_writers_are_serialised(folder, tmp_path):
    store = tmp_path / "s.duckdb"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "somlab.cli",
                "data",
                "ingest",
                str(folder / sub),
                "--store",
                str(store),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for sub in ("mmp", "arrivals")
    ]
    outcomes = [proc.communicate(timeout=120) + (proc.returncode,) for proc in procs]
    assert all(code == 0 for *_, code in outcomes), outcomes
    _check_invariants(store)
    with Store(store, read_only=True) as handle:
        assert {row["file_name"] for row in handle.provenance()} == {
            "mmp_2024.csv",
            "mmp_2025.csv",
            "dtm.csv",
            "uk_small_boats_daily.csv",
        }
