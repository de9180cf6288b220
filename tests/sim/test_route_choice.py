"""The route choice's whole-array form (one fused kernel on a GPU) makes the same choices, draw for
draw, as the host's compact-subset form, month by month through real runs: the function a GPU
compiles, run here by numpy."""

from __future__ import annotations

import numpy as np

from somlab.sim import model, settings
from somlab.sim.backend import DeviceSubset
from somlab.sim.mechanisms import choice
from somlab.sim.model import Member
from somlab.sim.state import State

from simkit import SMALL


def _choices(s: State, decide, whole_arrays: bool = False):
    """(run, slot, route) of every agent choosing a route this month, as ``decide`` draws them."""
    be = s.be
    if whole_arrays:  # the GPU path's function and masks, run by numpy
        be.fused = lambda factory, *static: factory(np, *static)
        be.subset = lambda mask: DeviceSubset(mask, be)
    try:
        decide(s)
    finally:
        be.__dict__.pop("fused", None)
        be.__dict__.pop("subset", None)
    m = s.month
    if whole_arrays:
        rows, cols = np.nonzero(m.choosers.mask)
        return rows, cols, m.route_c[rows, cols]
    return m.choosers.rows, m.choosers.cols, m.route_c


def test_whole_array_route_choice_equals_the_host_path_draw_for_draw(scenario, monkeypatch):
    small, overrides = settings.apply(scenario, SMALL)
    compared = []

    def checked(s: State) -> None:
        saved = [g.bit_generator.state for g in s.be._rngs]

        def replay():
            for g, state in zip(s.be._rngs, saved):
                g.bit_generator.state = state

        whole = _choices(s, choice.decide, whole_arrays=True)
        replay()
        host = _choices(s, choice.decide)  # last: the run goes on with the host path's choice
        for name, a, b in zip(("run", "slot", "route"), host, whole):
            assert np.array_equal(a, b), (
                f"month {s.month.t}: the whole-array function's {name}s differ from the host path's"
            )
        compared.append(len(host[0]))

    plan = model.stage_plan

    def plan_with_check(mechanisms):
        return [
            (stage, name, checked if fn is choice.decide else fn)
            for stage, name, fn in plan(mechanisms)
        ]

    monkeypatch.setattr(model, "stage_plan", plan_with_check)
    model.run_batch([Member(small, overrides, seed) for seed in (3, 4)])
    assert len(compared) == len(small.months) + int(small.parameters["spinup_months"])
    assert sum(compared) > 10_000  # many choices compared, not a few
