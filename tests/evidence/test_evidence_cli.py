"""The `somlab data` and `somlab indicators` commands, end to end on fixtures."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from somlab.evidence import commands

from evidence_fixtures import fixture


@pytest.fixture()
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("SOMLAB_STORE", str(tmp_path / "evidence.duckdb"))
    app = typer.Typer()
    commands.register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def test_ingest_then_show_every_text_format(cli):
    result = cli("data", "ingest", fixture("mmp_2025.csv"), fixture("dtm.csv"))
    assert result.exit_code == 0, result.output
    assert "mmp_2025.csv: iom_mmp (global-2021), 3 rows read" in result.output
    shown = cli("indicators", "show", "dead_missing", "--by", "year,route", "--format", "json")
    data = json.loads(shown.output)
    assert data["schema"] == "somlab.indicator/1" and data["by"] == ["year", "route"]
    csv_out = cli("indicators", "show", "arrivals", "--by", "year", "--format", "csv").output
    assert csv_out.splitlines()[0] == "dataset,year,value"
    table = cli(
        "indicators",
        "show",
        "death_rate",
        "--by",
        "year",
        "--where",
        "route=Central Mediterranean",
        "--from",
        "2016-05",
        "--to",
        "2016-12",
    ).output
    assert "arrival" in table and "gaps:" in table and "sources:" in table
    again = cli("data", "ingest", fixture("mmp_2025.csv"))
    assert "already ingested" in again.output


def test_malformed_file_is_one_error_and_nothing_changes(cli):
    cli("data", "ingest", fixture("dtm.csv"))
    before = cli("data", "status").output
    result = cli("data", "ingest", fixture("frontex.csv"), fixture("mmp_renamed_column.csv"))
    assert result.exit_code == 2
    assert (
        "mmp_renamed_column.csv, row 1" in result.output and "nothing was ingested" in result.output
    )
    assert cli("data", "status").output == before


def test_chart_outputs(cli, tmp_path):
    cli("data", "ingest", fixture("frontex.csv"))
    for fmt in ("png", "html", "svg"):
        out = tmp_path / f"detections.{fmt}"
        result = cli(
            "indicators", "show", "detections", "--by", "year,route", "--format", fmt, "--out", out
        )
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    assert "Source: Frontex" in (tmp_path / "detections.svg").read_text()


def test_list_groups_by_objective_and_marks_gaps(cli):
    output = cli("indicators", "list").output
    for heading in ("PREVENT", "PROSECUTE", "PROTECT", "COOPERATE"):
        assert heading in output
    assert "GAP smuggling_prosecutions" in output


def test_unknown_source_and_indicator_are_clear_errors(cli):
    assert (
        "unknown source 'nope'"
        in cli("data", "ingest", fixture("dtm.csv"), "--source", "nope").output
    )
    cli("data", "ingest", fixture("dtm.csv"))
    assert "unknown indicator 'nope'" in cli("indicators", "show", "nope").output


def test_registering_the_commands_imports_nothing_heavy():
    code = (
        "import sys, typer; from somlab.evidence import commands; commands.register(typer.Typer()); "
        "print(sorted(m for m in ('duckdb', 'pandas', 'altair', 'pyarrow', 'httpx') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
