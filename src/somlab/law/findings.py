"""Findings: where a state's verdict on a case departs from what the Protocols require.

Each finding compares a state's (or the EU's) result with the UN-SOM and UN-TIP results on the
same facts. An undetermined verdict on either side gives no finding: unknown stays unknown. A
rule the law has but the corpus does not encode leaves open, in the verdicts themselves, every
verdict it could change (`unencoded`, see compiled.py), so no finding rests on its absence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from somlab.law.corpus import UN_CODES
from somlab.law.scalar import Result

SOM, TIP = UN_CODES
ART5 = "UN-SOM art 5"


@dataclass(frozen=True)
class Finding:
    kind: str
    jurisdiction: str
    detail: str
    provisions: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        out = asdict(self)
        out["provisions"] = list(self.provisions)
        return out


def findings_for(
    results: list[Result], som: Result, tip: Result, bound: Callable[[str], bool | None]
) -> list[Finding]:
    """`bound(state)`: whether the Smuggling Protocol binds that state on the case date. A state
    it does not bind, or not known to bind (its deposit is unknown), gets no Protocol-based
    finding: the Protocol requires nothing of it."""
    out: list[Finding] = []
    if tip.offence is True and som.offence is False:
        out.append(
            Finding(
                "trafficking_not_smuggling",
                TIP,
                "trafficking in persons under the Trafficking Protocol art 3, not "
                "smuggling of migrants under the Smuggling Protocol",
                tuple(tip.provisions),
            )
        )
    for r in results:
        if r.jurisdiction in UN_CODES:
            continue
        code = r.jurisdiction
        if bound(code) is not True:
            continue
        if r.offence is True and som.offence is False and tip.offence is not True:
            out.append(
                Finding(
                    "criminalised_beyond_protocol",
                    code,
                    f"offence under {code} law, not an offence the Protocol requires "
                    "(permitted by art 6(4), but outside art 6)",
                    tuple(r.provisions),
                )
            )
            if ART5 in som.exemptions:
                out.append(
                    Finding(
                        "migrant_liable_contrary_to_art5",
                        code,
                        f"the actor is a smuggled migrant shielded by Protocol art 5, "
                        f"yet liable under {code} law",
                        (ART5, *r.provisions),
                    )
                )
        if r.offence is False and som.offence is True:
            out.append(
                Finding(
                    "protocol_offence_not_covered",
                    code,
                    f"the Protocol requires this conduct to be criminalised (art 6); "
                    f"it is not an offence under {code} law",
                    tuple(som.provisions),
                )
            )
        # trafficking under UN-TIP: the state's trafficking law, not encoded here, may aggravate
        # the circumstance, so its absence from the smuggling law is not a finding
        if r.offence is True and som.aggravated is True and tip.offence is not True:
            # a kind left open (unknown facts, or an unencoded aggravation) is not missing
            missing = [
                k
                for k in som.aggravations
                if k not in r.aggravations and k not in r.aggravations_open
            ]
            if missing:
                out.append(
                    Finding(
                        "aggravation_missing",
                        code,
                        f"art 6(3) circumstance(s) present ({', '.join(missing)}) but "
                        f"not aggravating under {code} law",
                        ("UN-SOM art 6(3)",),
                    )
                )
    return out
