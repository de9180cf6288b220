"""A parameter file's ensemble: each run after the first draws its parameters from the sample and
the ranges the file carries, reproducibly, paired across compared variants, never overriding what
the user sets; a malformed block fails with file, line and field."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from somlab.sim import service
from somlab.sim.scenario import ScenarioError, load

from simkit import toy_scenario

SAMPLE = {
    "source": "a synthetic sample for the test",
    "parameters": ["settle_rate", "inflow.hub"],
    "points": [[0.02, 3000.0], [0.04, 5000.0], [0.06, 7000.0]],
    "ranges": {"lethality": [0.2, 0.4], "pool_agents": [3000, 5000]},
}


def with_ensemble(folder, block) -> None:
    path = folder / "parameters.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["ensemble"] = block
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "toy"
    toy_scenario(target)
    with_ensemble(target, SAMPLE)
    return target


def drawn(folder, runs=6, seed=4, assignments=(), point=False):
    scenario = load(str(folder))
    members = service.members(scenario, (), runs, seed, assignments, point)
    return scenario, [m.scenario.parameters for m in members]


def test_the_first_run_keeps_the_point_and_later_runs_draw_from_the_sample(folder):
    scenario, parameters = drawn(folder)
    assert parameters[0] == scenario.parameters
    points = {tuple(p) for p in SAMPLE["points"]}
    for p in parameters[1:]:
        assert (p["settle_rate"], p["inflow.hub"]) in points
        assert 0.2 <= p["lethality"] <= 0.4
        assert isinstance(p["pool_agents"], int) and 3000 <= p["pool_agents"] <= 5000
    assert len({p["lethality"] for p in parameters[1:]}) == len(parameters) - 1


def test_a_run_draws_by_its_own_seed_whatever_the_ensemble_size(folder):
    _, six = drawn(folder, runs=6, seed=4)
    _, two = drawn(folder, runs=2, seed=6)
    assert six[3] == two[1]  # both runs have seed 7
    assert drawn(folder, runs=6, seed=4)[1] == six  # reproducible


def test_parameters_the_user_sets_are_never_drawn(folder):
    scenario, parameters = drawn(folder, assignments=["params.lethality=0.33"])
    assert all(p["lethality"] == scenario.parameters["lethality"] for p in parameters)
    assert len({p["settle_rate"] for p in parameters}) > 1


def test_point_keeps_every_run_at_the_file_values(folder):
    scenario, parameters = drawn(folder, point=True)
    assert all(p == scenario.parameters for p in parameters)


def test_compared_variants_draw_the_same_parameters_run_by_run(folder):
    a, b = service.compare(str(folder), None, [], ["legal_places=100"], 4, 2, scheduler="inline")
    assert a.document()["parameter_uncertainty"]["drawn"] is True
    assert "from 3 vectors" in a.document()["parameter_uncertainty"]["note"]
    assert b.document()["parameter_uncertainty"]["sample_size"] == 3
    # the runs differ in their drawn parameters, and variant B's runs draw the same ones as A's
    departures = [float(np.sum(r["departures"])) for r in a.runs]
    assert len(set(departures)) == 4
    members_a = service.members(a.scenario, (), 4, 2, [])
    members_b = service.members(b.scenario, (), 4, 2, ["legal_places=100"])
    assert [m.scenario.parameters for m in members_a] == [m.scenario.parameters for m in members_b]


def test_the_document_says_when_the_bands_are_noise_only(folder):
    result = service.simulate(str(folder), 2, 1, [], scheduler="inline", point=True)
    note = result.document()["parameter_uncertainty"]
    assert note["drawn"] is False and "--point" in note["note"]


@pytest.mark.parametrize(
    "block, field, message",
    [
        (SAMPLE | {"points": [[0.02, 3000.0], [0.04]]}, "ensemble.points[1]", "expected 2 values"),
        (SAMPLE | {"parameters": ["settle_rate", "courage"]}, "ensemble.parameters[1]", "courage"),
        (
            SAMPLE | {"points": [[0.02, 3000.0], [7.0, 5000.0]]},
            "ensemble.points[1][0]",
            "settle_rate must lie in",
        ),
        (SAMPLE | {"ranges": {"lethality": [0.4, 0.2]}}, "ensemble.ranges.lethality", "above"),
        (
            SAMPLE | {"ranges": {"settle_rate": [0.01, 0.02]}},
            "ensemble.ranges.settle_rate",
            "not both",
        ),
    ],
)
def test_a_malformed_ensemble_names_file_line_and_field(folder, block, field, message):
    with_ensemble(folder, block)
    with pytest.raises(ScenarioError) as caught:
        load(str(folder))
    error = caught.value
    assert error.field == field and message in error.message
    assert error.line is not None and error.line > 1
