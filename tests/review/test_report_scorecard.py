"""Report rendering and scorecard sums."""

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from somlab.review import commands
from somlab.review.catalogue import units
from somlab.review.files import load_review
from somlab.review.report import to_html, to_markdown
from somlab.review.scorecard import compare
from somlab.vocabulary import OBJECTIVES

EXAMPLES = sorted((Path(__file__).parents[2] / "src/somlab/review/examples").glob("*.yaml"))
app = typer.Typer()
commands.register(app)
runner = CliRunner()


@pytest.fixture(scope="module")
def gb():
    return load_review(next(p for p in EXAMPLES if p.name.startswith("GB")))


def test_markdown_report_has_the_mechanism_structure_per_cluster(gb):
    md = to_markdown(gb)
    for n in (1, 2, 3, 4):
        assert f"## Cluster {n}:" in md
    for heading in (
        "Gaps and challenges",
        "Good practices",
        "Suggestions",
        "Technical-assistance needs",
    ):
        assert md.count(f"### {heading}") == 4
    assert "| art 6(1)(a) | shall | prosecute | implemented | computed |" in md
    assert "evidence: GB s 25(1) (GB, law in force on 2024-06-01)" in md
    assert "not a review of the UNTOC Review Mechanism" in md


def test_html_report_escapes_and_shows_text(gb):
    page = to_html(gb)
    assert page.startswith("<!doctype html>") and "<h2>Cluster 2:" in page
    assert "Migrants shall not become liable" in page
    assert "&quot;" in page or "&#x27;" in page or "``" in page


def test_report_command_md_and_pdf_without_chromium(tmp_path, monkeypatch):
    path = str(next(p for p in EXAMPLES if p.name.startswith("IT")))
    result = runner.invoke(app, ["review", "report", path, "--format", "md"])
    assert result.exit_code == 0 and "# Implementation review: IT" in result.stdout
    monkeypatch.setattr("shutil.which", lambda name: None)
    result = runner.invoke(
        app, ["review", "report", path, "--format", "pdf", "--out", str(tmp_path / "r.pdf")]
    )
    assert result.exit_code == 2 and "needs headless Chromium" in result.stderr


def test_scorecard_counts_sum_to_the_obligations_per_objective():
    reviews = [load_review(p) for p in EXAMPLES]
    doc = compare(reviews)
    for card, review in zip(doc["states"], reviews):
        assert [row["objective"] for row in card["objectives"]] == list(OBJECTIVES)
        for row in card["objectives"]:
            expected = [o for o in units() if o.objective == row["objective"] and o.is_obligation]
            assert sum(row["counts"].values()) == row["obligations"] == len(expected)
            assert sum(row["shares"].values()) == pytest.approx(1, abs=1e-3)
            assert row["counts"]["unknown"] == sum(
                review.entry(o.id).status == "unknown" for o in expected
            )


def test_scorecard_command_json_and_chart(tmp_path):
    result = runner.invoke(app, ["review", "scorecard", *map(str, EXAMPLES), "--format", "json"])
    doc = json.loads(result.stdout)
    assert {c["state"] for c in doc["states"]} >= {"IT", "GB"}
    out = tmp_path / "card.html"
    result = runner.invoke(
        app, ["review", "scorecard", *map(str, EXAMPLES), "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0 and "vega" in out.read_text()


def test_the_report_shows_per_objective_how_much_has_any_evidence(gb):
    md = to_markdown(gb)
    table = md.split("## Evidence per objective")[1].split("## Cluster 1")[0]
    card = {row["objective"]: row for row in compare([gb])["states"][0]["objectives"]}
    for objective in OBJECTIVES:
        row = card[objective]
        evidenced = sum(
            bool(gb.entry(o.id).evidence)
            for o in units()
            if o.objective == objective and o.is_obligation
        )
        assert row["with_evidence"] == evidenced
        assert f"| {objective} | {row['obligations']} | {evidenced} (" in table
    assert "<h2>Evidence per objective</h2>" in to_html(gb)


def test_each_cluster_heading_gives_its_source_or_why_it_is_inferred(gb):
    md = to_markdown(gb)
    cluster1 = md.split("## Cluster 1")[1].split("## Cluster 2")[0]
    assert "as listed by La Strada International" in cluster1
    cluster2 = md.split("## Cluster 2")[1].split("## Cluster 3")[0]
    assert "assigned by the cluster's title (inferred)" in cluster2


def test_scorecard_compares_italy_greece_and_the_united_kingdom():
    result = runner.invoke(app, ["review", "scorecard", *map(str, EXAMPLES)])
    assert result.exit_code == 0, result.output
    for state in ("IT", "GR", "GB"):
        assert f"│ {state} " in result.output
    assert "with evidence" in result.output


@pytest.mark.browser
def test_pdf_report_with_chromium(tmp_path):
    import shutil

    if not any(map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))):
        pytest.skip("no headless Chromium on this machine")
    out = tmp_path / "gr.pdf"
    path = str(next(p for p in EXAMPLES if p.name.startswith("GR")))
    result = runner.invoke(app, ["review", "report", path, "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:5] == b"%PDF-"
