"""The case-facts contract in code (`somlab.case_contract`) against the published specification,
and the three checks generated from it (one case, a batch, the JSON Schema) agreeing value by
value."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest

from somlab.case_contract import ADDITIONS, FACTS, SPEC, Kind, case_json_schema
from somlab.errors import SomlabInputError
from somlab.facts_table import table_from_arrow

from shared_data import shared_path

ROW = re.compile(r"^\| `([a-z_.]+)` \| (.+?) \| .* \|$", re.M)


def spec_kind(text: str) -> tuple[Kind, tuple[str, ...], bool]:
    """The kind, allowed values and required flag of a type cell of the specification's table."""
    required = text.endswith(", required")
    text = text.removesuffix(", required")
    values = tuple(re.findall(r"`([a-z_]+)`", text))
    if text.startswith("enum:"):
        return Kind.ENUM, values, required
    if text.startswith("list of"):
        return Kind.ENUMLIST, values, required
    kinds = {
        "string": Kind.TEXT,
        "`YYYY-MM-DD`": Kind.DATE,
        "ISO 3166-1 alpha-2, or `EU`": Kind.COUNTRY,
        "ISO alpha-2": Kind.COUNTRY,
        "bool": Kind.BOOL,
        "int ≥ 0": Kind.COUNT,
        "number ≥ 0": Kind.AMOUNT,
    }
    if text not in kinds:
        raise AssertionError(f"a type the test does not know in case-facts.md: {text!r}")
    return kinds[text], (), required


def published() -> dict[str, tuple[Kind, tuple[str, ...], bool]]:
    text = shared_path("spec", "case-facts.md").read_text(encoding="utf-8")
    rows = {path: spec_kind(cell) for path, cell in ROW.findall(text)}
    assert len(rows) >= 36 and "conduct.facilitated" in rows  # the table was read
    return rows


def test_every_published_fact_is_in_code_with_its_kind_values_and_requirement():
    for path, (kind, values, required) in published().items():
        assert path in SPEC, f"{path} is in the specification but not in code"
        fact = SPEC[path]
        assert (fact.kind, fact.required, fact.added) == (kind, required, False), path
        assert fact.choices == values, f"{path}: code {fact.choices}, specification {values}"


def test_code_adds_only_declared_optional_facts():
    extra = {f.path for f in FACTS} - published().keys()
    assert extra == set(ADDITIONS)
    assert all(SPEC[p].added and not SPEC[p].required for p in ADDITIONS)


def test_the_published_facts_of_this_version_are_there():
    assert "movement" in SPEC["conduct.facilitated"].choices
    assert SPEC["actor.public_official"].kind == Kind.BOOL


# one value a fact can hold and one it cannot, by kind; each must be judged alike by the check of
# one case, the check of a batch column and the JSON Schema
SAMPLES = {
    Kind.TEXT: ("a", None),
    Kind.COUNTRY: ("EU", "ÄB"),
    Kind.BOOL: (True, "maybe"),
    Kind.COUNT: (3, -1),
    Kind.AMOUNT: (2.5, -0.5),
}


def _sample(fact):
    if fact.kind == Kind.ENUM:
        return fact.choices[-1], "nosuch"
    if fact.kind == Kind.ENUMLIST:
        return [fact.choices[0]], ["nosuch"]
    return SAMPLES[fact.kind]


def _scalar_ok(fact, value) -> bool:
    try:
        fact.check(value)
    except ValueError:
        return False
    return True


def _batch_ok(fact, value) -> bool:
    if fact.kind in (Kind.BOOL, Kind.COUNT, Kind.AMOUNT):
        column = pa.array([value])
    else:
        column = pa.array([";".join(value) if isinstance(value, list) else value], pa.string())
    table = pa.table({"id": ["a"], "date": ["2020-01-01"], fact.path: column})
    try:
        table_from_arrow(table, "t", csv=True)
    except SomlabInputError:
        return False
    return True


@pytest.mark.parametrize("path", [f.path for f in FACTS if f.kind != Kind.DATE and not f.required])
def test_one_case_a_batch_and_the_json_schema_judge_a_value_alike(path):
    jsonschema = pytest.importorskip("jsonschema")
    fact = SPEC[path]
    schema = fact.json_schema()
    for value, valid in zip(_sample(fact), (True, False)):
        if value is None:
            continue
        assert _scalar_ok(fact, value) is valid, (path, value)
        assert jsonschema.Draft202012Validator(schema).is_valid(value) is valid, (path, value)
        if fact.group is not None or fact.kind == Kind.COUNTRY:  # batches check these columns
            assert _batch_ok(fact, value) is valid, (path, value)


def test_the_case_schema_lists_every_fact_in_its_group():
    props = case_json_schema()["properties"]
    for fact in FACTS:
        where = props[fact.group]["properties"] if fact.group else props
        assert where[fact.leaf]["description"] == fact.meaning
    assert case_json_schema()["required"] == ["id", "date"]
