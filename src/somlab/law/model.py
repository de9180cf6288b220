"""The law as data: one jurisdiction's rules in force between two dates, read from one YAML file.

A file holds the verbatim text of every provision it encodes (with its source), and rules that
quote that text: offences (elements combined with all/any/not), Catala-style exceptions that name
the rules they defeat, and aggravations. Interpretations are written as `reading`s with their
authority, never folded silently into a test.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


from somlab.errors import SomlabInputError, raise_problems
from somlab.law.conditions import Condition, ConditionError, parse
from somlab.yamlio import read_yaml_with_lines

EFFECTS = ("not_an_offence", "not_punishable", "optional", "offence")
REMOVING = ("not_an_offence", "not_punishable")
AGGRAVATION_KINDS = ("endangerment", "inhuman_treatment", "organized_group", "children", "death",
                     "serious_injury", "profit", "other")
PROTOCOL_PARAGRAPHS = ("6(1)(a)", "6(1)(b)(i)", "6(1)(b)(ii)", "6(1)(c)")
KINDS = ("treaty", "eu", "national", "reform")
UNENCODED_KINDS = ("offence", "exemption", "defence", "aggravation")
EARLIER = ("none", "unknown", "not_in_force")
UNDETERMINED_EARLIER = ("unknown", "not_in_force")  # verdicts before the first version: null


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Reading:
    """An interpretation needed to encode the text, with its authority."""

    note: str
    authority: str


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    where: str
    href: str | None = None
    retrieved: str | None = None
    text: str | None = None  # the stored verbatim text, relative to the corpus folder


@dataclass(frozen=True)
class Provision:
    id: str  # e.g. "art 6(1)(a)"
    text: str  # verbatim, in the language of the law
    source: str
    gloss: str | None = None  # English gloss of a non-English text
    title: str | None = None
    cite: str | None = None  # full citation when the provision belongs to another instrument


@dataclass(frozen=True)
class Penalty:
    """A penalty as stated; life imprisonment and the death penalty are flags, never a number of
    years (`max_years` is then null)."""

    quote: str
    max_years: float | None = None
    min_years: float | None = None
    fine_max_eur: float | None = None
    life: bool = False  # imprisonment for life
    death_penalty: bool = False
    provision: str | None = None  # the provision that states it, when not the rule's own


@dataclass(frozen=True)
class Element:
    id: str
    provision: str
    quote: str
    test: Condition
    reading: Reading | None = None


@dataclass(frozen=True)
class Offence:
    id: str
    provision: str
    title: str
    elements: tuple[Element, ...]
    protocol: tuple[str, ...] = ()  # Protocol paragraphs this offence implements (informative)
    penalty: Penalty | None = None
    note: str | None = None


@dataclass(frozen=True)
class Exception_:
    id: str
    provision: str
    quote: str
    title: str
    defeats: tuple[str, ...]
    effect: str
    when: Condition
    reading: Reading | None = None
    general_defence: bool = False


@dataclass(frozen=True)
class Aggravation:
    id: str
    kind: str
    provision: str
    quote: str
    applies_to: tuple[str, ...]
    when: Condition
    penalty: Penalty | None = None
    reading: Reading | None = None


@dataclass(frozen=True)
class Unencoded:
    """A rule the law has that is not encoded, with the cases it could touch (`scope`).

    Inside its scope (true or unknown) it leaves open the verdict it could change: an offence
    rule a "no offence", an exemption or defence an offence of `applies_to`, an aggravation rule
    a "not aggravated" (as the aggravation kind `aggravation`). Outside it, verdicts stay firm.
    """

    id: str
    kind: str  # offence | exemption | defence | aggravation
    provision: str  # as cited in the source
    reason: str  # why it is not encoded
    scope: Condition
    applies_to: tuple[str, ...] = ()  # offence ids (exemption, defence, aggravation)
    aggravation: str | None = None  # its aggravation kind, or "any" when its content is unread

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "kind": self.kind, "provision": self.provision}


@dataclass(frozen=True)
class CitedProvision:
    """A provision that is not a rule of the offence but that findings and reports cite; with a
    `when` condition, results cite it where an offence holds and the condition does (e.g. the
    Protocol's art 6(2) for attempts)."""

    provision: str
    quote: str
    note: str
    when: Condition | None = None


@dataclass
class Law:
    """One jurisdiction's law in force from `valid_from` to `valid_to` (exclusive)."""

    code: str
    name: str
    kind: str
    version: str
    valid_from: dt.date
    valid_to: dt.date | None
    enacted_by: str
    language: str
    sources: dict[str, Source]
    provisions: dict[str, Provision]
    offences: tuple[Offence, ...]
    exceptions: tuple[Exception_, ...] = ()
    aggravations: tuple[Aggravation, ...] = ()
    cited: tuple[CitedProvision, ...] = ()
    partial: str | None = None  # what is missing, when only part of the text is verified
    file: str | None = None
    reforms: tuple[str, ...] = field(default_factory=tuple)  # names of reforms layered on
    verified_on: str | None = None
    # what applied before valid_from: "none" (this act created the offence), "unknown" (an earlier
    # wording exists but is not encoded: verdicts undetermined) or "not_in_force" (a treaty before
    # its entry into force: it defines no offence, so verdicts are undetermined and flagged)
    earlier: str = "unknown"
    # the rules the law has that are not encoded, each with the cases it could touch
    unencoded: tuple[Unencoded, ...] = ()
    # EU law only: rules the national offences of bound Member States are subject to (layered on
    # them by law/eu_layer.py); `defeats` is empty, the layer names the national offences
    member_state_rules: tuple[Exception_, ...] = ()

    def label(self, provision: str) -> str:
        """How a provision is cited in results: 'IT art 12(1)', or its own full citation."""
        found = self.provisions.get(provision)
        if found is not None and found.cite:
            return found.cite
        return f"{self.code.split('+')[0]} {provision}"

    def in_force(self, date: dt.date) -> bool:
        return self.valid_from <= date and (self.valid_to is None or date < self.valid_to)

    def offence(self, offence_id: str) -> Offence:
        return next(o for o in self.offences if o.id == offence_id)


# ---------------------------------------------------------------------------------------------
# loading and checking


class _Reader:
    """Reads one law file, collecting every problem with its location instead of stopping."""

    def __init__(self, file: str, lines: dict[str, int]) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[SomlabInputError] = []

    def problem(self, message: str, where: str) -> None:
        line = self.lines.get(where)
        probe = where
        while line is None and ("." in probe or "[" in probe):
            probe = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", probe)
            line = self.lines.get(probe)
        self.problems.append(SomlabInputError(message, file=self.file, line=line, field=where))

    def need(self, data: dict[str, Any], key: str, where: str, kind: type | tuple = str) -> Any:
        if key not in data or data[key] in (None, ""):
            self.problem(f"'{key}' is required", f"{where}.{key}" if where else key)
            return None
        if not isinstance(data[key], kind):
            self.problem(f"'{key}' has the wrong type ({type(data[key]).__name__})",
                         f"{where}.{key}" if where else key)
            return None
        return data[key]

    def unknown_keys(self, data: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                self.problem(f"unknown key '{key}'; allowed: {', '.join(sorted(allowed))}",
                             f"{where}.{key}" if where else str(key))


def _date(r: _Reader, value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        r.problem(f"expected a date YYYY-MM-DD, got {value!r}", where)
        return None


def _reading(r: _Reader, data: Any, where: str) -> Reading | None:
    if data is None:
        return None
    if not isinstance(data, dict) or not data.get("note") or not data.get("authority"):
        r.problem("a reading needs a 'note' and its 'authority'", where)
        return None
    return Reading(normalise_space(data["note"]), normalise_space(data["authority"]))


def _penalty(r: _Reader, data: Any, where: str) -> Penalty | None:
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("quote"), str):
        r.problem("a penalty needs the 'quote' that states it", where)
        return None
    r.unknown_keys(data, {"quote", "max_years", "min_years", "fine_max_eur", "life",
                          "death_penalty", "provision"}, where)
    life, death = data.get("life", False), data.get("death_penalty", False)
    if not isinstance(life, bool) or not isinstance(death, bool):
        r.problem("'life' and 'death_penalty' take true or false", where)
    elif (life or death) and data.get("max_years") is not None:
        r.problem("a penalty of life imprisonment or death has max_years: null (the flag says it)",
                  f"{where}.max_years")
    return Penalty(normalise_space(data["quote"]), data.get("max_years"), data.get("min_years"),
                   data.get("fine_max_eur"), bool(life), bool(death), data.get("provision"))


def _condition(r: _Reader, data: Any, where: str, definitions: dict[str, Condition]):
    try:
        return parse(data, where, definitions)
    except ConditionError as exc:
        r.problem(str(exc), exc.where)
        return None


def _check_quote(r: _Reader, provisions: dict[str, Provision], provision: Any, quote: Any,
                 where: str) -> None:
    if provision not in provisions:
        r.problem(f"provision {provision!r} is not among the provisions of this file", f"{where}.provision")
        return
    if not isinstance(quote, str) or not quote.strip():
        r.problem("a quote of the provision's text is required", f"{where}.quote")
        return
    if normalise_space(quote) not in normalise_space(provisions[provision].text):
        r.problem(f"quote is not in the text of {provision}: {quote!r}", f"{where}.quote")


LAW_KEYS = {"code", "name", "kind", "version", "valid_from", "valid_to", "enacted_by", "language",
            "sources", "provisions", "definitions", "offences", "exceptions", "aggravations",
            "cited", "partial", "verified_on", "earlier", "unencoded", "member_state_rules"}
UNENCODED_KEYS = {"id", "kind", "provision", "reason", "scope", "applies_to", "aggravation"}


def law_from_data(data: Any, file: str, lines: dict[str, int] | None = None,
                  root: Path | None = None) -> Law:
    """Validate a law mapping; every problem is reported at once in one SomlabInputError.
    `root` is the corpus folder that stored texts are relative to (default: the file's
    grandparent, as in corpus/<CODE>/<date>.yaml)."""
    root = root or Path(file).resolve().parents[1]
    r = _Reader(file, lines or {})
    if not isinstance(data, dict):
        raise SomlabInputError("expected a mapping describing one version of a law", file=file)
    r.unknown_keys(data, LAW_KEYS, "")
    code = r.need(data, "code", "")
    kind = r.need(data, "kind", "")
    if kind is not None and kind not in KINDS:
        r.problem(f"kind must be one of {', '.join(KINDS)}", "kind")
    valid_from = _date(r, data.get("valid_from"), "valid_from")
    if valid_from is None:
        r.problem("'valid_from' (the date the version entered into force) is required", "valid_from")
    valid_to = _date(r, data.get("valid_to"), "valid_to")
    if valid_from and valid_to and valid_to <= valid_from:
        r.problem("valid_to must be after valid_from", "valid_to")

    sources: dict[str, Source] = {}
    for i, s in enumerate(data.get("sources") or []):
        w = f"sources[{i}]"
        if not isinstance(s, dict):
            r.problem("expected a mapping", w)
            continue
        r.unknown_keys(s, {"id", "title", "where", "href", "retrieved", "text"}, w)
        stored = s.get("text")
        if stored is not None and not (isinstance(stored, str) and stored.startswith("texts/")
                                       and stored.endswith(".md")):
            r.problem("'text' names the stored text as texts/<CODE>/<name>.md", f"{w}.text")
            stored = None
        elif stored is not None and not (root / stored).is_file():
            r.problem(f"stored text {stored} not found in the corpus folder", f"{w}.text")
        if r.need(s, "id", w) and r.need(s, "title", w) and r.need(s, "where", w):
            sources[s["id"]] = Source(s["id"], s["title"], s["where"], s.get("href"),
                                      str(s["retrieved"]) if s.get("retrieved") else None,
                                      stored)
    if not sources:
        r.problem("at least one source (where the text was read) is required", "sources")

    provisions: dict[str, Provision] = {}
    for pid, p in (data.get("provisions") or {}).items():
        w = f"provisions.{pid}"
        if not isinstance(p, dict):
            r.problem("expected a mapping with text and source", w)
            continue
        r.unknown_keys(p, {"text", "source", "gloss", "title", "cite"}, w)
        text, src = r.need(p, "text", w), r.need(p, "source", w)
        if src is not None and src not in sources:
            r.problem(f"unknown source {src!r}", f"{w}.source")
        if text is not None:
            provisions[str(pid)] = Provision(str(pid), text, src, p.get("gloss"), p.get("title"),
                                                 p.get("cite"))

    definitions: dict[str, Condition] = {}
    for name, d in (data.get("definitions") or {}).items():
        cond = _condition(r, d, f"definitions.{name}", definitions)
        if cond is not None:
            definitions[str(name)] = cond

    offences: list[Offence] = []
    for i, o in enumerate(data.get("offences") or []):
        w = f"offences[{i}]"
        if not isinstance(o, dict):
            r.problem("expected a mapping", w)
            continue
        r.unknown_keys(o, {"id", "provision", "title", "elements", "protocol", "penalty", "note"}, w)
        oid, prov, title = r.need(o, "id", w), r.need(o, "provision", w), r.need(o, "title", w)
        if prov is not None and prov not in provisions:
            r.problem(f"provision {prov!r} is not among the provisions of this file", f"{w}.provision")
        elements = []
        for j, e in enumerate(o.get("elements") or []):
            we = f"{w}.elements[{j}]"
            if not isinstance(e, dict):
                r.problem("expected a mapping", we)
                continue
            r.unknown_keys(e, {"id", "provision", "quote", "test", "reading"}, we)
            r.need(e, "id", we)
            _check_quote(r, provisions, e.get("provision"), e.get("quote"), we)
            test = _condition(r, e.get("test"), f"{we}.test", definitions)
            if test is not None and e.get("id"):
                elements.append(Element(e["id"], e.get("provision"), normalise_space(e.get("quote") or ""),
                                        test, _reading(r, e.get("reading"), f"{we}.reading")))
        if not o.get("elements"):
            r.problem("an offence needs at least one element", f"{w}.elements")
        protocol = tuple(o.get("protocol") or ())
        for p in protocol:
            if p not in PROTOCOL_PARAGRAPHS:
                r.problem(f"unknown Protocol paragraph {p!r}; expected {', '.join(PROTOCOL_PARAGRAPHS)}",
                          f"{w}.protocol")
        if oid and prov and title:
            offences.append(Offence(oid, prov, title, tuple(elements), protocol,
                                    _penalty(r, o.get("penalty"), f"{w}.penalty"), o.get("note")))

    unencoded = _unencoded(r, data.get("unencoded"), {o.id for o in offences}, definitions)
    member_rules = _member_state_rules(r, data.get("member_state_rules"), provisions, definitions)
    if member_rules and kind != "eu":
        r.problem("member_state_rules are for EU law", "member_state_rules")
    # an exception may defeat an unencoded offence too (a reform's exemption for every offence)
    offence_ids = {o.id for o in offences} | {u.id for u in unencoded if u.kind == "offence"}
    rule_ids = set(offence_ids)
    exceptions: list[Exception_] = []
    for i, e in enumerate(data.get("exceptions") or []):
        w = f"exceptions[{i}]"
        if not isinstance(e, dict):
            r.problem("expected a mapping", w)
            continue
        r.unknown_keys(e, {"id", "provision", "quote", "title", "defeats", "effect", "when",
                           "reading", "general_defence"}, w)
        eid, title = r.need(e, "id", w), r.need(e, "title", w)
        _check_quote(r, provisions, e.get("provision"), e.get("quote"), w)
        effect = e.get("effect")
        if effect not in EFFECTS:
            r.problem(f"effect must be one of {', '.join(EFFECTS)}", f"{w}.effect")
        defeats = e.get("defeats")
        if not isinstance(defeats, list) or not defeats:
            r.problem("an exception must name the rules it defeats ('defeats: [ids]')", f"{w}.defeats")
            defeats = []
        when = _condition(r, e.get("when"), f"{w}.when", definitions)
        if eid and title and when is not None and effect in EFFECTS:
            exceptions.append(Exception_(eid, e["provision"], normalise_space(e["quote"] or ""), title,
                                         tuple(defeats), effect, when,
                                         _reading(r, e.get("reading"), f"{w}.reading"),
                                         bool(e.get("general_defence", False))))
            rule_ids.add(eid)
    for i, e in enumerate(exceptions):
        for target in e.defeats:
            if target not in rule_ids or target == e.id:
                r.problem(f"defeats unknown rule {target!r}", f"exceptions[{i}].defeats")
        if e.effect == "offence" and any(t in offence_ids for t in e.defeats):
            r.problem("an exception with effect 'offence' reinstates a rule: it must defeat "
                      "exceptions, not offences", f"exceptions[{i}].effect")
    _check_acyclic(r, exceptions)

    aggravations: list[Aggravation] = []
    for i, a in enumerate(data.get("aggravations") or []):
        w = f"aggravations[{i}]"
        if not isinstance(a, dict):
            r.problem("expected a mapping", w)
            continue
        r.unknown_keys(a, {"id", "kind", "provision", "quote", "applies_to", "when", "penalty",
                           "reading"}, w)
        aid, kind_ = r.need(a, "id", w), r.need(a, "kind", w)
        if kind_ is not None and kind_ not in AGGRAVATION_KINDS:
            r.problem(f"kind must be one of {', '.join(AGGRAVATION_KINDS)}", f"{w}.kind")
        _check_quote(r, provisions, a.get("provision"), a.get("quote"), w)
        applies = a.get("applies_to") or [o.id for o in offences]
        for t in applies:
            if t not in {o.id for o in offences}:
                r.problem(f"applies to unknown offence {t!r}", f"{w}.applies_to")
        when = _condition(r, a.get("when"), f"{w}.when", definitions)
        if aid and kind_ and when is not None:
            aggravations.append(Aggravation(aid, kind_, a["provision"], normalise_space(a.get("quote") or ""),
                                            tuple(applies), when,
                                            _penalty(r, a.get("penalty"), f"{w}.penalty"),
                                            _reading(r, a.get("reading"), f"{w}.reading")))

    cited: list[CitedProvision] = []
    for i, c in enumerate(data.get("cited") or []):
        w = f"cited[{i}]"
        r.unknown_keys(c, {"provision", "quote", "note", "when"}, w)
        _check_quote(r, provisions, c.get("provision"), c.get("quote"), w)
        when = _condition(r, c["when"], f"{w}.when", definitions) if "when" in c else None
        cited.append(CitedProvision(c.get("provision"), normalise_space(c.get("quote") or ""),
                                    normalise_space(c.get("note") or ""), when))

    if not offences and not any(u.kind == "offence" for u in unencoded):
        r.problem("at least one offence is required, or an 'unencoded' rule of kind offence whose "
                  "scope covers the conduct the law reaches", "offences")
    if unencoded and not data.get("partial"):
        r.problem("a law with 'unencoded' rules must say what text is missing in 'partial'",
                  "partial")
    earlier = data.get("earlier", "not_in_force" if kind == "treaty" else "unknown")
    if earlier not in EARLIER:
        r.problem(f"earlier must be one of {', '.join(EARLIER)}", "earlier")
    if earlier == "not_in_force" and kind != "treaty":
        r.problem("'not_in_force' is for treaties", "earlier")
    raise_problems(r.problems, "this law file", file)
    version = data.get("version") or f"{code}/{valid_from.isoformat()}"
    return Law(code=code, name=data.get("name") or code, kind=kind, version=version,
               valid_from=valid_from, valid_to=valid_to, enacted_by=data.get("enacted_by") or "",
               language=data.get("language") or "en", sources=sources, provisions=provisions,
               offences=tuple(offences), exceptions=tuple(exceptions),
               aggravations=tuple(aggravations), cited=tuple(cited),
               partial=normalise_space(data["partial"]) if data.get("partial") else None,
               file=file, verified_on=str(data["verified_on"]) if data.get("verified_on") else None,
               earlier=earlier, unencoded=unencoded,
               member_state_rules=member_rules)


def _member_state_rules(r: _Reader, data: Any, provisions: dict[str, Provision],
                        definitions: dict[str, Condition]) -> tuple[Exception_, ...]:
    out = []
    for i, e in enumerate(data or []):
        w = f"member_state_rules[{i}]"
        if not isinstance(e, dict):
            r.problem("expected a mapping", w)
            continue
        r.unknown_keys(e, {"id", "provision", "title", "quote", "when", "reading"}, w)
        eid, title = r.need(e, "id", w), r.need(e, "title", w)
        _check_quote(r, provisions, e.get("provision"), e.get("quote"), w)
        when = _condition(r, e.get("when"), f"{w}.when", definitions)
        if eid and title and when is not None:
            out.append(Exception_(eid, e["provision"], normalise_space(e.get("quote") or ""), title,
                                  (), "not_an_offence", when,
                                  _reading(r, e.get("reading"), f"{w}.reading")))
    return tuple(out)


def _unencoded(r: _Reader, data: Any, offence_ids: set[str],
               definitions: dict[str, Condition]) -> tuple[Unencoded, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        r.problem("expected a list of unencoded rules", "unencoded")
        return ()
    out: list[Unencoded] = []
    seen: set[str] = set()
    # an unencoded aggravation may aggravate an unencoded offence too
    open_offences = {u.get("id") for u in data if isinstance(u, dict) and u.get("kind") == "offence"}
    for i, u in enumerate(data):
        w = f"unencoded[{i}]"
        if not isinstance(u, dict):
            r.problem("expected a mapping", w)
            continue
        r.unknown_keys(u, UNENCODED_KEYS, w)
        uid, kind = r.need(u, "id", w), r.need(u, "kind", w)
        provision, reason = r.need(u, "provision", w), r.need(u, "reason", w)
        if uid in seen:
            r.problem(f"duplicate unencoded rule id {uid!r}", f"{w}.id")
        seen.add(uid)
        if kind is not None and kind not in UNENCODED_KINDS:
            r.problem(f"kind must be one of {', '.join(UNENCODED_KINDS)}", f"{w}.kind")
        if "scope" not in u:
            r.problem("'scope' (the cases the rule could touch, a condition) is required",
                      f"{w}.scope")
        scope = _condition(r, u.get("scope"), f"{w}.scope", definitions) if "scope" in u else None
        applies = u.get("applies_to")
        if applies is not None and kind == "offence":
            r.problem("an unencoded offence takes no 'applies_to'", f"{w}.applies_to")
        targets = offence_ids | open_offences if kind == "aggravation" else offence_ids
        applies = tuple(applies or (sorted(targets) if kind != "offence" else ()))
        for t in applies:
            if t not in targets:
                r.problem(f"applies to unknown offence {t!r}", f"{w}.applies_to")
        aggravation = u.get("aggravation")
        if kind == "aggravation" and aggravation not in (*AGGRAVATION_KINDS, "any"):
            r.problem(f"an unencoded aggravation names its kind in 'aggravation', one of "
                      f"{', '.join(AGGRAVATION_KINDS)}, or 'any' when its content was not read",
                      f"{w}.aggravation")
        if kind != "aggravation" and aggravation is not None:
            r.problem("'aggravation' is for rules of kind aggravation", f"{w}.aggravation")
        if kind in ("exemption", "defence", "aggravation") and not applies:
            r.problem("the file has no offence for this rule to apply to", f"{w}.applies_to")
        if uid and kind in UNENCODED_KINDS and provision and reason and scope is not None:
            out.append(Unencoded(uid, kind, normalise_space(provision), normalise_space(reason),
                                 scope, applies, aggravation))
    return tuple(out)


def _check_acyclic(r: _Reader, exceptions: list[Exception_]) -> None:
    graph = {e.id: [t for t in e.defeats] for e in exceptions}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        if state.get(node) == 1:
            r.problem(f"exceptions defeat each other in a cycle: {' -> '.join(trail + [node])}",
                      "exceptions")
            return
        if state.get(node) == 2 or node not in graph:
            return
        state[node] = 1
        for nxt in graph[node]:
            visit(nxt, trail + [node])
        state[node] = 2

    for e in exceptions:
        visit(e.id, [])


def load_law(path: Path) -> Law:
    data, lines = read_yaml_with_lines(path)
    return law_from_data(data, str(path), lines)
