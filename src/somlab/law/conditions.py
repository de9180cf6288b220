"""The condition language of the corpus, with its two evaluators.

A condition is a tree of tests over fact paths combined with `all` / `any` / `not`, read from
YAML. Every node evaluates in Kleene three-valued logic, either on one case (`scalar`: a value
True / False / None plus the set of unknown facts it depends on) or on a CaseTable (`vector`: two
boolean masks, definitely-true and definitely-false, plus an int64 bitmask of the unknown facts
it depends on). The two evaluators are written side by side in each node so that they cannot
drift apart; a property test checks that they agree row by row.

YAML forms:
    benefit.obtained                          # shorthand: the boolean fact is true
    {fact: benefit.obtained, is: false}
    {fact: conduct.facilitated, contains: entry}      # also contains_any: [..], nonempty: true
    {fact: conduct.document_fraud, in: [produced, possessed]}
    {fact: migrants.count, gt: 1}                     # gt, ge, lt, le, eq
    {all: [..]}  {any: [..]}  {not: ..}  {ref: definition-name}
"""

from __future__ import annotations

import operator
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from somlab.facts import LEGAL_FACTS, SPEC, Case
from somlab.facts_table import BoolColumn, CaseTable, CodeColumn, ListColumn

FACT_BIT = {path: np.int64(1) << np.int64(i) for i, path in enumerate(LEGAL_FACTS)}
assert len(LEGAL_FACTS) < 63


def bits_to_paths(bits: int) -> list[str]:
    return [p for p in LEGAL_FACTS if int(bits) & int(FACT_BIT[p])]


@dataclass
class Vec:
    """Vectorized three-valued result: definitely true, definitely false, unknown-fact bits."""

    true: np.ndarray
    false: np.ndarray
    missing: np.ndarray | None = None

    @property
    def unknown(self) -> np.ndarray:
        return ~(self.true | self.false)


Scalar = tuple[bool | None, frozenset[str]]


class Condition(ABC):
    """Base node."""

    @abstractmethod
    def scalar(self, case: Case) -> Scalar: ...

    @abstractmethod
    def vector(self, table: CaseTable, with_missing: bool) -> Vec: ...

    @abstractmethod
    def describe(self) -> str: ...

    @abstractmethod
    def facts(self) -> set[str]: ...


def _zeros(n: int) -> np.ndarray:
    return np.zeros(n, dtype=bool)


@dataclass
class Const(Condition):
    value: bool

    def scalar(self, case: Case) -> Scalar:
        return self.value, frozenset()

    def vector(self, table: CaseTable, with_missing: bool) -> Vec:
        n = len(table)
        t = np.full(n, self.value)
        return Vec(t, ~t, np.zeros(n, dtype=np.int64) if with_missing else None)

    def describe(self) -> str:
        return "true" if self.value else "false"

    def facts(self) -> set[str]:
        return set()


class Atom(Condition):
    """A test of one fact. Unknown fact → unknown result, never false."""

    path: str

    @abstractmethod
    def test(self, value: Any) -> bool: ...

    @abstractmethod
    def known_and_true(self, table: CaseTable, col: Any) -> tuple[np.ndarray, np.ndarray]: ...

    def scalar(self, case: Case) -> Scalar:
        value = case.get(self.path)
        if value is None:
            return None, frozenset((self.path,))
        return self.test(value), frozenset()

    def vector(self, table: CaseTable, with_missing: bool) -> Vec:
        key = (type(self).__name__, self.describe(), with_missing)
        found = table.memo.get(key)
        if found is None:
            found = table.memo[key] = self._vector(table, with_missing)
        return found

    def _vector(self, table: CaseTable, with_missing: bool) -> Vec:
        n = len(table)
        col = table.columns.get(self.path)
        if col is None:
            known, value = _zeros(n), _zeros(n)
        else:
            known, value = self.known_and_true(table, col)
        out = Vec(known & value, known & ~value)
        if with_missing:
            out.missing = np.where(known, np.int64(0), FACT_BIT[self.path])
        return out

    def facts(self) -> set[str]:
        return {self.path}


@dataclass
class BoolIs(Atom):
    path: str
    expected: bool = True

    def test(self, value: Any) -> bool:
        return value is self.expected

    def known_and_true(self, table, col: BoolColumn):
        known = col.true | col.false
        return known, (col.true if self.expected else col.false)

    def describe(self) -> str:
        return self.path if self.expected else f"not {self.path}"


@dataclass
class InSet(Atom):
    path: str
    values: tuple[str, ...] = ()

    def test(self, value: Any) -> bool:
        return value in self.values

    def known_and_true(self, table, col: CodeColumn):
        lut = np.zeros(len(col.vocab) + 1, dtype=bool)  # last slot: unknown (code -1)
        for v in self.values:
            if v in col.vocab:
                lut[col.vocab.index(v)] = True
        return col.codes >= 0, lut[col.codes]

    def describe(self) -> str:
        return f"{self.path} in [{', '.join(self.values)}]"


