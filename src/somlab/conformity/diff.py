"""What a reform changes: verdicts on the battery and on user cases, and profile keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from somlab.conformity.battery import load_battery
from somlab.conformity.profile import FLAT_KEYS, conformity, flat_value
from somlab.facts import Case
from somlab.law.assess import assess_one
from somlab.law.corpus import default_corpus


def reform_diff(code: str, as_of: dt.date, cases: Sequence[Case] = ()) -> dict[str, Any]:
    corpus = default_corpus()
    base = code.split("+", 1)[0]
    reform = corpus.reforms().get(code.split("+", 1)[1])
    corpus.history(code)  # validates the reform on this law, with clear errors
    changed = []
    battery = load_battery()
    for source, items in (("battery", battery.cases(as_of)), ("case", list(cases))):
        for case in items:
            before, after = assess_one(corpus, case, base), assess_one(corpus, case, code)
            if before.offence != after.offence:
                changed.append(
                    {
                        "source": source,
                        "id": case.id,
                        "before": before.offence,
                        "after": after.offence,
                        "exemptions": after.exemptions,
                    }
                )
    doc = conformity(as_of, [base, code], corpus, battery)
    profiles = {j["jurisdiction"]: j for j in doc["jurisdictions"]}
    keys = []
    if base in profiles and code in profiles:
        for key, sub in FLAT_KEYS:
            b, a = flat_value(profiles[base], key, sub), flat_value(profiles[code], key, sub)
            if b != a:
                keys.append({"key": f"{key}.{sub}" if sub else key, "before": b, "after": a})
    return {
        "schema": "somlab.reform-diff/1",
        "reform": code,
        "base": base,
        "title": reform.title if reform else code,
        "as_of": as_of.isoformat(),
        "changed_cases": changed,
        "changed_keys": keys,
        "deviations_before": len(profiles.get(base, {}).get("deviations", [])),
        "deviations_after": len(profiles.get(code, {}).get("deviations", [])),
    }
