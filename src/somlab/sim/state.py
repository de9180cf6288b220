"""The model's typed state: what a stage reads and writes.

A batch of R runs advances together. Agent arrays are [R, M] (row r is run r; slot i of a row is
one agent standing for ``persons_per_agent`` people, or a free slot); route quantities are
[R, n_routes] and corridor quantities [R, n_corridors], all on the backend's device. Parameters
are [R, 1] columns, so that each run can have its own parameter vector (calibration) and
broadcasting applies them row by row.

``Agents`` and ``Market`` persist from month to month; ``Month`` is rebuilt every month and
carries what one stage hands to the next. A stage is a function of the whole ``State``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

STAGES = (
    "spawn",
    "decide",
    "price",
    "depart",
    "sea",
    "intercept",
    "rescue",
    "arrive",
    "exploit",
    "record",
)


@dataclass(frozen=True)
class Mechanism:
    """A mechanism: its switch (``None`` for the model's core), the values the switch takes, its
    typed parameters and the functions it runs in named stages."""

    name: str
    switch_values: tuple[str, ...] | None
    params: type | None
    stages: tuple[tuple[str, Callable[[State], None]], ...]

    def __post_init__(self):
        unknown = [stage for stage, _ in self.stages if stage not in STAGES]
        if unknown:
            raise ValueError(
                f"mechanism {self.name}: unknown stage {unknown[0]!r}; stages: {', '.join(STAGES)}"
            )


@dataclass
class Agents:
    """Struct of arrays, [R, M]; free slots have ``active`` False."""

    active: Any
    corridor: Any
    budget: Any
    debt: Any
    risk_aversion: Any

    @classmethod
    def empty(cls, xp, runs: int, size: int) -> Agents:
        return cls(
            active=xp.zeros((runs, size), dtype=bool),
            corridor=xp.zeros((runs, size), dtype=xp.int32),
            budget=xp.zeros((runs, size), dtype=xp.float32),
            debt=xp.zeros((runs, size), dtype=xp.float32),
            risk_aversion=xp.zeros((runs, size), dtype=xp.float32),
        )

    @property
    def size(self) -> int:
        return int(self.active.shape[1])

    def grow(self, xp, size: int) -> None:
        """Enlarge every array to ``size`` slots (the new ones free)."""
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            pad = xp.zeros((value.shape[0], size - value.shape[1]), dtype=value.dtype)
            setattr(self, f.name, xp.concatenate([value, pad], axis=1))

    def view(self, width: int) -> Agents:
        """The first ``width`` slots of every array (writes go through to the arrays)."""
        return Agents(
            self.active[:, :width],
            self.corridor[:, :width],
            self.budget[:, :width],
            self.debt[:, :width],
            self.risk_aversion[:, :width],
        )


@dataclass
class Market:
    """Route state carried between months, [R, n_routes]."""

    markup: Any
    interdicting: Any  # share of armed groups' capacity turned to interdiction
    expected_revenue: Any  # what armed groups expect smuggling to pay (EUR per month)
    perceived_risk: Any  # migrants' lagged estimate of the probability of dying
    congestion: Any  # last month's share of rescue hazard left by boats in distress
    capacity_scale: Any  # smugglers' capacity relative to the route's base, after entry and exit
    started: bool = False  # False until the first month has set revenue and perceived risk


@dataclass
class Routes:
    """The scenario's routes as [1, n] rows on the device (broadcast over runs)."""

    corridor: Any  # index of each route's corridor, [n] int32
    boat_persons: Any
    distress: Any
    interception: Any
    base_price: Any
    capacity: Any
    armed: Any  # 1.0 where armed groups control departures
    min_boat_persons: int
    n: int
    n_corridors: int


@dataclass
class Month:
    """What one month's stages hand each other. Route quantities [R, n]; per-agent [R, width]."""

    t: int
    width: int
    levers: dict[str, Any]
    season: Any  # [R, 1]: 1 in the calmest month, -1 in the roughest
    newcomers: np.ndarray  # [R, C] expected persons (host), thinned by mechanisms before spawning
    cost_factor: Any = 1.0
    capacity_factor: Any = 1.0
    interception_hazard: Any = 0.0
    interdiction_hazard: Any = (
        0.0  # armed groups' interception hazard, before the patrol fleet's capacity
    )
    interdiction_capacity: Any = 0.0  # boats the patrol vessels in service can stop in the month
    distress_factor: Any = 1.0
    season_damping: Any = 0.0  # share of the weather deterrent removed (vessel downgrading)
    ngo: Any = None
    sar: Any = None  # SAR presence (state + effective NGO), 0 when SAR is off
    rescue_hazard: Any = 0.0  # hazard of reaching a boat in distress, before congestion
    seen_rescue_hazard: Any = 0.0  # the rescue hazard migrants count on, beyond the baseline
    ngo_rescue_hazard: Any = 0.0  # the NGOs' part of the rescue hazard
    price: Any = None
    capacity: Any = None
    p_intercept: Any = None
    p_distress: Any = None
    launch: Any = None  # [R, n] share of the month's days calm enough to launch
    choosers: Any = None  # backend subset: the agents who chose a route this month
    route_c: Any = None  # their routes
    wanted: Any = None
    departing: Any = None  # backend subset: those with a place on a boat; the *_d fields are theirs
    route_d: Any = None
    shortfall_d: Any = None  # fee not covered by savings, lent by the smuggler
    debt_d: Any = None
    departures: Any = None
    revenue: Any = None
    boats: Any = None
    first_boat: Any = None  # number of each route's first boat, [R, n]
    boat_width: int = 0  # boats per run the boat arrays hold
    boat_route: Any = None
    boat_key: Any = None  # boat_route + run x n_routes
    intercepted_b: Any = None
    distress_b: Any = None
    rescued_b: Any = None
    lost_b: Any = None
    fatal_b: Any = None
    slot_d: Any = None  # each departing agent's boat, flat index into the [R, boats] arrays
    intercepted_d: Any = None
    dies_d: Any = None
    arrived_d: Any = None
    exploited_d: Any = None


@dataclass
class State:
    """Everything a stage sees: backend, constants, parameters, persistent state, this month."""

    be: Any
    routes: Routes
    values: dict[str, Any]  # parameter name -> [R, 1] float64 on the device
    mechanisms: dict[str, str]
    persons_per_agent: int
    agents: Agents
    market: Market
    host_rngs: list  # per run, for draws made on the host (Poisson counts of newcomers)
    out: dict[str, Any]
    host_values: dict[str, np.ndarray]  # the parameters again, on the host, for host-side draws
    host_levers: dict[str, np.ndarray]  # [R, months, n] on the host
    month: Month | None = None
    active_bound: np.ndarray | None = None  # host upper bound of active agents per run
    _typed: dict = field(default_factory=dict)
    _offsets: dict = field(default_factory=dict)

    @property
    def xp(self):
        return self.be.xp

    @property
    def runs(self) -> int:
        return int(self.agents.active.shape[0])

    def params(self, kind: type):
        """A mechanism's typed parameters (a dataclass whose fields are parameter names), each
        an [R, 1] column."""
        if kind not in self._typed:
            self._typed[kind] = kind(
                **{f.name: self.values[f.name] for f in dataclasses.fields(kind)}
            )
        return self._typed[kind]

    def on(self, mechanism: str, value: str = "on") -> bool:
        return self.mechanisms[mechanism] == value

    def per_agent(self, table, key):
        """Gather a [R, n] table at a [R, width] index into its flattened form (index + run x n)."""
        return self.xp.take(table.ravel(), key)

    def f32(self, value):
        return self.xp.asarray(value, dtype=self.xp.float32)

    def row_offsets(self, n: int):
        """run x n as an [R, 1] column of 64-bit indices (numpy gathers with them without a copy),
        built once per ``n``."""
        if n not in self._offsets:
            self._offsets[n] = self.be.row_index * n
        return self._offsets[n]
