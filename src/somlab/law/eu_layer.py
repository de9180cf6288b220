"""EU law over national law: a Member State's offences are read subject to the EU layer.

The EU law file lists `member_state_rules` (e.g. the *Kinsa* ruling: national legislation may not
criminalise bringing in accompanying minors in one's actual care). `EU/member-states.csv` says
which States the Directive binds, from and until when (`bound`, `not_bound`, `unknown`). For each
national law version, the periods in which the State is bound get each rule as an exception
defeating every national offence (encoded or declared unencoded) and every national "may"
exemption on them; where it is not known whether the State is bound, the rule is an unencoded
exemption with the rule's condition as scope, so the verdicts it could change are left open.
The stored national law is never changed; the layer is applied when a jurisdiction is loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from somlab.errors import SomlabInputError, raise_problems
from somlab.law.model import Law, Provision, Unencoded
from somlab.law.tables import table_date, table_rows

STATUSES = ("bound", "not_bound", "unknown")
COLUMNS = (
    "state",
    "status",
    "bound_from",
    "bound_to",
    "source_title",
    "source_href",
    "retrieved",
    "note",
)


@dataclass(frozen=True)
class Membership:
    """Whether EU law binds a State: `status` between `bound_from` and `bound_to` (exclusive),
    not bound outside that period."""

    state: str
    status: str
    bound_from: dt.date | None
    bound_to: dt.date | None
    note: str

    def status_on(self, date: dt.date) -> str:
        if (self.bound_from and date < self.bound_from) or (
            self.bound_to and date >= self.bound_to
        ):
            return "not_bound"
        return self.status


def load_members(path: Path) -> dict[str, Membership]:
    """The table of Member States; every problem is reported at once, with row and column."""
    file = str(path)
    problems: list[SomlabInputError] = []
    out: dict[str, Membership] = {}
    for row, rec in table_rows(path, COLUMNS):
        before = len(problems)
        state, status = rec["state"].strip(), rec["status"].strip()
        dates = {}
        for key in ("bound_from", "bound_to"):
            try:
                dates[key] = table_date(rec[key], file, row, key)
            except SomlabInputError as exc:
                problems.append(exc)
        if status not in STATUSES:
            problems.append(
                SomlabInputError(
                    f"status must be one of {', '.join(STATUSES)}",
                    file=file,
                    row=row,
                    field="status",
                )
            )
        if not rec["source_title"].strip():
            problems.append(
                SomlabInputError(
                    "each row names the publication it rests on",
                    file=file,
                    row=row,
                    field="source_title",
                )
            )
        if state in out:
            problems.append(
                SomlabInputError(f"{state} is listed twice", file=file, row=row, field="state")
            )
        if len(problems) == before:
            out[state] = Membership(
                state, status, dates.get("bound_from"), dates.get("bound_to"), rec["note"]
            )
    raise_problems(problems, "the table of Member States", file)
    return out


def _eu_at(eu: list[Law], date: dt.date) -> Law | None:
    return next((law for law in eu if law.in_force(date)), None)


def _layered(law: Law, eu: Law, status: str) -> Law:
    """`law` with the EU rules of `eu` as exceptions (bound) or unencoded exemptions (unknown)."""
    provisions, sources = dict(law.provisions), dict(law.sources)
    offences = [o.id for o in law.offences]
    targets = offences + [u.id for u in law.unencoded if u.kind == "offence"]
    optional = [e.id for e in law.exceptions if e.effect == "optional"]
    exceptions, unencoded = list(law.exceptions), list(law.unencoded)
    for rule in eu.member_state_rules:
        text = eu.provisions[rule.provision]
        source = eu.sources[text.source]
        key = f"EU {rule.provision}"
        sources[f"eu:{source.id}"] = replace(source, id=f"eu:{source.id}")
        provisions[key] = Provision(
            key,
            text.text,
            f"eu:{source.id}",
            text.gloss,
            text.title,
            text.cite or f"EU {rule.provision}",
        )
        if status == "bound":
            exceptions.append(
                replace(rule, id=f"eu-{rule.id}", provision=key, defeats=tuple(targets + optional))
            )
        elif offences:
            unencoded.append(
                Unencoded(
                    f"eu-{rule.id}",
                    "exemption",
                    text.cite or key,
                    f"whether EU law (Directive 2002/90/EC) binds {law.code} on this date is not known",
                    rule.when,
                    tuple(offences),
                )
            )
    return replace(
        law,
        provisions=provisions,
        sources=sources,
        exceptions=tuple(exceptions),
        unencoded=tuple(unencoded),
    )


def apply_layer(laws: list[Law], member: Membership | None, eu: list[Law]) -> list[Law]:
    """The versions of a national law, cut where the State's EU status or the EU version changes,
    each period read subject to the EU rules that bind it then."""
    if member is None or not eu:
        return laws
    out = []
    for law in laws:
        end = law.valid_to or dt.date.max
        cuts = {member.bound_from, member.bound_to}
        cuts |= {e.valid_from for e in eu} | {e.valid_to for e in eu}
        inner = sorted(d for d in cuts if d is not None and law.valid_from < d < end)
        for start, stop in zip([law.valid_from, *inner], [*inner, law.valid_to]):
            period = replace(law, valid_from=start, valid_to=stop)
            status, eu_law = member.status_on(start), _eu_at(eu, start)
            if status != "not_bound" and eu_law is not None and eu_law.member_state_rules:
                period = _layered(period, eu_law, status)
            out.append(period)
    return out
