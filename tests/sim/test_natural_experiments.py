"""Natural experiments on small toy scenarios built here, with hand-set rescue parameters and a
lever timeline written in the test (not the calibrated file): the direction of each effect must
hold whatever the calibration says."""

from __future__ import annotations

import dataclasses

import numpy as np

from somlab.sim import ensemble, settings
from somlab.sim.scenario import LeverRow

from simkit import SMALL

# rescue hand-set so that a lost boat is a real risk: a rescue hazard of 0.3 without dedicated
# SAR, one unit more per unit of state or NGO presence; half of those aboard a lost boat die
TOY_PARAMS = [
    "params.rescue_baseline=0.3",
    "params.rescue_state=1.0",
    "params.rescue_ngo=1.5",
    "params.lethality=0.5",
    "params.criminalisation_deterrence=0.8",
    "params.transit_deterrence=0",
    "params.spinup_months=6",
]
RUNS = 6


def toy(scenario, rows):
    """The bundled routes and period with only the lever rows given (index = month of the period)."""
    month = scenario.months.index
    levers = [
        LeverRow(lever, target, month(start), month(end), value, "toy timeline")
        for lever, target, start, end, value in rows
    ]
    return dataclasses.replace(scenario, lever_rows=levers)


def death_rate(scenario, rows, first, last, extra=()):
    """Dead and missing per 1,000 departures on Libya-Italy over first..last, one figure per run
    (runs paired by seed across variants)."""
    variant, overrides = settings.apply(toy(scenario, rows), SMALL + TOY_PARAMS + list(extra))
    runs = ensemble.run_ensemble(variant, RUNS, 5, "numpy", overrides)
    i, j = scenario.months.index(first), scenario.months.index(last)
    k = scenario.route_names.index("libya_italy")
    return np.array(
        [
            1000
            * r["dead_missing"][i : j + 1, k].sum()
            / max(r["departures"][i : j + 1, k].sum(), 1)
            for r in runs
        ]
    )


SAR = [
    ("state_sar", "central", "2014-01", "2019-12", 0.5),
    ("ngo_sar", "central", "2014-01", "2019-12", 1.0),
]


def test_removing_the_rescuers_raises_the_death_rate(scenario):
    with_rescuers = death_rate(scenario, SAR, "2015-01", "2016-12")
    without = death_rate(scenario, [], "2015-01", "2016-12")
    assert np.median(without) > 1.5 * np.median(with_rescuers)


def test_closing_ports_to_ngo_ships_raises_the_death_rate(scenario):
    """June 2018: criminalisation 0.8 from then on removes most NGO presence; the death rate of
    June 2018 - December 2019 rises against the same toy without the closure."""
    closed = SAR + [("criminalisation", "central", "2018-06", "2019-12", 0.8)]
    before = death_rate(scenario, SAR, "2018-06", "2019-12")
    after = death_rate(scenario, closed, "2018-06", "2019-12")
    assert np.median(after) > 1.2 * np.median(before)
    assert np.mean(after > before) >= 0.8  # run by run (same seeds), not only in the median


def test_pulled_back_boats_can_be_in_distress(scenario):
    """Armed groups paid to interdict on Libya-Italy throughout, with a patrol fleet large enough,
    pull back most boats. Were distress to wait for interception, the death rate would fall with
    the share not pulled back; were the interceptor one more rescuer, it would fall too. It does
    not fall by much: a boat may be in distress (and lose people) before it is reached, and it
    waits for the same rescuers as any other."""
    paid = SAR + [
        ("externalisation", "libya_italy", "2014-01", "2019-12", 50.0),
        ("coastguard_vessels", "libya_italy", "2014-01", "2019-12", 100.0),
    ]
    extra = [
        "params.armed_interdiction=2",
        "params.armed_switch_speed=1",
        "params.armed_capacity_share=0",
        "params.interdiction_boats_per_vessel=10",
    ]
    variant, overrides = settings.apply(toy(scenario, paid), SMALL + TOY_PARAMS + extra)
    runs = ensemble.run_ensemble(variant, RUNS, 5, "numpy", overrides)
    k, window = scenario.route_names.index("libya_italy"), slice(12, 36)
    # pooled over runs: deaths come in a few wrecks, so a run's own rate is noisy
    departures = sum(r["departures"][window, k].sum() for r in runs)
    pulled_back = sum(r["interceptions"][window, k].sum() for r in runs) / departures
    rate = 1000 * sum(r["dead_missing"][window, k].sum() for r in runs) / departures
    free = np.mean(death_rate(scenario, SAR, "2015-01", "2016-12"))
    assert pulled_back > 0.6
    assert rate > 0.7 * free > 1.5 * (1 - pulled_back) * free


def test_a_small_patrol_fleet_cannot_pull_back_a_mass_departure(scenario):
    """Interdiction at sea is limited by the patrol vessels in service: the same payments with
    four vessels pull back fewer people than with forty, and the share pulled back is smaller in
    the months with most boats (summer) than in the quietest."""

    def pulled_back(vessels):
        rows = SAR + [
            ("externalisation", "libya_italy", "2014-01", "2019-12", 50.0),
            ("coastguard_vessels", "libya_italy", "2014-01", "2019-12", vessels),
        ]
        extra = [
            "params.armed_interdiction=2",
            "params.armed_switch_speed=1",
            "params.armed_capacity_share=0",
        ]
        variant, overrides = settings.apply(toy(scenario, rows), SMALL + TOY_PARAMS + extra)
        return ensemble.run_ensemble(variant, RUNS, 5, "numpy", overrides)

    k, window = scenario.route_names.index("libya_italy"), slice(12, 36)
    few, many = pulled_back(4.0), pulled_back(40.0)
    assert sum(r["interceptions"][window, k].sum() for r in many) > 1.5 * sum(
        r["interceptions"][window, k].sum() for r in few
    )
    departures = sum(r["departures"][window, k] for r in few)
    share = sum(r["interceptions"][window, k] for r in few) / np.maximum(departures, 1)
    busy, quiet = np.argmax(departures), np.argmin(departures)
    assert share[busy] < share[quiet]


def test_handing_rescue_coordination_over_raises_the_death_rate(scenario):
    """July 2018 on (the Libyan rescue region): with every rescuer slowed by the handover
    (hand-set delay 0.5), the death rate of July 2018 - December 2019 rises; with no delay it
    does not move (the lever acts only through the delay)."""
    handover = SAR + [("rescue_handover", "libya_italy", "2018-07", "2019-12", 1.0)]
    before = death_rate(scenario, SAR, "2018-07", "2019-12", ["params.handover_delay=0.5"])
    after = death_rate(scenario, handover, "2018-07", "2019-12", ["params.handover_delay=0.5"])
    assert np.median(after) > 1.2 * np.median(before)
    assert np.array_equal(
        death_rate(scenario, handover, "2018-07", "2019-12", ["params.handover_delay=0"]),
        death_rate(scenario, SAR, "2018-07", "2019-12", ["params.handover_delay=0"]),
    )
