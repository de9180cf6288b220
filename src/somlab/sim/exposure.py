"""Law x simulation: how many of the simulated facilitation actors each law would criminalise.

Each run's facilitation events (``casefacts.facilitation_cases_by_run``: commercial smugglers,
migrants steering boats for free passage, NGO rescuers, family members; one representative case
per role x route x year, weighted by the number of actors) go through the vectorized law engine
(``somlab.law.assess.assess_batch``) under every requested jurisdiction. Per jurisdiction and
role, the actors are counted as criminalised (offence true), not criminalised (offence false),
undetermined (the facts the simulation carries do not decide it; ``undetermined_facts`` names
what would) and not assessed (no encoded wording of that law in force on the date). Each count
is an ensemble median with its 5-95% band over runs.

Applying, say, the UK's law to boats landing in Italy is a counterfactual: "what would this law
make of the same conduct". The law applied is the version in force on the event's date (1 July
of the simulated year) unless ``law_date`` fixes one date for all events.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from somlab.bands import band
from somlab.sim import casefacts, outcomes
from somlab.sim.scenario import Scenario
from somlab.vocabulary import split_codes

STATUSES = ("criminalised", "not_criminalised", "undetermined", "not_assessed")
NOT_FACTS = ("run", "route", "actor.role", "actors")


def parse_codes(text: str, corpus) -> list[str]:
    """``all`` (every jurisdiction of the corpus) or comma-separated codes, reforms as CODE+reform."""
    from somlab.law.assess import resolve_codes

    if text.strip().lower() == "all":
        return corpus.codes()
    codes = split_codes(text)
    if not codes:
        from somlab.errors import SomlabInputError

        raise SomlabInputError(
            "expected comma-separated jurisdiction codes or 'all'", field="jurisdiction"
        )
    return resolve_codes(corpus, codes)


def verdicts(
    runs: list[dict],
    scenario: Scenario,
    codes: Sequence[str],
    corpus=None,
    law_date: str | None = None,
) -> pd.DataFrame:
    """One row per run x role x focus route x year x jurisdiction: actors, status, missing facts."""
    from somlab.facts_table import table_from_frame
    from somlab.law.assess import assess_batch
    from somlab.law.corpus import default_corpus

    corpus = corpus or default_corpus()
    cases = casefacts.facilitation_cases_by_run(runs, scenario)
    focus = np.asarray(scenario.route_names)[outcomes.focus_mask(scenario)]
    cases = cases[cases["route"].isin(focus)].reset_index(drop=True)
    facts = cases.drop(columns=list(NOT_FACTS))
    if law_date:
        facts["date"] = law_date
    table = assess_batch(
        table_from_frame(facts, f"simulated events of {scenario.name}"), list(codes), corpus
    )
    result = table.to_pandas()
    for column in ("jurisdiction", "version", "missing_facts"):
        result[column] = result[column].astype(object)
    offence = result["offence"]
    result["status"] = np.select(
        [
            offence.eq(True).fillna(False).to_numpy(dtype=bool),
            offence.eq(False).fillna(False).to_numpy(dtype=bool),
            result["version"].isna().to_numpy(),
        ],
        ["criminalised", "not_criminalised", "not_assessed"],
        default="undetermined",
    )
    return result[["id", "jurisdiction", "version", "status", "missing_facts"]].merge(
        cases[["id", "run", "route", "actor.role", "actors"]],
        on="id",
        how="left",
        validate="many_to_one",
    )


def exposure(
    runs: list[dict],
    scenario: Scenario,
    codes: Sequence[str],
    corpus=None,
    law_date: str | None = None,
) -> dict:
    """The ``exposure`` section of the simulation document."""
    table = verdicts(runs, scenario, codes, corpus, law_date)
    totals = table.groupby(["jurisdiction", "actor.role", "status", "run"])["actors"].sum()
    rows = []
    for code in codes:
        for role in casefacts.ROLE_SERIES:
            entry: dict = {"jurisdiction": code, "role": role}
            for status in STATUSES:
                per_run = np.array(
                    [totals.get((code, role, status, k), 0.0) for k in range(len(runs))]
                )
                entry[status] = band(per_run)
            open_rows = table[
                (table["jurisdiction"] == code)
                & (table["actor.role"] == role)
                & (table["status"] == "undetermined")
                & (table["actors"] > 0)
            ]
            facts = sorted(
                {
                    f
                    for text in open_rows["missing_facts"].dropna()
                    for f in str(text).split(";")
                    if f
                }
            )
            entry["undetermined_facts"] = facts
            versions = table.loc[
                (table["jurisdiction"] == code) & (table["actor.role"] == role), "version"
            ].dropna()
            entry["versions"] = sorted(set(versions))
            rows.append(entry)
    return {
        "codes": list(codes),
        "routes": [str(r) for r in np.asarray(scenario.route_names)[outcomes.focus_mask(scenario)]],
        "law_date": law_date or "the event's date (1 July of each simulated year)",
        "unit": "actors (one per facilitation event) summed over the period; ensemble median and 5-95% band",
        "counterfactual": "each jurisdiction's law applied to the same simulated conduct",
        "rows": rows,
    }
