"""Whether every citation in a review resolves: a corpus provision in the law in force on its date
(and, where cited, the conformity key with the value the profile gives), an indicator of the
catalogue queried on its own dimensions, a case of the register, a passage of the document register
(and the quote taken from it, word for word).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from somlab.conformity.profile import conformity
from somlab.errors import SomlabInputError, SomlabNotFoundError
from somlab.law.corpus import default_corpus
from somlab.periods import parse_date
from somlab.register.load import load_register
from somlab.review.documents import quote_problem
from somlab.review.files import Review

QUERY_FIELDS = {"by", "from", "to", "where"}


@functools.lru_cache(maxsize=64)
def _profile(code: str, as_of: str) -> dict[str, Any] | None:

    doc = conformity(parse_date(as_of), [code])
    return doc["jurisdictions"][0] if doc["jurisdictions"] else None


def profile_value(profile: dict[str, Any], key: str) -> Any:
    """A profile key written 'aggravations.endangerment' or 'covers_protocol_offences.6(1)(a)'."""
    head, _, sub = key.partition(".")
    value = profile.get(head)
    return value.get(sub) if sub and isinstance(value, dict) else value


def _corpus(item: dict[str, Any]) -> str | None:

    as_of = item["as_of"].isoformat() if isinstance(item["as_of"], dt.date) else str(item["as_of"])
    try:
        compiled = default_corpus().at(str(item["law"]), parse_date(as_of))
    except ValueError:
        return f"no law {item['law']!r} in the corpus, or {as_of!r} is not a date"
    if compiled is None:
        return f"no version of {item['law']} in force on {as_of}"
    law = compiled.law
    labels = {law.label(p) for p in law.provisions} | set(law.provisions)
    if item["provision"] not in labels:
        return (
            f"{item['provision']!r} is not a provision of {law.version}; see "
            f"`somlab law show {item['law']}`"
        )
    cited = item.get("conformity")
    if cited is not None:
        if not isinstance(cited, dict) or not {"key", "value"} <= set(cited):
            return "conformity: expected {key, value}"
        profile = _profile(str(item["law"]), as_of)
        actual = profile_value(profile, str(cited["key"])) if profile else None
        if actual != cited["value"]:
            return (
                f"the conformity profile of {item['law']} on {as_of} gives "
                f"{cited['key']} = {actual}, not {cited['value']}"
            )
    return None


def _indicator(item: dict[str, Any]) -> str | None:
    from somlab.evidence.indicators import indicator

    try:
        spec = indicator(str(item["name"]))
    except SomlabNotFoundError as exc:
        return exc.message
    query = item["query"]
    extra = set(query) - QUERY_FIELDS
    if extra:
        return f"unknown query field {sorted(extra)[0]!r}; expected {sorted(QUERY_FIELDS)}"
    dims = set(query.get("by") or []) | set((query.get("where") or {}).keys())
    bad = sorted(dims - set(spec.dims))
    if bad:
        return f"indicator {spec.name} has no dimension {bad[0]!r} (dimensions: {list(spec.dims)})"
    return None


@functools.lru_cache(maxsize=1)
def _case_ids() -> frozenset[str]:

    return frozenset(case.id for case in load_register())


def _case(item: dict[str, Any]) -> str | None:
    if str(item["id"]) not in _case_ids():
        return f"no case {item['id']!r} in the register"
    return None


def _document(item: dict[str, Any]) -> str | None:

    return quote_problem(str(item["passage"]), item.get("quote"))


_RESOLVERS = {"corpus": _corpus, "indicator": _indicator, "case": _case, "document": _document}


def unresolved(review: Review) -> list[SomlabInputError]:
    """One problem per citation that does not resolve, with its file, line and field."""
    problems = []
    for key, entry in review.entries.items():
        for i, item in enumerate(entry.evidence):
            resolve = _RESOLVERS.get(item["kind"])
            message = resolve(item) if resolve else None
            if message:
                path = f"entries.{key}.evidence[{i}]"
                problems.append(
                    SomlabInputError(
                        message, file=review.file, line=review.where(path), field="evidence"
                    )
                )
    return problems


def check(review: Review) -> None:
    """Raise one error listing every citation that does not resolve."""
    problems = unresolved(review)
    if problems:
        raise SomlabInputError(
            f"{len(problems)} citation(s) do not resolve", file=review.file, problems=problems
        )
