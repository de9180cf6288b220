"""Case facts: the contract's example loads; bad input gets one clear error naming where."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from somlab.errors import SomlabInputError
from somlab.facts import cases_from_text, load_cases
from somlab.facts_table import read_table

from shared_data import shared_path


def test_contract_example_loads_with_unknowns_kept_unknown():
    spec = shared_path("spec", "case-facts.md").read_text()
    example = re.search(r"```yaml\n(.*?)```", spec, re.S).group(1)
    (case,) = cases_from_text(example, "example.yaml")
    assert case.id == "family-car-crossing"
    assert case.facts["benefit.obtained"] is False
    assert case.facts["exploitation.means"] == []
    assert "benefit.kind" not in case.facts  # omitted = unknown, never false


def test_json_list_of_cases(tmp_path):
    path = tmp_path / "cases.json"
    path.write_text(
        '[{"id": "a", "date": "2020-01-01", "benefit": {"obtained": null}},\n'
        ' {"id": "b", "date": "2020-01-02"}]'
    )
    cases = load_cases(path)
    assert [c.id for c in cases] == ["a", "b"]
    assert cases[0].facts == {}


@pytest.mark.parametrize(
    "text,line,field,message",
    [
        (
            "id: a\ndate: 2020-01-01\nbenefit: {obtained: maybe}\n",
            3,
            "benefit.obtained",
            "true, false or null",
        ),
        ("id: a\ndate: 2020-13-01\n", 2, "date", "expected a date"),
        (
            "id: a\ndate: 2020-01-01\nbenefit:\n  profit: true\n",
            4,
            "benefit.profit",
            "unknown fact",
        ),
        ("id: a\ndate: 2020-01-01\nweather: rainy\n", 3, "weather", "unknown field"),
        ("id: a\ndate: 2020-01-01\nmigrants: {count: -2}\n", 3, "migrants.count", ">= 0"),
        (
            "id: a\ndate: 2020-01-01\nconduct: {facilitated: [entry, flight]}\n",
            3,
            "conduct.facilitated",
            "'flight'",
        ),
        ("date: 2020-01-01\n", None, "id", "required"),
    ],
)
def test_bad_fact_names_line_and_field(text, line, field, message):
    with pytest.raises(SomlabInputError) as err:
        cases_from_text(text, "case.yaml")
    e = err.value
    assert e.field == field and message in e.message
    if line:
        assert e.line == line
    assert "case.yaml" in str(e)


def test_malformed_yaml_names_the_line():
    with pytest.raises(SomlabInputError, match=r"case.yaml, line \d: malformed YAML"):
        cases_from_text("id: a\ndate: 2020-01-01\nbenefit: {obtained: true\n", "case.yaml")


def test_malformed_json_names_the_line(tmp_path):
    path = tmp_path / "c.json"
    path.write_text('{"id": "a",\n "date": "2020-01-01",,\n}')
    with pytest.raises(SomlabInputError) as err:
        load_cases(path)
    assert err.value.line == 2


def test_all_problems_in_a_file_are_listed_together():
    text = "- id: a\n  date: 2020-01-01\n  benefit: {obtained: 3}\n- id: a\n  date: 2020-01-02\n"
    with pytest.raises(SomlabInputError) as err:
        cases_from_text(text, "cases.yaml")
    rendered = str(err.value)
    assert "benefit.obtained" in rendered and "duplicate case id" in rendered


def test_not_utf8_and_missing_file(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: a\ndate: 2020-01-01\nsummary: caf\xe9\n".encode("latin-1"))
    with pytest.raises(SomlabInputError, match="not UTF-8"):
        load_cases(path)
    with pytest.raises(SomlabInputError, match="no such file"):
        load_cases(tmp_path / "absent.yaml")


def test_huge_yaml_is_refused_before_reading(tmp_path, monkeypatch):
    import somlab.facts as facts

    monkeypatch.setattr(facts, "MAX_CASE_FILE_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("id: a\ndate: 2020-01-01\nsummary: " + "x" * 200 + "\n")
    with pytest.raises(SomlabInputError, match="over the .* limit"):
        load_cases(path)


def _csv(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "batch.csv"
    path.write_text(body)
    return path


def test_csv_batch_reads_lists_and_unknowns(tmp_path):
    path = _csv(
        tmp_path,
        "id,date,benefit.obtained,conduct.facilitated,migrants.count\n"
        "a,2020-01-01,true,entry;stay,3\nb,2020-01-02,,,\n",
    )
    table = read_table(path)
    benefit = table.columns["benefit.obtained"]
    assert list(benefit.true) == [True, False] and list(benefit.false) == [False, False]
    lst = table.columns["conduct.facilitated"]
    assert list(lst.known) == [True, False] and list(lst.members["stay"]) == [True, False]


@pytest.mark.parametrize(
    "body,line,field",
    [
        (
            "id,date,benefit.obtained\na,2020-01-01,true\nb,2020-01-02,sometimes\n",
            3,
            "benefit.obtained",
        ),
        ("id,date,migrants.count\na,2020-01-01,-1\n", 2, "migrants.count"),
        ("id,date,actor.role\na,2020-01-01,pilot\n", 2, "actor.role"),
        ("id,date\na,2020-02-30\n", 2, "date"),
    ],
)
def test_bad_csv_cell_names_line_and_field(tmp_path, body, line, field):
    with pytest.raises(SomlabInputError) as err:
        read_table(_csv(tmp_path, body))
    assert (err.value.line, err.value.field) == (line, field)


def test_unknown_column_and_wrong_separator(tmp_path):
    with pytest.raises(SomlabInputError, match="unknown column") as err:
        read_table(_csv(tmp_path, "id,date,benefit.profit\na,2020-01-01,true\n"))
    assert err.value.field == "benefit.profit"
    with pytest.raises(SomlabInputError, match="comma-separated"):
        read_table(_csv(tmp_path, "id;date\na;2020-01-01\n"))
