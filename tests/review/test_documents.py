"""The document register: every document well formed, passages cited by id, quotes verified."""

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from somlab.errors import SomlabInputError
from somlab.review import commands
from somlab.review.catalogue import units
from somlab.review.citations import unresolved
from somlab.review.documents import (
    KINDS,
    SUPPORTED,
    bearing_on,
    load_document,
    passages,
    quote_problem,
    register,
)
from somlab.review.files import load_review

app = typer.Typer()
commands.register(app)

GOOD = """schema: somlab.document/1
id: {id}
title: A report
publisher: A publisher
date: '2020-01-31'
address: https://example.org/report
kind: report
language: en
passages:
- id: p1
  text: The words as read.
  bears_on:
  - {{state: IT, provision: '16(3)', status: implemented, reading: a reading}}
"""


def test_every_document_names_publisher_date_address_and_stores_its_passages():
    docs = register()
    assert len(docs) >= 40
    units_ids = {o.id for o in units()}
    for doc in docs.values():
        assert doc.publisher and doc.title and doc.address.startswith("http")
        assert doc.kind in KINDS and doc.passages
        for p in doc.passages:
            assert p.id.startswith(doc.id + "#") and len(p.text) > 20
            for b in p.bears_on:
                assert b.provision in units_ids and b.status in SUPPORTED and b.reading
    ids = [p for d in docs.values() for p in (x.id for x in d.passages)]
    assert len(ids) == len(set(ids))


def test_the_italy_libya_memorandum_is_stored_with_its_article_1():
    doc = register()["it-ly-memorandum-2017"]
    assert doc.date == "2017-02-02"
    text = passages()["it-ly-memorandum-2017#art1"][1].text
    assert "the border guard and the coast guard of the Ministry of Defence" in text


def test_a_quote_must_be_in_the_stored_passage():
    pid = "it-ly-memorandum-2017#art1"
    assert (
        quote_problem(pid, "technical and technologic support to the Libyan institutions") is None
    )
    assert "not in the text" in quote_problem(pid, "Italy guarantees the rights of migrants")
    assert "no passage" in quote_problem("it-ly-memorandum-2017#art9", None)


def test_review_check_reports_an_unknown_passage_and_a_quote_not_read(tmp_path):
    path = tmp_path / "review.yaml"
    path.write_text(
        """schema: somlab.review/1
state: IT
as_of: 2019-06-01
reviewer: test
date: 2025-01-01
entries:
  '17':
    status: implemented
    evidence:
    - kind: document
      passage: it-ly-memorandum-2017#art1
      quote: the Italian party commits to provide technical and technologic support
    - kind: document
      passage: it-ly-memorandum-2017#art7
    - kind: document
      passage: it-ly-memorandum-2017#art1
      quote: Italy will respect the rights of every migrant
""",
        encoding="utf-8",
    )
    problems = unresolved(load_review(path))
    assert [(p.line, p.field) for p in problems] == [(13, "evidence"), (15, "evidence")]
    result = CliRunner().invoke(app, ["review", "check", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "not in the text" in result.output


def test_a_bad_document_is_refused_with_file_line_and_field(tmp_path):
    path = tmp_path / "bad-doc.yaml"
    path.write_text(
        GOOD.format(id="bad-doc")
        .replace("https://example.org/report", "a shelf")
        .replace("provision: '16(3)'", "provision: '99'"),
        encoding="utf-8",
    )
    with pytest.raises(SomlabInputError) as info:
        load_document(path)
    found = {(p.line, p.field) for p in info.value.problems}
    assert (6, "address") in found and (13, "provision") in found


def test_a_document_is_named_after_its_id(tmp_path):
    path = tmp_path / "other-name.yaml"
    path.write_text(GOOD.format(id="a-doc"), encoding="utf-8")
    with pytest.raises(SomlabInputError) as info:
        load_document(path)
    assert info.value.field == "id"


def test_only_documents_dated_on_or_before_the_review_bear_on_it():
    later = {doc.id for doc, _, _ in bearing_on("GR", "16(3)", "2024-07-15")}
    earlier = {doc.id for doc, _, _ in bearing_on("GR", "16(3)", "2019-01-01")}
    assert {"frontex-fro-pylos-sir-2023", "bvmn-safi-v-greece-2022"} <= later
    assert earlier == {"fra-ngo-sar-2018"}


def test_every_example_cites_documents_that_the_report_lists_with_their_address():
    from somlab.review.report import to_markdown

    path = Path(__file__).parents[2] / "src/somlab/review/examples/IT-2019-06-01.yaml"
    text = to_markdown(load_review(path))
    cited = text.split("## Documents cited")[1]
    assert "Marina Militare (Italian Navy)" in cited
    assert "http://www.marina.difesa.it/" in cited


def test_review_documents_lists_the_passages_bearing_on_a_provision():
    result = CliRunner().invoke(
        app, ["review", "documents", "--state", "GR", "--provision", "16(3)", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    import json

    rows = json.loads(result.output)
    assert {r["passage"] for r in rows} == {
        "bvmn-safi-v-greece-2022#article-2",
        "fra-ngo-sar-2018#states",
        "frontex-fro-pylos-sir-2023#no-sar",
    }
    assert all(r["address"].startswith("http") and r["bears_on"] for r in rows)
