"""Malformed scenarios fail with one message naming file, line and field; the command exits 2."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from somlab.sim import commands
from somlab.sim.scenario import ScenarioError, load, resolve

BUNDLED = "central-mediterranean-2014-2019"


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "scenario"
    shutil.copytree(resolve(BUNDLED), target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _line_of(path: Path, needle: str) -> int:
    return next(
        i for i, line in enumerate(path.read_text().splitlines(), start=1) if needle in line
    )


def test_unknown_parameter_names_file_line_and_field(folder):
    _replace(
        folder / "parameters.yaml", "  downgrade_risk: 1.0", "  downgrade_risk: 1.0\n  courage: 3"
    )
    with pytest.raises(ScenarioError) as err:
        load(str(folder))
    assert (
        f"parameters.yaml, line {_line_of(folder / 'parameters.yaml', 'courage')}, field 'parameters.courage'"
        in str(err.value)
    )


def test_wrong_type_in_yaml(folder):
    _replace(folder / "parameters.yaml", "  downgrade_risk: 1.0", "  downgrade_risk: high")
    with pytest.raises(
        ScenarioError,
        match=r"line \d+, field 'parameters.downgrade_risk': expected float, found 'high'",
    ):
        load(str(folder))


def test_malformed_yaml_names_line(folder):
    _replace(folder / "parameters.yaml", "  downgrade_risk: 1.0", "  downgrade_risk: [1.0")
    with pytest.raises(ScenarioError, match=r"parameters.yaml, line \d+: not valid YAML"):
        load(str(folder))


def test_bad_date_in_levers(folder):
    _replace(folder / "levers.csv", "2017-05,2017-06,1.0", "2017-05,2017-13,1.0")
    with pytest.raises(ScenarioError) as err:
        load(str(folder))
    line = _line_of(folder / "levers.csv", "2017-13")
    assert (
        f"levers.csv, line {line}, field 'end': expected a month as YYYY-MM, found '2017-13'"
        in str(err.value)
    )


def test_unknown_lever_and_unknown_column(folder):
    _replace(
        folder / "levers.csv", "externalisation,libya_italy,2017-05", "bribes,libya_italy,2017-05"
    )
    with pytest.raises(
        ScenarioError, match=r"levers.csv, line \d+, field 'lever': unknown lever 'bribes'"
    ):
        load(str(folder))
    _replace(folder / "levers.csv", "bribes", "externalisation")
    _replace(folder / "routes.csv", "armed_groups,source", "armed_groups,colour")
    with pytest.raises(ScenarioError, match=r"routes.csv, line 1, field 'colour': unknown column"):
        load(str(folder))


def test_wrong_type_in_routes(folder):
    _replace(
        folder / "routes.csv", "libya_italy,central,LY,IT,100", "libya_italy,central,LY,IT,many"
    )
    with pytest.raises(
        ScenarioError, match=r"routes.csv, line 2, field 'boat_persons': expected int, found 'many'"
    ):
        load(str(folder))


def test_command_prints_error_and_exits_2(folder):
    _replace(folder / "parameters.yaml", "  downgrade_risk: 1.0", "  downgrade_risk: 70")
    app = typer.Typer()
    commands.register(app)
    result = CliRunner().invoke(
        app, ["simulate", str(folder), "--runs", "1", "--scheduler", "inline"]
    )
    assert result.exit_code == 2
    assert "field 'parameters.downgrade_risk': must lie in [0, 10], found 70" in result.output


def test_bad_set_and_missing_backend_exit_2():
    app = typer.Typer()
    commands.register(app)
    runner = CliRunner()
    result = runner.invoke(
        app, ["simulate", BUNDLED, "--runs", "1", "--scheduler", "inline", "--set", "bribes=3"]
    )
    assert result.exit_code == 2 and "unknown lever 'bribes'" in result.output
    result = runner.invoke(
        app, ["simulate", BUNDLED, "--runs", "1", "--scheduler", "inline", "--backend", "cupy"]
    )
    assert result.exit_code == 2 and "backend 'cupy' is not usable here" in result.output


def test_observed_totals_rows_are_checked(folder):
    totals = folder / "observed_totals.csv"
    _replace(
        totals,
        "interceptions_libya,2018-01,2018-12,15235",
        "interceptions_libya,2018-01,2018-12,many",
    )
    with pytest.raises(
        ScenarioError,
        match=rf"observed_totals.csv, line {_line_of(totals, 'many')}, field 'value': expected float, found 'many'",
    ):
        load(str(folder))
    _replace(totals, "2018-12,many", "2017-12,15235")
    with pytest.raises(
        ScenarioError,
        match=r"observed_totals.csv, line \d+, field 'end': end 2017-12 is before start 2018-01",
    ):
        load(str(folder))
    _replace(totals, "interceptions_libya,2018-01,2017-12", "pushbacks,2018-01,2018-12")
    with pytest.raises(
        ScenarioError,
        match=r"field 'target': 'pushbacks' is not a validation target with totals: true",
    ):
        load(str(folder))
    _replace(totals, "pushbacks,2018-01,2018-12", "interceptions_libya,2013-01,2013-12")
    with pytest.raises(
        ScenarioError,
        match=r"field 'start': 2013-01 - 2013-12 is not inside the period 2014-01 - 2019-12",
    ):
        load(str(folder))


def test_totals_target_needs_its_file_and_an_outcome(folder):
    (folder / "observed_totals.csv").unlink()
    with pytest.raises(
        ScenarioError,
        match=r"observed_totals.csv: file missing: validation.attempts_central has totals: true",
    ):
        load(str(folder))
    _replace(
        folder / "parameters.yaml",
        "    outcome: interceptions\n    totals: true",
        "    outcome: pushbacks\n    totals: true",
    )
    with pytest.raises(
        ScenarioError,
        match=r"field 'validation.interceptions_libya.outcome': expected one of arrivals, deaths, interceptions",
    ):
        load(str(folder))


def test_lever_settings_outside_their_range_are_refused_not_clipped():
    """The CLI and the API share one validation: a factor outside [0, 50] or a value outside the
    lever's range is an error (exit 2), never silently clipped."""
    from somlab.sim import settings

    scenario = load(BUNDLED)
    with pytest.raises(settings.SettingError, match=r"enforcement factor must lie in \[0, 50\]"):
        settings.apply(scenario, ["enforcement.libya_italy=*80"])
    with pytest.raises(settings.SettingError, match=r"state_sar value must lie in \[0, 5\]"):
        settings.apply(scenario, ["state_sar=9"])
    assert settings.apply(scenario, ["enforcement.libya_italy=*50"])[1] == (
        ("enforcement", "libya_italy", "*", 50.0),
    )
    app = typer.Typer()
    commands.register(app)
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            BUNDLED,
            "--runs",
            "1",
            "--scheduler",
            "inline",
            "--set",
            "enforcement.libya_italy=*80",
        ],
    )
    assert result.exit_code == 2 and "enforcement factor must lie in [0, 50]" in result.output
