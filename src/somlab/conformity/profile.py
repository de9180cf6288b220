"""Conformity profiles: each law's behaviour on the standard battery, compared with the Protocol.

Every profile key is read off verdicts the vectorized engine gives on battery cases dated on the
`as_of` day (see battery.yaml), so a profile always agrees with what `assess` would answer: a key
that rests on a rule the law has but the corpus does not encode is undetermined because the
verdicts it is read from are (see `unencoded` in law/compiled.py).
Deviations are the keys where a law is less protective or less complete than the Protocol's own
profile on the same battery (UN-SOM is profiled by the same code).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from somlab.conformity.battery import Battery, load_battery
from somlab.errors import SomlabInputError
from somlab.facts import MOVEMENTS
from somlab.facts_table import table_from_cases
from somlab.law.compiled import CompiledLaw
from somlab.law.corpus import Corpus, default_corpus
from somlab.law.scalar import evaluate

SCHEMA = "somlab.conformity/1"
# The movements a profile reports on (its JSON keys): the Protocol's entry (art 6(1)(a)) and
# stay (art 6(1)(c)), and transit; the facts contract also knows movement and exit.
PROFILE_MOVEMENTS = tuple(m for m in MOVEMENTS if m in ("entry", "transit", "stay"))
AGGRAVATIONS = ("endangerment", "inhuman_treatment", "organized_group", "children", "death")
PARAGRAPHS = ("6(1)(a)", "6(1)(b)", "6(1)(c)")
REFERENCE = "UN-SOM"

# exemption-style key → (deviation kind, Protocol article it departs from)
DEVIATIONS = {
    "benefit_required": ("no_benefit_element", "UN-SOM art 6(1)"),
    "humanitarian_exempt": ("humanitarian_assistance_criminalised", "UN-SOM art 6(1)"),
    "rescue_at_sea_exempt": ("rescue_at_sea_criminalised", "UN-SOM art 6(1)"),
    "smuggled_migrant_exempt": ("smuggled_migrant_liable", "UN-SOM art 5"),
    "family_exempt": ("family_members_criminalised", "UN-SOM art 6(1)"),
}
DETAIL = {
    "no_benefit_element": "assistance without any financial or other material benefit is an "
    "offence; the Protocol requires criminalisation only for a benefit",
    "humanitarian_assistance_criminalised": "assistance given for humanitarian reasons, without "
    "benefit, is an offence",
    "rescue_at_sea_criminalised": "rescue at sea and disembarkation of persons in distress, "
    "without benefit, is an offence",
    "smuggled_migrant_liable": "a migrant is liable for assisting only his or her own entry",
    "family_members_criminalised": "a family member helping a relative's entry, without "
    "benefit, is an offence",
    "protocol_offence_not_covered": "conduct the Protocol requires to be criminalised is not an "
    "offence in the encoded text",
    "aggravation_missing": "an art 6(3) circumstance does not aggravate the offence",
}


def _tri(true: np.ndarray, false: np.ndarray, rows: list[int]) -> list[bool | None]:
    return [True if true[i] else False if false[i] else None for i in rows]


def _all3(values: list[bool | None]) -> bool | None:
    if any(v is False for v in values):
        return False
    if values and all(v is True for v in values):
        return True
    return None


@dataclass
class Profile:
    jurisdiction: str
    version: str
    kind: str
    partial: str | None
    unencoded: list[dict[str, str]]  # the law's unencoded rules ({id, kind, provision})
    keys: dict[str, Any]
    deviations: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.jurisdiction,
            "version": self.version,
            "kind": self.kind,
            "partial": self.partial,
            "unencoded": self.unencoded,
            **self.keys,
            "deviations": self.deviations,
        }


def _keys(compiled: CompiledLaw, battery: Battery, table) -> dict[str, Any]:
    rows = battery
    off = compiled.offence.vector(table, False)

    def exempt(case_ids: list[int]) -> bool | None:
        # exempt = not an offence, for every case deciding the key
        return _all3(_tri(off.false, off.true, case_ids))

    keys: dict[str, Any] = {
        "benefit_required": {
            m: exempt(rows.decides(f"benefit_required.{m}")) for m in PROFILE_MOVEMENTS
        },
        "humanitarian_exempt": {
            m: exempt(rows.decides(f"humanitarian_exempt.{m}")) for m in PROFILE_MOVEMENTS
        },
        "rescue_at_sea_exempt": exempt(rows.decides("rescue_at_sea_exempt")),
        "smuggled_migrant_exempt": exempt(rows.decides("smuggled_migrant_exempt")),
        "family_exempt": exempt(rows.decides("family_exempt")),
    }
    optional = compiled.optional_exemption.vector(table, False)
    keys["humanitarian_exempt_optional"] = {
        m: _all3(_tri(optional.true, optional.false, rows.decides(f"humanitarian_exempt.{m}")))
        for m in PROFILE_MOVEMENTS
    }
    aggravations = {}
    for kind in AGGRAVATIONS:
        cond = compiled.aggravated_by.get(kind)
        vec = cond.vector(table, False) if cond is not None else None
        case_ids = rows.aggravation(kind)
        aggravations[kind] = False if vec is None else _all3(_tri(vec.true, vec.false, case_ids))
    keys["aggravations"] = aggravations
    keys["covers_protocol_offences"] = {
        p: _all3(_tri(off.true, off.false, rows.covers(p))) for p in PARAGRAPHS
    }
    return keys


def _provisions(compiled: CompiledLaw, battery: Battery, case_id: str, as_of: dt.date) -> list[str]:
    return evaluate(compiled, battery.case(case_id, as_of)).provisions


def _deviations(
    code: str,
    compiled: CompiledLaw,
    keys: dict,
    ref: dict,
    battery: Battery,
    as_of: dt.date,
    reference: CompiledLaw,
) -> list[dict[str, Any]]:
    out = []
    for key, (kind, article) in DEVIATIONS.items():
        pairs = (
            [(m, keys[key][m], ref[key][m]) for m in PROFILE_MOVEMENTS]
            if isinstance(keys[key], dict)
            else [(None, keys[key], ref[key])]
        )
        for movement, value, expected in pairs:
            if value is False and expected is True:
                case_id = battery.decides(f"{key}.{movement}" if movement else key)[0]
                out.append(
                    {
                        "article": article,
                        "kind": kind,
                        "conduct": movement or key,
                        "provisions": _provisions(compiled, battery, battery.ids[case_id], as_of),
                        "battery_case": battery.ids[case_id],
                        "detail": DETAIL[kind],
                    }
                )
    for paragraph in PARAGRAPHS:
        if keys["covers_protocol_offences"][paragraph] is False:
            case_ids = battery.covers(paragraph)
            out.append(
                {
                    "article": f"UN-SOM art {paragraph}",
                    "kind": "protocol_offence_not_covered",
                    "conduct": paragraph,
                    "provisions": _provisions(reference, battery, battery.ids[case_ids[0]], as_of),
                    "battery_case": ", ".join(battery.ids[i] for i in case_ids),
                    "detail": DETAIL["protocol_offence_not_covered"],
                }
            )
    for kind in ("endangerment", "inhuman_treatment"):
        if keys["aggravations"][kind] is False and ref["aggravations"][kind] is True:
            out.append(
                {
                    "article": "UN-SOM art 6(3)",
                    "kind": "aggravation_missing",
                    "conduct": kind,
                    "provisions": [reference.law.label("art 6(3)")],
                    "battery_case": f"aggravation-{kind.replace('_', '-')}",
                    "detail": DETAIL["aggravation_missing"],
                }
            )
    return out


def conformity(
    as_of: dt.date,
    codes: Sequence[str] | None = None,
    corpus: Corpus | None = None,
    battery: Battery | None = None,
) -> dict[str, Any]:
    """The `somlab.conformity/1` document for the laws in force on `as_of`."""
    corpus = corpus or default_corpus()
    battery = battery or load_battery()
    table = table_from_cases(battery.cases(as_of))
    reference = corpus.at(REFERENCE, as_of)
    if reference is None:
        raise SomlabInputError(
            f"the Protocol is not in force on {as_of} (from 2004-01-28)", field="as_of"
        )
    ref_keys = _keys(reference, battery, table)
    profiles, absent = [], []
    for code in codes or corpus.codes():
        if code == "UN-TIP":
            continue  # trafficking is not profiled against the smuggling Protocol
        compiled = corpus.at(code, as_of)
        if compiled is None:
            absent.append(code)
            continue
        keys = ref_keys if code == REFERENCE else _keys(compiled, battery, table)
        law = compiled.law
        profiles.append(
            Profile(
                code,
                law.version,
                law.kind,
                law.partial,
                [u.to_dict() for u in law.unencoded],
                keys,
                _deviations(code, compiled, keys, ref_keys, battery, as_of, reference),
            )
        )
    return {
        "schema": SCHEMA,
        "as_of": as_of.isoformat(),
        "jurisdictions": [p.to_dict() for p in profiles],
        "not_in_force": absent,
        "aggregate": aggregate(profiles),
        "battery": [{"id": i, "decides": d} for i, d in zip(battery.ids, battery.roles)],
    }


FLAT_KEYS = (
    [("benefit_required", m) for m in PROFILE_MOVEMENTS]
    + [("humanitarian_exempt", m) for m in PROFILE_MOVEMENTS]
    + [("rescue_at_sea_exempt", None), ("smuggled_migrant_exempt", None), ("family_exempt", None)]
    + [("aggravations", k) for k in AGGRAVATIONS]
    + [("covers_protocol_offences", p) for p in PARAGRAPHS]
)


def flat_value(keys: dict[str, Any], key: str, sub: str | None) -> bool | None:
    return keys[key] if sub is None else keys[key][sub]


def aggregate(profiles: list[Profile]) -> list[dict[str, Any]]:
    """How many states' laws have each property (true / false / undetermined)."""
    states = [p for p in profiles if p.kind == "national"]
    rows = []
    for key, sub in FLAT_KEYS:
        values = [flat_value(p.keys, key, sub) for p in states]
        rows.append(
            {
                "key": f"{key}.{sub}" if sub else key,
                "true": values.count(True),
                "false": values.count(False),
                "undetermined": values.count(None),
                "states": len(states),
                "true_codes": [p.jurisdiction for p, v in zip(states, values) if v is True],
            }
        )
    return rows