@dataclass
class ContainsAny(Atom):
    path: str
    values: tuple[str, ...] = ()

    def test(self, value: Any) -> bool:
        return any(v in value for v in self.values)

    def known_and_true(self, table, col: ListColumn):
        hit = _zeros(len(table))
        for v in self.values:
            hit |= col.members[v]
        return col.known, hit

    def describe(self) -> str:
        if len(self.values) == 1:
            return f"'{self.values[0]}' in {self.path}"
        return f"any of [{', '.join(self.values)}] in {self.path}"


@dataclass
class NonEmpty(Atom):
    path: str

    def test(self, value: Any) -> bool:
        return len(value) > 0

    def known_and_true(self, table, col: ListColumn):
        hit = _zeros(len(table))
        for arr in col.members.values():
            hit |= arr
        return col.known, hit

    def describe(self) -> str:
        return f"{self.path} is not empty"


_COMPARE: dict[str, tuple[str, Callable[[Any, Any], Any]]] = {
    "gt": (">", operator.gt),
    "ge": (">=", operator.ge),
    "lt": ("<", operator.lt),
    "le": ("<=", operator.le),
    "eq": ("==", operator.eq),
}


@dataclass
class Compare(Atom):
    path: str
    op: str = "gt"
    threshold: float = 0

    def test(self, value: Any) -> bool:
        return bool(_COMPARE[self.op][1](value, self.threshold))

    def known_and_true(self, table, col: np.ndarray):
        known = ~np.isnan(col)
        with np.errstate(invalid="ignore"):
            return known, _COMPARE[self.op][1](col, self.threshold) & known

    def describe(self) -> str:
        t = int(self.threshold) if float(self.threshold).is_integer() else self.threshold
        return f"{self.path} {_COMPARE[self.op][0]} {t}"


@dataclass
class _Junction(Condition):
    """`all` and `any` in Kleene logic, each the mirror of the other: one item with the
    `decisive` value decides the whole (false for all, true for any); the whole takes the other
    value when every item has it; otherwise it is unknown."""

    items: tuple[Condition, ...]
    decisive: ClassVar[bool]
    name: ClassVar[str]

    def scalar(self, case: Case) -> Scalar:
        return _memoised(self, case, self._scalar)

    def _scalar(self, case: Case) -> Scalar:
        results = [c.scalar(case) for c in self.items]
        if any(v is self.decisive for v, _ in results):
            return self.decisive, frozenset()
        if all(v is (not self.decisive) for v, _ in results):
            return not self.decisive, frozenset()
        return None, frozenset().union(*(m for v, m in results if v is None))

    def vector(self, table: CaseTable, with_missing: bool) -> Vec:
        parts = [c.vector(table, with_missing) for c in self.items]
        decided = _fold(np.logical_or, [p.true if self.decisive else p.false for p in parts])
        settled = _fold(np.logical_and, [p.false if self.decisive else p.true for p in parts])
        t, f = (decided, settled) if self.decisive else (settled, decided)
        return Vec(t, f, _combine_missing(parts, t, f) if with_missing else None)

    def describe(self) -> str:
        return f"{self.name}(" + ", ".join(c.describe() for c in self.items) + ")"

    def facts(self) -> set[str]:
        return set().union(*(c.facts() for c in self.items))


class All(_Junction):
    decisive = False
    name = "all"


class AnyOf(_Junction):
    decisive = True
    name = "any"


def _fold(combine: np.ufunc, masks: list[np.ndarray]) -> np.ndarray:
    """The masks combined into a new array (two at a time, then in place)."""
    out = combine(masks[0], masks[1]) if len(masks) > 1 else masks[0].copy()
    for mask in masks[2:]:
        combine(out, mask, out=out)
    return out


@dataclass
class Not(Condition):
    item: Condition

    def scalar(self, case: Case) -> Scalar:
        v, m = self.item.scalar(case)
        return (None if v is None else not v), m

    def vector(self, table: CaseTable, with_missing: bool) -> Vec:
        p = self.item.vector(table, with_missing)
        return Vec(p.false, p.true, p.missing)

    def describe(self) -> str:
        return f"not {self.item.describe()}"

    def facts(self) -> set[str]:
        return self.item.facts()


@dataclass
class OpenWithin(Condition):
    """An unencoded rule: never true; unknown inside its scope (scope true or unknown), false
    outside it. Combined with the encoded rules in Kleene logic, it leaves open exactly the
    verdicts the rule could change. No fact decides it inside the scope, so it adds only the
    scope's own unknown facts to `missing_facts`."""

    scope: Condition

    def scalar(self, case: Case) -> Scalar:
        v, m = self.scope.scalar(case)
        return (False, frozenset()) if v is False else (None, m)

    def vector(self, table: CaseTable, with_missing: bool) -> Vec:
        p = self.scope.vector(table, with_missing)
        return Vec(_zeros(len(table)), p.false, p.missing)

    def describe(self) -> str:
        return f"open within {self.scope.describe()}"

    def facts(self) -> set[str]:
        return self.scope.facts()


def _memoised(node: Condition, case: Case, compute) -> Scalar:
    """A compound node's value on a case, computed once per law applied (evaluate clears the
    memo); the stored node is compared by identity because an id can be reused."""
    hit = case.memo.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    found = compute(case)
    case.memo[id(node)] = (node, found)
    return found


