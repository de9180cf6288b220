"""Cluster 1 (arts 3, 5, 6) computed from the conformity profile, the rest pre-filled from the
document register (`somlab.review.prefill`), and merged into a review.

Each computed status reads one profile key (itself read off the engine's verdicts on the
conformity battery) and cites the provisions behind it, with the key and its value:

  3(a)     benefit_required.entry: true implemented; false partially (the conduct is an offence
           but without the definition's benefit element), unless 6(1)(a) is not covered
  5        smuggled_migrant_exempt: true implemented, false not implemented
  6(1)(x)  covers_protocol_offences.6(1)(x): true implemented, false not implemented
  6(3)(a)  aggravations.endangerment; 6(3)(b) aggravations.inhuman_treatment
  3(b)-(d), 6(2)(a)-(c)  no key reads them (the battery has no attempt, complicity or organising
           case): unknown, said in a note
  undetermined key: unknown

Every national law of the corpus is encoded in part. The profile itself leaves a key undetermined
where its value would rest on rules the law has but that were not read (the law's declared
`unencoded` rules), so an undetermined key gives unknown here; each computed entry on a partial
law says so in a note.
Departures from the Protocol that
are not failures to implement it (art 6(4) lets a State criminalise more) are gaps and challenges
on 3(a): the benefit element is what keeps humanitarian and family help outside the offence.

Merging never overwrites a reviewer: an entry is the computation's while it says `computed: true`
and its status is the one computed (a blank
unknown entry is the computation's too); otherwise the reviewer's status is kept and a differing
computed value is written as `computed_note`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from somlab.conformity.battery import Battery, load_battery
from somlab.conformity.profile import conformity
from somlab.errors import SomlabInputError, SomlabNotFoundError
from somlab.law.compiled import CompiledLaw
from somlab.law.corpus import default_corpus
from somlab.law.scalar import evaluate
from somlab.review.catalogue import units
from somlab.review.files import Entry, Review

UNREAD = {
    "3(b)": "no conformity key reads the definition of illegal entry",
    "3(c)": "no conformity key reads the definition of a fraudulent travel or identity document",
    "3(d)": "no conformity key reads the definition of a vessel",
    "6(2)(a)": "the conformity battery has no case of attempt",
    "6(2)(b)": "the conformity battery has no case of participation as an accomplice",
    "6(2)(c)": "the conformity battery has no case of organizing or directing others",
}
OFFENCE_KEYS = {
    "6(1)(a)": "covers_protocol_offences.6(1)(a)",
    "6(1)(b)": "covers_protocol_offences.6(1)(b)",
    "6(1)(c)": "covers_protocol_offences.6(1)(c)",
}
AGGRAVATION_KEYS = {"6(3)(a)": "endangerment", "6(3)(b)": "inhuman_treatment"}
# over-criminalisation (profile deviation kinds) shown as gaps and challenges on 3(a)
CHALLENGES = (
    "no_benefit_element",
    "humanitarian_assistance_criminalised",
    "rescue_at_sea_criminalised",
    "family_members_criminalised",
)
GOOD_PRACTICE = {
    "rescue_at_sea_exempt": "rescue at sea, without benefit, is not an offence",
    "humanitarian_exempt.entry": "humanitarian assistance to entry, without benefit, "
    "is not an offence",
    "family_exempt": "a family member's help, without benefit, is not an offence",
}


@dataclass
class _Context:
    code: str
    as_of: dt.date
    compiled: CompiledLaw
    battery: Battery
    profile: dict[str, Any]

    def value(self, key: str) -> Any:
        head, _, sub = key.partition(".")
        value = self.profile[head]
        return value[sub] if sub else value

    def provisions(self, case_id: str, aggravation: str | None = None) -> list[str]:
        result = evaluate(self.compiled, self.battery.case(case_id, self.as_of))
        labels = list(result.provisions) + list(result.exemptions)
        if aggravation is not None:
            law = self.compiled.law
            labels += [law.label(a.provision) for a in law.aggravations if a.kind == aggravation]
        return list(dict.fromkeys(labels))

    def cite(self, key: str, case_id: str, aggravation: str | None = None) -> list[dict[str, Any]]:
        value = self.value(key)
        return [
            {
                "kind": "corpus",
                "law": self.code,
                "as_of": self.as_of.isoformat(),
                "provision": label,
                "conformity": {"key": key, "value": value, "battery_case": case_id},
            }
            for label in self.provisions(case_id, aggravation)
        ]

    def case_for(self, key: str) -> str:
        head, _, sub = key.partition(".")
        if head == "covers_protocol_offences":
            rows = self.battery.covers(sub)
        elif head == "aggravations":
            rows = self.battery.aggravation(sub)
        else:
            rows = self.battery.decides(key)
        return self.battery.ids[rows[0]]


def _status(value: bool | None, yes: str = "implemented", no: str = "not implemented") -> str:
    return "unknown" if value is None else yes if value else no


def _entry(
    ctx: _Context,
    status: str,
    key: str,
    aggravation: str | None = None,
    gaps: list[str] | None = None,
    good: list[str] | None = None,
) -> Entry:
    case_id = ctx.case_for(key)
    evidence = ctx.cite(key, case_id, aggravation)
    law = ctx.compiled.law
    if not evidence and status != "unknown":  # decided by no encoded provision: nothing to cite
        status, gaps, good = "unknown", [], []
    entry = Entry(status=status, evidence=evidence, gaps=gaps or [], good_practices=good or [])
    if not evidence:
        entry.notes.append(
            f"No encoded provision of {law.version} decides the conformity key {key}."
        )
    if law.partial:
        missing = (
            f" (not encoded: {', '.join(u.provision for u in law.unencoded)})"
            if law.unencoded
            else ""
        )
        entry.notes.append(
            f"Read on {law.version}, encoded in part{missing}; keys resting on "
            f"unread rules are left undetermined (`somlab law show {ctx.code}`)."
        )
    return entry


def _definition(ctx: _Context) -> Entry:
    value = ctx.value("benefit_required.entry")
    covered = ctx.value("covers_protocol_offences.6(1)(a)")
    status = _status(value, no="partially" if covered else "not implemented")
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for d in ctx.profile["deviations"]:
        if d["kind"] in CHALLENGES:
            by_kind.setdefault(d["kind"], []).append(d)
    gaps = [
        f"{found[0]['detail'][0].upper()}{found[0]['detail'][1:]} "
        f"({', '.join(d['conduct'] for d in found)}; "
        f"{', '.join(dict.fromkeys(p for d in found for p in d['provisions']))})."
        for found in by_kind.values()
    ]
    if gaps:
        gaps.append(
            "Art 6(4) lets a State criminalise more than art 6 requires; the benefit "
            "element of art 3(a) is what keeps humanitarian and family help outside the "
            "Protocol's offence."
        )
    good_keys = [key for key in GOOD_PRACTICE if ctx.value(key) is True]
    good = [
        f"{GOOD_PRACTICE[key][0].upper()}{GOOD_PRACTICE[key][1:]} (conformity key {key})"
        for key in good_keys
    ]
    entry = _entry(ctx, status, "benefit_required.entry", gaps=gaps, good=good)
    for key in good_keys:
        entry.evidence += ctx.cite(key, ctx.case_for(key))
    return entry


def computed_entries(code: str, as_of: dt.date) -> dict[str, Entry]:
    """Cluster 1 entries for the law of `code` in force on `as_of`, each marked computed."""
    corpus = default_corpus()
    if code not in corpus.codes():
        raise SomlabNotFoundError("jurisdiction", code, corpus.codes(), field="jurisdiction")
    compiled = corpus.at(code, as_of)
    if compiled is None:
        raise SomlabInputError(f"no version of {code} in force on {as_of}", field="as_of")
    profile = conformity(as_of, [code])["jurisdictions"][0]
    ctx = _Context(code, as_of, compiled, load_battery(), profile)
    entries = {
        "3(a)": _definition(ctx),
        "5": _entry(ctx, _status(ctx.value("smuggled_migrant_exempt")), "smuggled_migrant_exempt"),
    }
    for unit, key in OFFENCE_KEYS.items():
        entries[unit] = _entry(ctx, _status(ctx.value(key)), key)
    for unit, kind in AGGRAVATION_KEYS.items():
        key = f"aggravations.{kind}"
        entries[unit] = _entry(ctx, _status(ctx.value(key)), key, aggravation=kind)
    for unit, why in UNREAD.items():
        entries[unit] = Entry(notes=[f"Not computed: {why}."])
    for entry in entries.values():
        entry.computed, entry.computed_as_of = True, as_of.isoformat()
        entry.computed_status = entry.status
    return entries


def with_evidence(code: str, as_of: dt.date) -> dict[str, Entry]:
    """Every unit as the project's evidence supports it: cluster 1 from the conformity profile,
    and wherever the profile leaves a unit unknown (or does not read it), the document register
    by the evidence rules (`somlab.review.prefill`)."""
    from somlab.review.prefill import prefilled

    fresh = computed_entries(code, as_of)
    for o in units():
        old = fresh.get(o.id)
        if old is not None and old.status != "unknown":
            continue
        entry = prefilled(code, o.id, as_of.isoformat())
        if old is not None:  # the profile's reading stays cited beside the documents
            entry.evidence = old.evidence + entry.evidence
            entry.notes = old.notes + entry.notes
        fresh[o.id] = entry
    return fresh


def _replaceable(entry: Entry) -> bool:
    """The computation's own entry, or a blank one (unknown, nothing cited or observed)."""
    if entry.computed:
        return entry.status == entry.computed_status
    return entry.status == "unknown" and entry.to_data() == Entry().to_data()


