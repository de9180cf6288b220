"""`somlab assess` and `somlab law`: JSON contract, memo, batches, errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from somlab.law import commands

RESULT_KEYS = {
    "jurisdiction",
    "version",
    "offence",
    "aggravated",
    "provisions",
    "exemptions",
    "optional_exemptions",
    "missing_facts",
    "trace",
    "undecided_by",
}


@pytest.fixture(scope="module")
def cli():
    app = typer.Typer()
    commands.register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_assess_json_follows_the_contract(cli):
    res = cli("assess", "--examples", "--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["schema"] == "somlab.assessment/1"
    ids = [c["id"] for c in doc["cases"]]
    assert "family-car-crossing" in ids
    for case in doc["cases"]:
        assert {"id", "date", "results", "findings"} <= set(case)
        codes = [r["jurisdiction"] for r in case["results"]]
        assert codes[:2] == ["UN-SOM", "UN-TIP"]
        for r in case["results"]:
            assert RESULT_KEYS <= set(r)
            assert r["offence"] in (True, False, None)
            assert r["trace"], "every result carries a non-empty trace"
            for step in r["trace"]:
                assert step["provision"] and step["quote"] and "value" in step
            if r["offence"] is None:  # open for unknown facts or for rules not encoded
                assert r["missing_facts"] or r["undecided_by"]
            for u in r["undecided_by"]:
                assert {"id", "kind", "provision"} <= set(u)
            if r["offence"] is False:
                assert r["aggravated"] is False
        for f in case["findings"]:
            assert {"kind", "jurisdiction", "detail"} <= set(f)
    family = doc["cases"][ids.index("family-car-crossing")]["results"][0]
    assert family["offence"] is False and "UN-SOM art 5" in family["exemptions"]


def test_assess_memo_and_jurisdiction_filter(cli):
    res = cli("assess", "--examples", "-j", "UN-SOM")
    assert res.exit_code == 0
    assert "UN-SOM: OFFENCE, aggravated" in res.stdout
    assert "UN-TIP" not in res.stdout
    assert "To decide, establish:" in res.stdout  # the undetermined example


def test_unknown_jurisdiction_is_a_clear_error(cli):
    res = cli("assess", "--examples", "-j", "XX")
    assert res.exit_code == 2
    assert "unknown jurisdiction 'XX'" in res.stderr


def test_bad_case_file_exit_code_and_message(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: a\ndate: 2020-01-01\nbenefit: {obtained: yes please}\n")
    res = cli("assess", str(bad))
    assert res.exit_code == 2
    assert "bad.yaml, line 3, field 'benefit.obtained'" in res.stderr


def test_batch_parquet_to_parquet(cli, tmp_path):
    src = tmp_path / "cases.parquet"
    pq.write_table(
        pa.table(
            {
                "id": ["a", "b", "c"],
                "date": ["2019-01-01", "2019-01-01", "2002-01-01"],
                "benefit.obtained": [True, None, True],
                "conduct.intentional": [True, True, True],
                "conduct.facilitated": ["entry", "entry", "entry"],
                "migrants.irregular": [True, True, True],
                "migrants.nationals_or_residents": [False] * 3,
                "actor.is_smuggled_migrant": [False] * 3,
                "actor.is_family_member": [False] * 3,
                "motive.humanitarian": [False] * 3,
            }
        ),
        src,
    )
    out = tmp_path / "verdicts.parquet"
    res = cli("assess", str(src), "--out", str(out), "-j", "UN-SOM")
    assert res.exit_code == 0, res.output
    table = pq.read_table(out).to_pydict()
    # c predates the Protocol's entry into force: it defined no offence (null, not "no")
    assert table["offence"] == [True, None, None]
    assert "benefit.obtained" in table["missing_facts"][1].split(";")
    assert table["missing_facts"][0] in ("", None) or "benefit" not in table["missing_facts"][0]
    assert set(table) >= {"id", "jurisdiction", "offence", "aggravated", "missing_facts"}


def test_batch_failure_leaves_no_output(cli, tmp_path):
    src = tmp_path / "cases.csv"
    src.write_text("id,date,benefit.obtained\na,2019-01-01,perhaps\n")
    out = tmp_path / "verdicts.csv"
    res = cli("assess", str(src), "--out", str(out))
    assert res.exit_code == 2 and "line 2" in res.stderr
    assert not out.exists()


def test_law_list_show_check(cli):
    res = cli("law", "list", "--format", "json")
    assert res.exit_code == 0
    codes = [x["code"] for x in json.loads(res.stdout)["laws"]]
    assert codes[:2] == ["UN-SOM", "UN-TIP"]
    res = cli("law", "show", "UN-SOM", "--as-of", "2020-01-01")
    assert res.exit_code == 0 and "Migrants shall not become liable" in res.stdout
    res = cli("law", "show", "UN-SOM", "--as-of", "2001-01-01")
    assert res.exit_code == 2 and "no version of UN-SOM in force" in res.stderr
    res = cli("law", "check")
    assert res.exit_code == 0 and "corpus OK" in res.stdout


def test_console_script_runs_as_a_process():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "somlab.cli",
            "assess",
            "--examples",
            "-j",
            "UN-SOM",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["schema"] == "somlab.assessment/1"