def _combine_missing(parts: list[Vec], t: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Unknown facts of a compound node: those of its unknown children, where it is unknown."""
    masks = [p.missing for p in parts if p.missing is not None]  # every part's, with_missing
    m = masks[0].copy()
    for mask in masks[1:]:
        m |= mask
    np.multiply(m, ~(t | f), out=m)
    return m


# ---------------------------------------------------------------------------------------------
# parsing


class ConditionError(ValueError):
    """A malformed condition; `where` is the dotted location inside the law file."""

    def __init__(self, message: str, where: str) -> None:
        self.where = where
        super().__init__(message)


def parse(data: Any, where: str, definitions: dict[str, Condition] | None = None) -> Condition:
    """A Condition from its YAML form; raises ConditionError naming the location."""
    return _parse(data, where, definitions or {}, {})


def _parse(
    data: Any, where: str, definitions: dict[str, Condition], parsed: dict[int, Condition]
) -> Condition:
    """`parsed` holds the conditions already built, by id of their YAML mapping: a mapping
    shared through a YAML alias is parsed once, and the Condition is shared too."""
    if isinstance(data, dict) and id(data) in parsed:
        return parsed[id(data)]
    condition = _build(data, where, definitions, parsed)
    if isinstance(data, dict):
        parsed[id(data)] = condition
    return condition


def _build(
    data: Any, where: str, definitions: dict[str, Condition], parsed: dict[int, Condition]
) -> Condition:
    if isinstance(data, bool):
        return Const(data)
    if isinstance(data, str):
        return _atom({"fact": data}, where)
    if not isinstance(data, dict) or not data:
        raise ConditionError(
            f"expected a condition (a fact path or a mapping), got {data!r}", where
        )
    if "all" in data or "any" in data:
        key = "all" if "all" in data else "any"
        if set(data) != {key} or not isinstance(data[key], list) or not data[key]:
            raise ConditionError(f"'{key}' takes a non-empty list of conditions, alone", where)
        items = tuple(
            _parse(c, f"{where}.{key}[{i}]", definitions, parsed) for i, c in enumerate(data[key])
        )
        return All(items) if key == "all" else AnyOf(items)
    if "not" in data:
        if set(data) != {"not"}:
            raise ConditionError("'not' takes one condition, alone", where)
        return Not(_parse(data["not"], f"{where}.not", definitions, parsed))
    if "ref" in data:
        name = data["ref"]
        if set(data) != {"ref"} or name not in definitions:
            raise ConditionError(
                f"unknown definition {name!r}; defined: {', '.join(definitions) or 'none'}", where
            )
        return definitions[name]
    if "fact" in data:
        return _atom(data, where)
    raise ConditionError(
        f"unknown condition keys {sorted(data)}; expected fact, all, any, not, ref", where
    )


def _atom(data: dict[str, Any], where: str) -> Condition:
    path = data["fact"]
    spec = SPEC.get(path)
    if spec is None or path not in LEGAL_FACTS:
        raise ConditionError(f"unknown fact path {path!r} (see case-facts.md)", where)
    ops = set(data) - {"fact"}
    kind = spec.kind
    if kind == "bool":
        if ops - {"is"}:
            raise ConditionError(f"a boolean fact takes only 'is', got {sorted(ops)}", where)
        expected = data.get("is", True)
        if not isinstance(expected, bool):
            raise ConditionError("'is' takes true or false", where)
        return BoolIs(path, expected)
    if kind in ("enum", "country"):
        if ops != {"in"} or not isinstance(data["in"], list):
            raise ConditionError(f"{path} takes 'in: [values]'", where)
        if kind == "enum":
            _check_choices(data["in"], spec.choices, where)
        return InSet(path, tuple(data["in"]))
    if kind == "enumlist":
        if ops == {"contains"}:
            values = [data["contains"]]
        elif ops == {"contains_any"} and isinstance(data["contains_any"], list):
            values = data["contains_any"]
        elif ops == {"nonempty"} and data["nonempty"] is True:
            return NonEmpty(path)
        else:
            raise ConditionError(
                f"{path} takes 'contains', 'contains_any' or 'nonempty: true'", where
            )
        _check_choices(values, spec.choices, where)
        return ContainsAny(path, tuple(values))
    if kind in ("count", "amount"):
        if len(ops) != 1 or not ops <= set(_COMPARE):
            raise ConditionError(f"{path} takes one of {', '.join(_COMPARE)}", where)
        op = ops.pop()
        threshold = data[op]
        if not isinstance(threshold, (int, float)) or isinstance(threshold, bool):
            raise ConditionError(f"'{op}' takes a number", where)
        return Compare(path, op, float(threshold))
    raise ConditionError(f"{path} cannot be tested in a condition", where)


def _check_choices(values: list[Any], choices: tuple[str, ...], where: str) -> None:
    bad = [v for v in values if v not in choices]
    if bad:
        raise ConditionError(f"{bad[0]!r} is not among {', '.join(choices)}", where)