def merge(review: Review, fresh: dict[str, Entry], as_of: dt.date) -> list[str]:
    """Write the fresh computed entries into `review`; reviewer entries are kept. Returns what was
    kept against a differing computation."""
    kept = []
    for unit, new in fresh.items():
        old = review.entries.get(unit)
        if old is None or _replaceable(old):
            if old is not None:  # observations the computation does not write are the reviewer's
                for name in ("gaps", "good_practices", "suggestions", "assistance_needs"):
                    if not getattr(new, name):
                        setattr(new, name, getattr(old, name))
            review.entries[unit] = new
            continue
        old.computed, old.computed_as_of, old.computed_status = False, as_of.isoformat(), new.status
        old.computed_note = None
        if new.status != old.status:
            old.computed_note = (
                f"computed from the conformity profile as of {as_of}: "
                f"{new.status}; the reviewer's status ({old.status}) is kept"
            )
            kept.append(f"art {unit}: reviewer's {old.status} kept (computed: {new.status})")
    review.as_of = as_of.isoformat()
    return kept


def init_review(
    code: str, as_of: dt.date, reviewer: str, today: dt.date, existing: Review | None = None
) -> tuple[Review, list[str]]:
    """A new review of `code` pre-filled from the evidence, or `existing` re-computed."""
    fresh = with_evidence(code, as_of)
    if existing is None:
        review = Review(
            state=code,
            as_of=as_of.isoformat(),
            reviewer=reviewer,
            date=today.isoformat(),
            entries={o.id: Entry() for o in units()},
        )
    else:
        if existing.state != code:
            raise SomlabInputError(
                f"the review is of {existing.state}, not {code}",
                file=existing.file,
                line=existing.where("state"),
                field="state",
            )
        review = existing
    return review, merge(review, fresh, as_of)
