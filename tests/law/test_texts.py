"""Stored verbatim texts: every quote of a law file is checked against the text its source stores."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from somlab.law import commands
from somlab.law.corpus import default_corpus, load_corpus
from somlab.law.texts import found_in, stored_body, verify

CHECKED_CODES = ("GR", "IT", "BE", "FR", "ES")

STORED = """WHAT THIS IS: a test statute, art. 1.
PUBLISHER / DOCUMENT: Test Gazette, Act 1 of 2020
SOURCE URL: https://example.org/act-1
COMPLETENESS: art. 1 complete. The words only in the header: secret header words.
--- (A) ---
1. Whoever knowingly helps another person to enter the State in breach of this Act
   is punished with imprisonment of up to two years.
2. Paragraph 1 does not apply to help given for humanitarian reasons.
"""

LAW = """code: TT
name: Test Act, art. 1
kind: national
version: TT/2020-01-01
valid_from: 2020-01-01
valid_to: null
enacted_by: Act 1 of 2020
language: en
sources:
  - {id: stored, title: "Test Gazette, Act 1 of 2020", where: Test Gazette, href: "https://example.org/act-1", text: TEXT_PATH}
  - {id: bare, title: "A page without a stored copy", where: a page}
provisions:
  art 1(1):
    source: stored
    text: >-
      Whoever knowingly helps another person to enter the State in breach of this Act is punished
      with imprisonment of up to two years.
  art 1(2):
    source: bare
    text: Paragraph 1 does not apply to help given for humanitarian reasons.
offences:
  - id: help-entry
    provision: art 1(1)
    title: Helping entry
    penalty: {quote: "imprisonment of up to two years", max_years: 2}
    elements:
      - {id: intent, provision: art 1(1), quote: "QUOTE", test: conduct.intentional}
exceptions:
  - id: humanitarian
    provision: art 1(2)
    title: Humanitarian help
    quote: does not apply to help given for humanitarian reasons
    defeats: [help-entry]
    effect: not_an_offence
    when: motive.humanitarian
"""


def _corpus(tmp_path: Path, quote: str, text: str = "texts/TT/act-1.md") -> Path:
    root = tmp_path / "corpus"
    (root / "TT").mkdir(parents=True)
    (root / "texts" / "TT").mkdir(parents=True)
    (root / "texts" / "TT" / "act-1.md").write_text(STORED, encoding="utf-8")
    (root / "TT" / "2020-01-01.yaml").write_text(
        LAW.replace("TEXT_PATH", text).replace("QUOTE", quote), encoding="utf-8"
    )
    return root


def _unverified(root: Path) -> dict[str, str]:
    corpus = load_corpus(root)
    _, unverified = verify([c.law for v in corpus.versions.values() for c in v], root)
    return {u.where: u.reason for u in unverified}


def test_fragments_between_elisions_must_occur_in_order():
    body = "one two three four five"
    assert found_in("one two [...] four", body)
    assert found_in("two […] five", body)
    assert not found_in("four [...] two", body)
    assert not found_in("one three", body)


def test_typographic_apostrophes_and_spacing_are_not_differences():
    from somlab.law.texts import comparable

    assert found_in("l'entrée  de l'étranger", comparable("a l’entrée de\n l’étranger b"))
    assert not found_in("l'entrée d'un étranger", comparable("l’entrée de l’étranger"))


def test_the_header_is_not_part_of_the_stored_text(tmp_path):
    path = tmp_path / "t.md"
    path.write_text(STORED, encoding="utf-8")
    body = stored_body(path)
    assert "secret header words" not in body
    assert "humanitarian reasons" in body


def test_a_quote_from_the_stored_text_is_verified(tmp_path):
    root = _corpus(tmp_path, "Whoever knowingly helps another person")
    problems = _unverified(root)
    assert "offences[help-entry].elements[intent]" not in problems
    assert "offences[help-entry].penalty" not in problems
    assert "provisions[art 1(1)]" not in problems


def test_a_quote_not_in_the_stored_text_is_listed(tmp_path):
    # the words are in the law file's provision (the file is valid) but were never read
    root = _corpus(tmp_path, "knowingly helps another person to enter")
    (root / "TT" / "2020-01-01.yaml").write_text(
        (root / "TT" / "2020-01-01.yaml")
        .read_text(encoding="utf-8")
        .replace("another person to enter the State", "another person to enter the State secretly"),
        encoding="utf-8",
    )
    problems = _unverified(root)
    assert problems["provisions[art 1(1)]"].startswith("quote not found in the stored text")


def test_a_quote_whose_source_stores_no_text_is_listed(tmp_path):
    problems = _unverified(_corpus(tmp_path, "Whoever knowingly"))
    assert problems["exceptions[humanitarian]"] == "source 'bare' has no stored text"


def test_a_missing_stored_text_is_refused_when_the_file_is_read(tmp_path):
    from somlab.errors import SomlabInputError

    with pytest.raises(SomlabInputError, match="stored text texts/TT/missing.md not found"):
        _unverified(_corpus(tmp_path, "Whoever knowingly", text="texts/TT/missing.md"))


def test_law_check_lists_unverifiable_quotes_with_reasons(tmp_path):
    root = _corpus(tmp_path, "Whoever knowingly")
    app = typer.Typer()
    commands.register(app)
    res = CliRunner().invoke(app, ["law", "check", "--corpus", str(root)])
    assert res.exit_code == 0, res.output
    assert "not verifiable:" in res.output
    assert "exceptions[humanitarian] (art 1(2)): source 'bare' has no stored text" in res.output
    assert "TT/2020-01-01.yaml" in res.output


@pytest.mark.parametrize("code", CHECKED_CODES)
def test_every_quote_of_the_mediterranean_laws_is_verified(code):
    corpus = default_corpus()
    laws = [c.law for c in corpus.history(code)]
    verified, unverified = verify(laws, corpus.root)
    assert verified > 0
    assert [u.render() for u in unverified] == []


@pytest.mark.parametrize("code", CHECKED_CODES)
def test_sources_shown_to_users_name_no_folders(code):
    for compiled in default_corpus().history(code):
        for source in compiled.law.sources.values():
            shown = f"{source.title} {source.where}".lower()
            for word in ("shared/", "stored copy", "search corpus", "sources/", "found with"):
                assert word not in shown, (compiled.law.version, source.id, word)


@pytest.mark.parametrize(
    "path",
    sorted((Path(__file__).parents[2] / "src" / "somlab" / "corpus" / "texts").glob("*/*.md")),
    ids=lambda p: p.name,
)
def test_every_stored_text_has_a_header_naming_its_address(path):
    text = path.read_text(encoding="utf-8")
    header = text.split("\n---", 1)[0]
    assert "\n---" in text, "a line starting with --- ends the header"
    assert "http" in header or "repository" in header, "the header names where the text is from"
    assert stored_body(path).strip(), "the stored text is not empty"
