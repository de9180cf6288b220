"""Is the route choice exact? Month by month through real runs of the bundled scenario (numpy):

1. arithmetic: the model's choice (float32 weights, the sure-wait shortcut) against the same
   choice in float64 for every active agent, without the shortcut, on the same uniform draws:
   how many choices differ;
2. distribution: ``--draws`` further choices per month on the month's state, by the model's rule
   (one uniform per agent against the cumulative logit weights) and by the Gumbel-max rule of the
   engine before the array program (float32 Gumbel noise on every option, the best against
   waiting plus its own noise), each set against the expected number of agents per route (the
   sum of every agent's float64 logit probabilities): a bias shows as a growing z-score.

    PYTHONPATH=src python bench/choice_accuracy.py [--runs 8] [--seed 1] [--draws 4]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from somlab.sim import model, service  # noqa: E402
from somlab.sim.mechanisms import choice  # noqa: E402
from somlab.sim.model import Member  # noqa: E402
from somlab.sim.state import State  # noqa: E402

SCENARIO = "central-mediterranean-2014-2019"


def utilities(s: State):
    """[R, width, n] float64 utility of each route for each slot before noise (risk included;
    -inf where out of reach), and the slots' active mask."""
    m, q, r = s.month, s.params(choice.Params), s.routes
    a = s.agents.view(m.width)
    n_corr = r.n_corridors
    moves = (r.corridor[None, :] != np.arange(n_corr)[:, None]).astype(float)
    season_utility = q.season_amplitude * m.season * (1.0 - m.season_damping)
    base = (
        -q.price_sensitivity[:, :, None]
        * (m.price[:, None, :] + q.corridor_switch_eur[:, :, None] * moves[None])
        / 1000.0
        + np.broadcast_to(season_utility, m.price.shape)[:, None, :]
    )
    rows = np.arange(s.runs)[:, None]
    utility = (
        base[rows, a.corridor]
        - a.risk_aversion[..., None].astype(float) * s.market.perceived_risk[:, None, :]
    )
    reach = a.budget.astype(float) + q.credit_limit_eur - a.debt
    return np.where((reach[..., None] >= m.price[:, None, :]), utility, -np.inf), a.active


def probabilities(s: State, utility, active):
    """[R, width, n + 1] float64 logit probabilities: waiting first, then each route."""
    wait = np.broadcast_to(s.params(choice.Params).wait_utility[..., None], (*utility.shape[:2], 1))
    options = np.concatenate([wait, utility], axis=2)
    weights = np.exp(options - options.max(axis=2, keepdims=True))
    return np.where(active[..., None], weights / weights.sum(axis=2, keepdims=True), 0.0)


def by_inverse_cdf(p, u):
    """Route (-1: waiting) of each slot for uniform draws ``u``, as the model draws it."""
    ends = np.cumsum(p, axis=2)
    passed = (u[..., None] * ends[..., -1:] >= ends).sum(axis=2)
    return np.where((passed >= 1) & (passed < p.shape[2]), passed - 1, -1)


def by_gumbel_max(utility, wait_utility, rng):
    """The engine before the array program: float32 Gumbel noise on every option."""

    def gumbel(shape):
        return -np.log(-np.log(rng.random(shape, dtype=np.float32) + 1e-12) + 1e-12)

    noisy = utility.astype(np.float32) + gumbel(utility.shape)
    best = noisy.argmax(axis=2)
    goes = noisy.max(axis=2) > wait_utility.astype(np.float32) + gumbel(utility.shape[:2])
    return np.where(goes, best, -1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--draws", type=int, default=4, help="further choices per month for the distribution check"
    )
    args = parser.parse_args()
    scenario, overrides = service.prepare(SCENARIO, [])
    n = len(scenario.route_names)
    rng = np.random.default_rng([args.seed, 7])
    counts = {
        name: np.zeros(n)
        for name in ("model", "float64", "expected", "variance", "model rule", "Gumbel-max rule")
    }
    differ = [0]

    def count(name, routes):
        counts[name] += np.bincount(routes[routes >= 0], minlength=n)

    def checked(s: State) -> None:
        saved = [g.bit_generator.state for g in s.be._rngs]
        u = s.be.uniform(s.month.width)
        for g, state in zip(s.be._rngs, saved):
            g.bit_generator.state = state
        utility, active = utilities(s)
        p = probabilities(s, utility, active)
        exact = by_inverse_cdf(p, u.astype(float))
        choice.decide(s)  # draws the same u again
        routes = np.full(exact.shape, -1)
        routes[s.month.choosers.rows, s.month.choosers.cols] = s.month.route_c
        count("model", routes)
        count("float64", exact)
        differ[0] += int((routes != exact).sum())
        counts["expected"] += args.draws * p[..., 1:].sum(axis=(0, 1))
        counts["variance"] += args.draws * (p[..., 1:] * (1 - p[..., 1:])).sum(axis=(0, 1))
        wait_utility = np.broadcast_to(s.params(choice.Params).wait_utility, utility.shape[:2])
        for _ in range(args.draws):
            count(
                "model rule",
                np.where(
                    active,
                    by_inverse_cdf(p.astype(np.float32), rng.random(u.shape, dtype=np.float32)),
                    -1,
                ),
            )
            count(
                "Gumbel-max rule", np.where(active, by_gumbel_max(utility, wait_utility, rng), -1)
            )

    plan = model.stage_plan
    model.stage_plan = lambda mechanisms: [
        (st, name, checked if fn is choice.decide else fn) for st, name, fn in plan(mechanisms)
    ]
    model.run_batch([Member(scenario, overrides, args.seed + i) for i in range(args.runs)])
    print(
        f"{args.runs} runs of {SCENARIO} (seeds {args.seed}-{args.seed + args.runs - 1}), every month; routes "
        f"{', '.join(scenario.route_names)}"
    )
    print("1. the model's choice and the float64 choice without the shortcut, same draws:")
    for name in ("model", "float64"):
        print(
            f"   agents choosing each route, {name:8s}: {', '.join(f'{c:,.0f}' for c in counts[name])}"
        )
    print(f"   choices that differ: {differ[0]:,}")
    print(
        f"2. {args.draws} further choices a month against the expected counts (sum of float64 probabilities):"
    )
    print(f"   expected: {', '.join(f'{c:,.0f}' for c in counts['expected'])}")
    for name in ("model rule", "Gumbel-max rule"):
        z = (counts[name] - counts["expected"]) / np.sqrt(counts["variance"])
        rel = counts[name] / counts["expected"] - 1
        print(
            f"   {name:16s}: {', '.join(f'{c:,.0f} ({r:+.2%}, z {v:+.1f})' for c, r, v in zip(counts[name], rel, z))}"
        )


if __name__ == "__main__":
    main()
