"""`pip install somlab` (the core) runs the law engine's commands: they import none of the modules
the extras bring (pyproject.toml [project.optional-dependencies]), and a command whose extra is
missing names the extra to install."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import somlab
from somlab import cli
from somlab.cli import COMMAND_EXTRAS, EXTRA_MODULES, EXTRA_PULLS, MODULE_EXTRAS, missing_extra

SRC = Path(somlab.__file__).resolve().parents[1]
PYPROJECT = SRC.parent / "pyproject.toml"

CORE_COMMANDS = [
    ["--help"],
    ["assess", "--examples", "--format", "json"],
    ["law", "list"],
    ["law", "show", "IT"],
    ["conformity", "--format", "json"],
    ["reform", "list"],
    ["cases", "--format", "json"],
    ["protocol", "show", "6"],
]

# Runs each command in turn in one fresh interpreter and reports, after each, its exit code and
# the top-level modules imported by then.
PROBE = """
import contextlib, io, json, sys
from somlab import cli
cli._register_all()
report = []
for args in json.loads(sys.argv[1]):
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            cli.app(args, prog_name="somlab")
            code = 0
        except SystemExit as exc:
            code = exc.code
    report.append({"args": args, "code": code,
                   "modules": sorted({m.split(".")[0] for m in sys.modules})})
print(json.dumps(report))
"""


def test_core_commands_import_no_extra():
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(CORE_COMMANDS)],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert [step["args"] for step in report] == CORE_COMMANDS
    for step in report:
        extras = sorted(set(step["modules"]) & MODULE_EXTRAS.keys())
        assert (step["code"], extras) == (0, []), f"somlab {' '.join(step['args'])}: {extras}"


def test_the_cli_knows_the_extras_of_pyproject():
    declared = tomllib.loads(PYPROJECT.read_text())["project"]["optional-dependencies"]
    assert set(COMMAND_EXTRAS.values()) | set(EXTRA_MODULES) <= declared.keys()
    for extra, pulled in EXTRA_PULLS.items():
        assert f"somlab[{','.join(sorted(pulled))}]" in declared[extra]


def test_a_command_whose_extra_is_missing_stops_before_it_runs(monkeypatch, capsys):
    real = cli.find_spec
    monkeypatch.setattr(cli, "find_spec", lambda name: None if name == "duckdb" else real(name))
    monkeypatch.setattr(sys, "argv", ["somlab", "serve", "--port", "8001"])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 2
    assert capsys.readouterr().err == (
        "error: install somlab[web] for `somlab serve` (duckdb is not installed): "
        "pip install 'somlab[web]'\n"
    )
    assert cli.extra_not_installed(["serve", "--help"]) is None
    assert cli.extra_not_installed(["law", "list"]) is None


def test_missing_extra_names_the_command_and_the_extra():
    message = missing_extra("duckdb", ["serve", "--port", "8001"])
    assert message == (
        "install somlab[web] for `somlab serve` (duckdb is not installed): "
        "pip install 'somlab[web]'"
    )
    assert "somlab[charts]" in missing_extra("altair.vegalite", ["review", "scorecard"])


@pytest.mark.parametrize("module", ["numpy", "pydantic", "somlab.law.nowhere", None])
def test_a_missing_core_module_is_not_blamed_on_an_extra(module):
    assert missing_extra(module, ["assess"]) is None
