"""The onward passage beyond the landing country (``onward_passage`` lever, ``onward_value.<corridor>``
parameter) on the toy market, independent of the bundled calibration: while the passage is closed
the corridor's routes are worth less, so people wait and a stock builds; when it opens the stock
crosses, and when it closes again crossings fall at once."""

from __future__ import annotations

import pytest

from somlab.sim.scenario import ScenarioError

from simkit import toy_runs, toy_scenario

OPEN = [("onward_passage", "hub", "2017-01", "2017-06", 1.0)]


def departures(runs, months):
    return sum(float(r["departures"][months].sum()) for r in runs) / len(runs)


def test_an_open_passage_releases_the_stock_and_its_closure_stops_it(tmp_path):
    closed_first, opened, closed_again = slice(0, 12), slice(12, 18), slice(18, 24)
    runs = toy_runs(toy_scenario(tmp_path / "a", OPEN, **{"onward_value.hub": 3.0}))
    assert departures(runs, opened) / 6 > 3 * departures(runs, closed_first) / 12
    assert departures(runs, closed_again) / 6 < departures(runs, opened) / 6 / 3
    # without a value of going on, the lever changes nothing
    plain = toy_runs(toy_scenario(tmp_path / "b"))
    with_lever = toy_runs(toy_scenario(tmp_path / "c", OPEN))
    assert all((p["departures"] == w["departures"]).all() for p, w in zip(plain, with_lever))


def test_an_onward_value_out_of_range_names_its_field(tmp_path):
    with pytest.raises(ScenarioError) as error:
        toy_scenario(tmp_path / "a", OPEN, **{"onward_value.hub": -1.0})
    assert "onward_value.hub" in str(error.value)
