"""The corpus itself: quotes are in the texts, every rule cites, problems are reported at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from somlab.errors import LawConflictError, SomlabInputError
from somlab.facts import case_from_mapping
from somlab.law.corpus import bundled_corpus_dir, default_corpus, load_corpus
from somlab.law.model import normalise_space
from somlab.law.scalar import evaluate


def _laws():
    for versions in default_corpus().versions.values():
        for compiled in versions:
            yield compiled.law


def test_every_quote_is_in_its_provision_text():
    checked = 0
    for law in _laws():
        rules = [
            *(el for o in law.offences for el in o.elements),
            *law.exceptions,
            *law.aggravations,
            *law.cited,
        ]
        for rule in rules:
            text = normalise_space(law.provisions[rule.provision].text)
            assert rule.quote and normalise_space(rule.quote) in text, (law.file, rule)
            checked += 1
    assert checked > 30


def test_every_provision_has_a_known_source_and_every_law_dates():
    for law in _laws():
        assert law.valid_from is not None
        for p in law.provisions.values():
            assert p.source in law.sources, (law.file, p.id)
            assert p.text.strip()


def test_a_case_dated_on_a_valid_from_uses_that_version():
    corpus = default_corpus()
    for code in corpus.codes():
        for compiled in corpus.history(code):
            assert corpus.at(code, compiled.law.valid_from) is compiled


def _copy_un_som(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "UN-SOM").mkdir(parents=True)
    shutil.copy(bundled_corpus_dir() / "UN-SOM" / "2004-01-28.yaml", root / "UN-SOM")
    shutil.copytree(bundled_corpus_dir() / "texts" / "UN-SOM", root / "texts" / "UN-SOM")
    return root / "UN-SOM" / "2004-01-28.yaml"


def test_check_reports_every_problem_with_line(tmp_path):
    path = _copy_un_som(tmp_path)
    text = path.read_text()
    text = text.replace(
        "quote: when committed intentionally", "quote: when committed with wilful blindness", 1
    )
    text = text.replace("test: {ref: benefit}", "test: {fact: benefit.gained}", 1)
    text = text.replace("kind: endangerment", "kind: peril", 1)
    path.write_text(text)
    with pytest.raises(SomlabInputError) as err:
        load_corpus(path.parent.parent)
    problems = err.value.problems
    messages = " | ".join(p.render() for p in problems)
    assert len(problems) >= 3, messages
    assert "quote is not in the text" in messages
    assert "unknown fact path 'benefit.gained'" in messages
    assert "kind must be one of" in messages
    assert all(p.line for p in problems), messages


def test_overlapping_versions_are_reported(tmp_path):
    path = _copy_un_som(tmp_path)
    second = path.with_name("2010-01-01.yaml")
    second.write_text(path.read_text().replace("valid_from: 2004-01-28", "valid_from: 2010-01-01"))
    with pytest.raises(SomlabInputError, match="overlaps"):
        load_corpus(path.parent.parent)


def test_opposite_exceptions_without_priority_are_an_error(tmp_path):
    path = _copy_un_som(tmp_path)
    text = (
        path.read_text()
        .replace(
            "aggravations:\n",
            """  - id: may-spare-helpers
    provision: art 6(4)
    title: a clause that only permits
    quote: Nothing in this Protocol shall prevent a State Party
    defeats: [smuggling]
    effect: optional
    when: {fact: motive.humanitarian}
aggravations:
""",
            1,
        )
        .replace(
            """    effect: not_an_offence
    when:
      all:
        - {fact: actor.is_smuggled_migrant}""",
            """    effect: not_an_offence
    when:
      all:
        - {fact: actor.is_smuggled_migrant}
        - {fact: motive.humanitarian}""",
        )
    )
    path.write_text(text)
    corpus = load_corpus(path.parent.parent)
    case = case_from_mapping(
        {
            "id": "c",
            "date": "2020-01-01",
            "actor": {"is_smuggled_migrant": True},
            "motive": {"humanitarian": True},
            "benefit": {"obtained": False},
            "migrants": {"count": 1},
        }
    )
    with pytest.raises(LawConflictError, match="neither"):
        evaluate(corpus.at("UN-SOM", case.date), case)


def test_a_stored_text_that_is_missing_or_does_not_hold_the_quote_is_reported(tmp_path):
    from somlab.law.model import load_law
    from somlab.law.texts import verify

    path = _copy_un_som(tmp_path)
    root = path.parent.parent
    assert verify([load_law(path)], root)[1] == []
    stored = root / "texts" / "UN-SOM" / "un-smuggling-protocol.md"
    stored.write_text(stored.read_text().replace("Migrants shall not become liable", "Migrants"))
    assert {u.provision for u in verify([load_law(path)], root)[1]} == {"art 5"}
    stored.unlink()
    with pytest.raises(SomlabInputError, match="stored text texts/UN-SOM/un-smuggling-protocol.md"):
        load_law(path)


def test_life_imprisonment_and_death_are_flags_not_years(tmp_path):
    from somlab.facts import case_from_mapping
    from somlab.law.compiled import compile_law
    from somlab.law.model import load_law
    from somlab.law.scalar import evaluate

    path = _copy_un_som(tmp_path)
    text = path.read_text().replace(
        '    protocol: ["6(1)(a)"]\n    note:',
        '    protocol: ["6(1)(a)"]\n    penalty: {quote: "The smuggling of migrants", max_years: null,'
        " life: true, death_penalty: true}\n    note:",
        1,
    )
    path.write_text(text)
    case = case_from_mapping(
        {
            "id": "c",
            "date": "2019-06-01",
            "actor": {"is_smuggled_migrant": False, "is_family_member": False},
            "conduct": {"facilitated": ["entry"], "intentional": True},
            "migrants": {"nationals_or_residents": False, "irregular": True},
            "benefit": {"obtained": True, "exceeds_costs": True},
            "motive": {"humanitarian": False},
        }
    )
    result = evaluate(compile_law(load_law(path)), case).to_dict()
    assert result["offence"] is True
    assert result["penalty_max_years"] is None
    assert result["penalty_life_imprisonment"] is True and result["penalty_death"] is True
    path.write_text(text.replace("max_years: null, life: true", "max_years: 99, life: true"))
    with pytest.raises(SomlabInputError, match="max_years: null"):
        load_law(path)
