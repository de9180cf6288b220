"""Behavioural parameters of the market model: name, bounds, meaning and where the value comes from.

A scenario's YAML sets every value; this table is what the loader validates against and what the
documentation lists. ``source`` says whether a value is taken from the literature (research/abm.md)
or is free, i.e. set by calibration or, where the scenario says so, by hand.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParameterSpec:
    kind: type
    low: float
    high: float
    meaning: str
    source: str


PARAMETERS: dict[str, ParameterSpec] = {
    # population and demand
    "persons_per_agent": ParameterSpec(
        int, 1, 10_000, "persons one agent stands for (Flee's 'hasten')", "numerical"
    ),
    "pool_agents": ParameterSpec(
        int,
        100,
        1_000_000_000,
        "initial size of the agent arrays (they grow when the hubs hold more people)",
        "numerical",
    ),
    "spinup_months": ParameterSpec(
        int,
        0,
        120,
        "months simulated before the period, under its first month's levers, to fill the hubs",
        "numerical",
    ),
    "budget_median_eur": ParameterSpec(
        float, 0, 100_000, "median savings of a newcomer to a hub", "free"
    ),
    "budget_spread": ParameterSpec(float, 0, 3, "log-sd of newcomers' savings", "free"),
    "savings_eur_month": ParameterSpec(
        float, 0, 10_000, "what a waiting migrant saves per month", "free"
    ),
    "settle_rate": ParameterSpec(
        float,
        0,
        1,
        "monthly share of waiting migrants who stop seeking to cross (settle or return)",
        "free",
    ),
    "credit_limit_eur": ParameterSpec(
        float,
        0,
        100_000,
        "fee a smuggler lends against future work (Friebel & Guriev 2006)",
        "free",
    ),
    # route choice (logit on price and risk; Gathmann 2008, Hinsch & Bijak 2023)
    "price_sensitivity": ParameterSpec(float, 0, 20, "utility lost per 1,000 EUR of fee", "free"),
    "risk_aversion": ParameterSpec(
        float, 0, 1_000, "median utility lost per unit probability of death", "free"
    ),
    "risk_aversion_spread": ParameterSpec(
        float, 0, 3, "log-sd of risk aversion across migrants", "free"
    ),
    "risk_memory": ParameterSpec(
        float,
        0,
        1,
        "weight of last month's deaths in perceived risk (lagged, partial information)",
        "free",
    ),
    "corridor_switch_eur": ParameterSpec(
        float, 0, 100_000, "cost of moving overland to another corridor's hub", "free"
    ),
    "wait_utility": ParameterSpec(
        float, -20, 20, "utility of waiting one more month in the hub", "free"
    ),
    "season_amplitude": ParameterSpec(
        float, 0, 10, "utility swing of crossing between calm and rough sea months", "free"
    ),
    "season_peak_month": ParameterSpec(
        float,
        1,
        12.99,
        "calmest point of the year in months (8.5: between August and September)",
        "free",
    ),
    "season_flatness": ParameterSpec(
        float,
        0,
        10,
        "plateau of the sea-state season: 0 a cosine (one calm month), larger a broad calm season April-October and a rough winter (tanh(f cos)/tanh(f))",
        "free",
    ),
    "weather_window": ParameterSpec(
        float,
        0,
        1,
        "share of days too rough to launch a boat in the roughest month (0 in the calmest): who chose a route and finds no calm day waits (Deiana et al. 2020: departures follow sea state)",
        "free",
    ),
    "transit_deterrence": ParameterSpec(
        float,
        0,
        5,
        "newcomers to a corridor's hubs fall by exp(-this x transit enforcement index)",
        "free",
    ),
    "transit_lag_months": ParameterSpec(
        int,
        0,
        36,
        "months between transit enforcement upstream and fewer newcomers in the coastal hubs: the desert journey and the time spent working in Libya before a crossing is attempted (calibrated, not observed)",
        "free",
    ),
    # smugglers
    "price_adjustment": ParameterSpec(
        float, 0, 1, "markup change per unit of excess demand per month", "free"
    ),
    "supply_elasticity": ParameterSpec(
        float,
        0,
        5,
        "capacity elasticity to the markup: rivals enter a profitable route (Campana 2018)",
        "free",
    ),
    "markup_max": ParameterSpec(float, 1, 20, "highest price-to-cost ratio", "free"),
    "capacity_entry": ParameterSpec(
        float,
        0,
        1,
        "monthly rate at which smugglers enter a route with excess demand and leave one with slack demand, where no armed group controls the coast: capacity x (1 + this x excess demand), within 0.1-10 times the base (0: the base capacity of routes.csv throughout); hand-set",
        "hand-set",
    ),
    "enforcement_price_elasticity": ParameterSpec(
        float,
        0,
        2,
        "cost elasticity to enforcement; 0.19 gives +23% for x3 (Gathmann 2008: +17..30%)",
        "literature",
    ),
    "enforcement_risk_elasticity": ParameterSpec(
        float,
        0,
        3,
        "distress elasticity to enforcement: riskier, remote crossings (Gathmann 2008)",
        "free",
    ),
    "enforcement_capacity_elasticity": ParameterSpec(
        float, 0, 3, "capacity elasticity to enforcement (seizures, arrests)", "free"
    ),
    "enforcement_interception": ParameterSpec(
        float, 0, 10, "interception hazard per unit enforcement above 1", "free"
    ),
    # crossing, rescue
    "lethality": ParameterSpec(
        float,
        0,
        1,
        "mean share of people on a boat in distress, not rescued, who die or go missing (per boat a Beta(L/(1-L), 1) draw: mass-casualty wrecks)",
        "free",
    ),
    "rescue_capacity_boats": ParameterSpec(
        float,
        0,
        10_000,
        "boats in distress per route and month that the baseline assets reach in time, and each unit of SAR presence adds as many; more boats in distress dilute the rescue hazard (0 = unlimited)",
        "free",
    ),
    "rescue_baseline": ParameterSpec(
        float, 0, 20, "rescue hazard without dedicated SAR (merchant ships, coastguards)", "free"
    ),
    "rescue_state": ParameterSpec(
        float, 0, 20, "rescue hazard per unit of state SAR presence", "free"
    ),
    "rescue_ngo": ParameterSpec(float, 0, 20, "rescue hazard per unit of NGO SAR presence", "free"),
    "weather_distress": ParameterSpec(
        float, 0, 1, "relative rise of distress in the roughest month", "free"
    ),
    "handover_delay": ParameterSpec(
        float,
        0,
        1,
        "share of the state and NGO rescue hazard lost where rescue coordination is handed over (rescue_handover lever): stand-by orders and waiting for the coordinating centre's own boats; hand-set",
        "hand-set",
    ),
    "criminalisation_deterrence": ParameterSpec(
        float, 0, 1, "share of NGO presence removed at full criminalisation", "free"
    ),
    "downgrade_risk": ParameterSpec(
        float,
        0,
        10,
        "distress multiplier per unit SAR presence, vessel-downgrading module (Deiana et al. 2020)",
        "free",
    ),
    "downgrade_cost_saving": ParameterSpec(
        float,
        0,
        0.9,
        "cost saved by flimsy rafts at full SAR presence (Deiana et al. 2020)",
        "free",
    ),
    "downgrade_season_damping": ParameterSpec(
        float,
        0,
        1,
        "share of the bad-weather deterrent removed at full SAR presence (Deiana et al. 2020)",
        "free",
    ),
    # armed groups and externalisation (AP 2017)
    "armed_revenue_share": ParameterSpec(
        float, 0, 1, "share of a route's smuggling revenue that armed groups capture", "free"
    ),
    "armed_switch_sensitivity": ParameterSpec(
        float, 0, 10, "how sharply armed groups follow the better-paid activity", "free"
    ),
    "armed_switch_speed": ParameterSpec(
        float, 0, 1, "share of the gap to the preferred mix closed per month", "free"
    ),
    "armed_revenue_memory": ParameterSpec(
        float,
        0,
        1,
        "weight of the latest month in the smuggling income armed groups expect (1/12: a year's average, so the off-season does not look like the end of the business)",
        "free",
    ),
    "armed_interdiction": ParameterSpec(
        float, 0, 10, "interception hazard when all armed groups interdict", "free"
    ),
    "interdiction_boats_per_vessel": ParameterSpec(
        float,
        0,
        50,
        "boats one patrol vessel handed to the coast guard can stop in a month (coastguard_vessels lever)",
        "free",
    ),
    "armed_capacity_share": ParameterSpec(
        float, 0, 1, "share of smuggling capacity withdrawn when all armed groups interdict", "free"
    ),
    # debt and exploitation (Friebel & Guriev 2006; Tamura 2010)
    "debt_exploitation": ParameterSpec(
        float, 0, 1, "exploitation probability of an arrival owing the full credit limit", "free"
    ),
    "detention_abuse": ParameterSpec(
        float,
        0,
        1,
        "abuse probability of a person pulled back to detention on an armed-group route",
        "free",
    ),
    "armed_abuse": ParameterSpec(
        float, 0, 10, "relative rise of detention abuse when all armed groups interdict", "free"
    ),
    # facilitation events
    "migrant_driver_share": ParameterSpec(
        float, 0, 1, "share of boats steered by a migrant paid with free passage", "free"
    ),
    "family_share": ParameterSpec(
        float, 0, 1, "share of departures whose passage a family member arranged", "free"
    ),
}

STRUCTURAL = ("persons_per_agent", "pool_agents", "spinup_months")
"""Numerical settings that fix array shapes: runs that share a batch must agree on them."""

INFLOW_PREFIX = "inflow."
"""Monthly newcomers per corridor are parameters named ``inflow.<corridor>`` (persons per month)."""

INFLOW_TREND_PREFIX = "inflow_trend."
"""Optional ``inflow_trend.<corridor>``: yearly log change of the newcomers from the period's first
month on (0 when absent; spin-up months use the first month's level). A smooth, calibrated trend,
not an observed series: it stands for what the model leaves out upstream (conditions in origin
countries, transit enforcement in Niger and Sudan)."""
INFLOW_TREND_RANGE = (-2.0, 2.0)

SEASON_PREFIX = "season."
"""Optional ``season.01`` .. ``season.12``: the season index of each calendar month (1 the calmest,
-1 the roughest), estimated from the training data by ``somlab validate``
(``choice.estimate_season``). All twelve or none; without them the index is the cosine of
``season_peak_month`` and ``season_flatness``."""
SEASON_MONTHS = tuple(f"{SEASON_PREFIX}{m:02d}" for m in range(1, 13))
SEASON_RANGE = (-1.0, 1.0)


def season_profile(parameters: dict) -> list[float] | None:
    """The estimated season of a parameter set, or None where it has none."""
    return [parameters[name] for name in SEASON_MONTHS] if SEASON_MONTHS[0] in parameters else None
