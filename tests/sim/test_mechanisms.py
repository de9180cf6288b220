"""Direction and rough size of each lever's effect, against the literature (research/abm.md)."""

from __future__ import annotations

import numpy as np
import pytest

from somlab.sim import settings

from simkit import TOY_ROUTES, focus, run_variant, total, toy_runs, toy_scenario


def test_enforcement_raises_price_on_the_route_and_displaces_crossings(scenario):
    base_s, base = run_variant(scenario)
    hard_s, hard = run_variant(scenario, ["enforcement.libya_italy=*3"])
    libya = base_s.route_names.index("libya_italy")
    price_ratio = np.median(
        [
            h["price_eur"][:, libya].mean() / b["price_eur"][:, libya].mean()
            for b, h in zip(base, hard)
        ]
    )
    # Gathmann (2008): tripled enforcement raised smugglers' prices by 17-30%
    assert 1.1 < price_ratio < 1.6
    others = [r for r in base_s.route_names if r != "libya_italy"]
    moved = total(hard, "departures", others, scenario=hard_s) / total(
        base, "departures", others, scenario=base_s
    )
    assert moved > 1.02  # displacement to the other routes
    assert total(hard, "departures", ["libya_italy"], scenario=hard_s) < total(
        base, "departures", ["libya_italy"], scenario=base_s
    )


@pytest.mark.slow
def test_legal_pathways_reduce_irregular_departures(scenario):
    base_s, base = run_variant(scenario)
    # places go to those about to cross, before smugglers ration capacity: where capacity binds
    # (summer, enforcement, armed groups) a place frees a seat for someone else
    open_s, opened = run_variant(scenario, ["legal_places.central=50000"])
    ratio = focus(opened, open_s, "departures") / focus(base, base_s, "departures")
    assert ratio < 0.85
    assert focus(opened, open_s, "legal_departures") > 5 * focus(base, base_s, "legal_departures")
    small_s, small = run_variant(scenario, ["legal_places.central=4000"])
    assert focus(small, small_s, "departures") < focus(base, base_s, "departures")


@pytest.mark.slow
def test_less_search_and_rescue_raises_deaths_per_departure(scenario):
    base_s, base = run_variant(scenario, runs=5)
    none_s, none = run_variant(scenario, ["state_sar.central=0", "ngo_sar.central=0"], runs=5)
    ratio = focus(none, none_s, "deaths_per_1000_departures") / focus(
        base, base_s, "deaths_per_1000_departures"
    )
    assert ratio > 1.2


def test_sar_modules_disagree_on_departures(tmp_path):
    """No-effect module: SAR leaves departures alone; downgrading module: the cheaper boats SAR
    presence brings mean more crossings. On the toy market, independent of the calibrated file:
    whether cheaper boats outweigh their added danger there depends on the calibrated risk
    aversion, which is an outcome, not the mechanism."""
    sar = [
        (lever, route, "2016-01", "2018-12", 1.0)
        for lever in ("state_sar", "ngo_sar")
        for route in TOY_ROUTES
    ]
    ratios = {}
    for module in ("no_effect", "vessel_downgrading"):
        with_sar = toy_runs(
            settings.apply(
                toy_scenario(tmp_path / f"{module}-sar", sar), [f"mechanisms.sar={module}"]
            )[0]
        )
        without = toy_runs(
            settings.apply(toy_scenario(tmp_path / f"{module}-none"), [f"mechanisms.sar={module}"])[
                0
            ]
        )
        ratios[module] = total(with_sar, "departures") / total(without, "departures")
    assert abs(ratios["no_effect"] - 1) < 0.05
    assert ratios["vessel_downgrading"] > ratios["no_effect"] + 0.02


@pytest.mark.slow
def test_externalisation_payments_cut_departures_short_term_and_raise_interceptions_and_abuse(
    scenario,
):
    # the same patrol fleet in both: payments decide whether armed groups use it
    base_s, base = run_variant(scenario, ["externalisation=0", "coastguard_vessels.libya_italy=10"])
    paid_s, paid = run_variant(
        scenario, ["externalisation.libya_italy=10", "coastguard_vessels.libya_italy=10"]
    )
    first_year = slice(0, 12)
    libya = ["libya_italy"]
    assert total(paid, "departures", libya, first_year, paid_s) < 0.9 * total(
        base, "departures", libya, first_year, base_s
    )
    assert total(paid, "interceptions", libya, first_year, paid_s) > 1.5 * total(
        base, "interceptions", libya, first_year, base_s
    )
    assert total(paid, "exploitation", libya, first_year, paid_s) > total(
        base, "exploitation", libya, first_year, base_s
    )


@pytest.mark.slow
def test_switching_a_mechanism_off_removes_its_lever(scenario):
    off_s, off = run_variant(scenario, ["mechanisms.externalisation=off"])
    paid_s, paid = run_variant(
        scenario, ["mechanisms.externalisation=off", "externalisation.libya_italy=10"]
    )
    assert total(off, "interceptions", ["libya_italy"], scenario=off_s) == total(
        paid, "interceptions", ["libya_italy"], scenario=paid_s
    )
