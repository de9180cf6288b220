"""Cluster 1 computed from conformity: idempotent, never overwriting a reviewer."""

import datetime as dt

import typer
import yaml
from typer.testing import CliRunner

from somlab.review import commands
from somlab.review.compute import computed_entries
from somlab.review.files import load_review

app = typer.Typer()
commands.register(app)
runner = CliRunner()


def _init(*args):
    result = runner.invoke(app, ["review", "init", *args])
    assert result.exit_code == 0, result.output
    return result


def test_cluster_one_statuses_read_off_the_profile():
    entries = computed_entries("GB", dt.date(2024, 6, 1))
    status = {k: e.status for k, e in entries.items()}
    assert status["6(1)(a)"] == "implemented" and status["6(2)(a)"] == "unknown"
    # s. 25(1) concerns a breach "by an individual" other than the actor: the migrant's own entry
    # is s. 24, so smuggled_migrant_exempt is true
    assert status["5"] == "implemented"
    assert status["3(a)"] == "partially"  # an offence, but no benefit element
    for e in entries.values():
        assert e.computed and e.computed_status == e.status and e.computed_as_of == "2024-06-01"
        if e.status != "unknown":
            assert e.evidence and all(i["kind"] == "corpus" and i["conformity"] for i in e.evidence)


def test_init_twice_gives_the_same_file(tmp_path):
    out = tmp_path / "gb.yaml"
    _init("GB", "--as-of", "2024-06-01", "--out", str(out))
    first = out.read_text()
    _init("GB", "--out", str(out))
    assert out.read_text() == first


def test_a_reviewers_status_is_kept_and_the_computed_value_noted(tmp_path):
    out = tmp_path / "gb.yaml"
    _init("GB", "--as-of", "2024-06-01", "--out", str(out))
    data = yaml.safe_load(out.read_text())
    data["entries"]["5"]["status"] = "partially"  # the reviewer disagrees
    data["entries"]["5"]["gaps"] = ["reviewer's own reading"]
    out.write_text(yaml.safe_dump(data, sort_keys=False))
    result = _init("GB", "--out", str(out))
    assert "reviewer's partially kept (computed: implemented)" in result.stderr
    entry = load_review(out).entries["5"]
    assert entry.status == "partially" and entry.gaps == ["reviewer's own reading"]
    assert entry.computed is False and entry.computed_status == "implemented"
    assert "reviewer's status (partially) is kept" in entry.computed_note
    again = out.read_text()
    _init("GB", "--out", str(out))
    assert out.read_text() == again


def test_init_refuses_another_states_file_and_unknown_codes(tmp_path):
    out = tmp_path / "gb.yaml"
    _init("GB", "--as-of", "2024-06-01", "--out", str(out))
    result = runner.invoke(app, ["review", "init", "IT", "--out", str(out)])
    assert result.exit_code == 2 and "the review is of GB" in result.stderr
    result = runner.invoke(app, ["review", "init", "ZZ"])
    assert result.exit_code == 2 and "unknown jurisdiction 'ZZ'" in result.stderr
