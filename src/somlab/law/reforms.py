"""Reforms: named changes layered on a jurisdiction's law, never written into the stored law.

A reform file (`corpus/reforms/<name>.yaml`) adds its own sources and provision texts and lists
changes: offences, elements, exceptions and aggravations to add or remove. `IT+humanitarian-
exemption` is the Italian law of each date with the reform applied; the result is validated like
any law file (quotes in texts, known facts, priorities), so a reform cannot smuggle in an
unquoted rule.

`"*"` in `defeats` means every offence of the base law, encoded or declared unencoded, and every
optional exception on them (a mandatory exemption prevails over a mere permission); in `add_elements`, `offence: "*"` adds the
element to every offence.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from somlab.errors import SomlabInputError
from somlab.yamlio import line_at, read_yaml_with_lines

CHANGE_KEYS = {
    "add_offences",
    "remove_offences",
    "add_elements",
    "add_exceptions",
    "remove_exceptions",
    "add_aggravations",
    "remove_aggravations",
    "remove_unencoded",
}
REFORM_KEYS = {
    "name",
    "title",
    "status",
    "applies_to",
    "summary",
    "sources",
    "provisions",
    "definitions",
    "changes",
    "partial",
    "unencoded",
}
STATUSES = ("hypothetical", "proposal", "adopted")
# the shape of each part of a reform file (what apply_reform relies on); the content of the law
# that results is then validated like any law file
TEXT_LISTS = ("remove_offences", "remove_exceptions", "remove_aggravations")
MAPPING_LISTS = ("add_offences", "add_elements", "add_exceptions", "add_aggravations")


@dataclass
class Reform:
    name: str
    title: str
    status: str
    applies_to: list[str] | None  # None: any jurisdiction
    summary: str
    data: dict[str, Any]
    file: str

    def applies(self, code: str) -> bool:
        return self.applies_to is None or code in self.applies_to


def load_reform(path: Path) -> Reform:
    data, lines = read_yaml_with_lines(path)
    file = str(path)

    def bad(message: str, where: str) -> SomlabInputError:
        return SomlabInputError(message, file=file, line=line_at(lines, where), field=where)

    if not isinstance(data, dict):
        raise SomlabInputError("expected a mapping describing a reform", file=file)
    for key in data:
        if key not in REFORM_KEYS:
            raise bad(f"unknown key; allowed: {', '.join(sorted(REFORM_KEYS))}", key)
    if data.get("name") != path.stem:
        raise bad(f"name must match the file name ({path.stem!r})", "name")
    if data.get("status") not in STATUSES:
        raise bad(f"status must be one of {', '.join(STATUSES)}", "status")
    for key in ("provisions", "definitions"):
        if not isinstance(data.get(key) or {}, dict):
            raise bad("expected a mapping", key)
    for key in ("sources", "incomplete"):
        if not isinstance(data.get(key) or [], list):
            raise bad("expected a list", key)
    changes = data.get("changes") or {}
    if not isinstance(changes, dict):
        raise bad(f"expected a mapping of changes ({', '.join(sorted(CHANGE_KEYS))})", "changes")
    for key, items in changes.items():
        where = f"changes.{key}"
        if key not in CHANGE_KEYS:
            raise bad(f"unknown change; allowed: {', '.join(sorted(CHANGE_KEYS))}", where)
        if not isinstance(items or [], list):
            raise bad("expected a list", where)
        for i, item in enumerate(items or []):
            if key in TEXT_LISTS and not isinstance(item, str):
                raise bad("expected the id (text) of a rule of the base law", f"{where}[{i}]")
            if key in MAPPING_LISTS and not isinstance(item, dict):
                raise bad("expected a mapping", f"{where}[{i}]")
            if key == "add_elements" and not (
                "element" in item and isinstance(item.get("offence"), str)
            ):
                raise bad("expected {offence: ID or '*', element: {...}}", f"{where}[{i}]")
            if key == "add_exceptions" and not isinstance(item.get("defeats") or [], list):
                raise bad("expected defeats: a list of rule ids", f"{where}[{i}].defeats")
    applies = data.get("applies_to", "any")
    if applies != "any" and not (
        isinstance(applies, list) and applies and all(isinstance(code, str) for code in applies)
    ):
        raise bad("applies_to is 'any' or a list of jurisdiction codes", "applies_to")
    return Reform(
        name=data["name"],
        title=data.get("title") or data["name"],
        status=data["status"],
        applies_to=None if applies == "any" else list(applies),
        summary=data.get("summary") or "",
        data=data,
        file=file,
    )


def apply_reform(base: dict[str, Any], reform: Reform, code: str) -> dict[str, Any]:
    """The base law's data with the reform layered on (a new mapping; the base is untouched)."""
    out = copy.deepcopy(base)
    r = reform.data
    changes = r.get("changes") or {}
    out["code"] = f"{code}+{reform.name}"
    out["version"] = f"{base.get('version') or base['code']} + {reform.name} ({reform.status})"
    out["name"] = f"{base.get('name', code)} + {reform.title}"
    out["sources"] = list(out.get("sources") or []) + list(r.get("sources") or [])
    out["provisions"] = {**(out.get("provisions") or {}), **(r.get("provisions") or {})}
    out["definitions"] = {**(out.get("definitions") or {}), **(r.get("definitions") or {})}
    if r.get("partial"):  # what the reform's own text leaves unread
        out["partial"] = (
            f"{out['partial']} Reform {reform.name}: {r['partial']}"
            if out.get("partial")
            else f"Reform {reform.name}: {r['partial']}"
        )

    removed = set(changes.get("remove_offences") or [])
    offences = [o for o in out.get("offences") or [] if o.get("id") not in removed]
    offences += copy.deepcopy(changes.get("add_offences") or [])
    offence_ids = [o.get("id") for o in offences]

    # the base law's unencoded rules stay (less those the reform encodes or removes), and the
    # reform declares what its own text leaves unencoded
    unencoded = _kept(out.get("unencoded"), set(changes.get("remove_unencoded") or []), removed)
    out["unencoded"] = unencoded + copy.deepcopy(r.get("unencoded") or [])
    open_offences = [u.get("id") for u in out["unencoded"] if u.get("kind") == "offence"]
    for item in changes.get("add_elements") or []:
        targets = offence_ids if item.get("offence") == "*" else [item.get("offence")]
        for o in offences:
            if o.get("id") in targets:
                o["elements"] = list(o.get("elements") or []) + [copy.deepcopy(item["element"])]
        if item.get("offence") == "*":  # an element of every offence narrows the unencoded ones too
            for u in out["unencoded"]:
                if u.get("kind") == "offence":
                    u["scope"] = {
                        "all": [u.get("scope", True), copy.deepcopy(item["element"].get("test"))]
                    }
    out["offences"] = offences

    dropped = set(changes.get("remove_exceptions") or [])
    exceptions = [e for e in out.get("exceptions") or [] if e.get("id") not in dropped]
    optional_ids = [e.get("id") for e in exceptions if e.get("effect") == "optional"]
    for e in copy.deepcopy(changes.get("add_exceptions") or []):
        if "*" in (e.get("defeats") or []):
            rest = [t for t in e["defeats"] if t != "*"]
            e["defeats"] = offence_ids + open_offences + optional_ids + rest
        exceptions.append(e)
    gone_rules = removed | dropped
    while True:  # exceptions on removed rules lose those targets; one left with none goes too
        for e in exceptions:
            e["defeats"] = [t for t in e.get("defeats") or [] if t not in gone_rules]
        emptied = {e.get("id") for e in exceptions if not e["defeats"]}
        if not emptied:
            break
        gone_rules |= emptied
        exceptions = [e for e in exceptions if e["defeats"]]
    out["exceptions"] = exceptions

    aggravations = _kept(
        out.get("aggravations"), set(changes.get("remove_aggravations") or []), removed
    )
    out["aggravations"] = aggravations + copy.deepcopy(changes.get("add_aggravations") or [])

    return out


def _kept(rules, dropped: set, removed_offences: set) -> list[dict]:
    """Copies of `rules` less those `dropped`; each loses the removed offences it applied to, and
    goes when every offence it concerned was removed."""
    out = []
    for rule in copy.deepcopy(rules or []):
        if rule.get("id") in dropped:
            continue
        if rule.get("applies_to"):
            rule["applies_to"] = [t for t in rule["applies_to"] if t not in removed_offences]
            if not rule["applies_to"]:
                continue
        out.append(rule)
    return out
