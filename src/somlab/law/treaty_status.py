"""For which States a Protocol is in force, from the table of deposits (`corpus/treaty-status/`).

Smuggling Protocol art 22: the Protocol entered into force on the ninetieth day after the
fortieth instrument; for a State depositing later, on the thirtieth day after its deposit, "or on
the date this Protocol enters into force pursuant to paragraph 1 of this article, whichever is
the later". So a State is bound from max(deposit + 30 days, the Protocol's entry into force),
which also gives the Protocol's own date for the first forty. Where only a date by which the
instrument had been deposited is known (`deposited_by`, e.g. a State listed among the first
forty), the State is certainly bound from max(deposited_by + 30 days, entry into force) and
unknown before that. A State whose deposit the table does not give at all is unknown: neither
bound nor unbound.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from somlab.errors import SomlabInputError, raise_problems
from somlab.law.tables import table_date, table_rows

COLUMNS = (
    "state",
    "participant",
    "signature",
    "action",
    "deposit",
    "source_title",
    "source_href",
    "retrieved",
    "note",
)
OPTIONAL_COLUMNS = ("deposited_by",)  # the instrument was deposited on or before this date
DAYS_AFTER_DEPOSIT = 30  # art 22(2)


@dataclass(frozen=True)
class Party:
    state: str
    participant: str
    deposit: dt.date | None
    source_title: str
    source_href: str
    deposited_by: dt.date | None = None


@dataclass
class TreatyStatus:
    """The parties of one Protocol and the date it entered into force."""

    code: str
    in_force: dt.date  # the Protocol's own entry into force (the first version's valid_from)
    parties: dict[str, Party]
    file: str

    def bound_from(self, state: str | None) -> dt.date | None:
        """The day from which the Protocol certainly applies to `state`, or None where no deposit
        date (exact or upper bound) is known."""
        party = self.parties.get(state or "")
        deposit = party and (party.deposit or party.deposited_by)
        if not deposit:
            return None
        return max(deposit + dt.timedelta(days=DAYS_AFTER_DEPOSIT), self.in_force)

    def bound(self, state: str | None, date: dt.date) -> bool | None:
        """True or False on `date`; None for a State whose deposit is unknown, or no State, or a
        date before the latest day it can have become bound where only an upper bound is known."""
        if date < self.in_force:
            return False  # in force for no State yet
        start = self.bound_from(state)
        if start is None:
            return None
        if date >= start:
            return True
        return False if self.parties[state or ""].deposit else None


def load_status(path: Path, code: str, in_force: dt.date) -> TreatyStatus:
    """Read one table; every problem is reported at once, with its row and column."""
    file = str(path)
    problems: list[SomlabInputError] = []
    parties: dict[str, Party] = {}
    for row, rec in table_rows(path, COLUMNS):
        state = (rec["state"] or "").strip()
        if len(state) != 2 or not state.isalpha() or not state.isupper():
            problems.append(
                SomlabInputError(
                    f"expected an ISO 3166-1 alpha-2 code (or EU), got {state!r}",
                    file=file,
                    row=row,
                    field="state",
                )
            )
            continue
        if state in parties:
            problems.append(
                SomlabInputError(f"{state} is listed twice", file=file, row=row, field="state")
            )
            continue
        if not (rec["source_title"] or "").strip():
            problems.append(
                SomlabInputError(
                    "each row names the publication it was read from",
                    file=file,
                    row=row,
                    field="source_title",
                )
            )
            continue
        try:
            deposit = table_date(rec["deposit"] or "", file, row, "deposit")
            deposited_by = table_date(rec.get("deposited_by") or "", file, row, "deposited_by")
            table_date(rec["signature"] or "", file, row, "signature")
        except SomlabInputError as exc:
            problems.append(exc)
            continue
        parties[state] = Party(
            state,
            rec["participant"],
            deposit,
            rec["source_title"],
            rec["source_href"] or "",
            deposited_by,
        )
    raise_problems(problems, f"the {code} status table", file)
    return TreatyStatus(code, in_force, parties, file)
