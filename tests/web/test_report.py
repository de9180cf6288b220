"""`somlab report`: one self-contained HTML file with every section and a source under each figure."""

from __future__ import annotations

import re
import shutil

import pytest
from typer.testing import CliRunner

from somlab.cli import _register_all, app


@pytest.fixture(scope="module")
def report(tmp_path_factory, store_path):
    _register_all()
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(
        app,
        [
            "report",
            "--out",
            str(out),
            "--as-of",
            "2020-01-01",
            "--store",
            str(store_path),
            "--runs",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_report_has_every_section(report):
    for heading in (
        "Method",
        "Law on the books",
        "Cases",
        "Law in action",
        "Data gaps",
        "Reviews",
        "What if",
        "Sources",
    ):
        assert re.search(rf"<h2 id=\"[a-z]+\">\d\. {heading}", report), heading
    assert "as of 2020-01-01" in report


@pytest.mark.slow
def test_report_is_self_contained(report):
    assert "<script" not in report and not re.search(r'(src|href)="https?://', report)
    assert "<svg" in report


@pytest.mark.slow
def test_every_chart_has_a_source(report):
    figures = re.findall(r"<figure>.*?</figure>", report, re.S)
    assert figures and all("Source:" in f or "source" in f for f in figures)


def test_bad_as_of_is_a_clear_error(tmp_path):
    _register_all()
    result = CliRunner().invoke(
        app, ["report", "--out", str(tmp_path / "r.html"), "--as-of", "2020-13-01"]
    )
    assert result.exit_code == 2 and "--as-of" in result.output


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("chromium"), reason="no chromium binary to print the PDF")
def test_pdf(tmp_path, report):
    from somlab.report.build import write_pdf

    html = tmp_path / "r.html"
    html.write_text(report, encoding="utf-8")
    write_pdf(html, tmp_path / "r.pdf")
    assert (tmp_path / "r.pdf").read_bytes()[:4] == b"%PDF"


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("chromium"), reason="no chromium binary to print the PDF")
def test_pdf_is_a4_by_default_and_letter_on_request(tmp_path, report):
    import re

    from somlab.report.build import write_pdf

    html = tmp_path / "r.html"
    html.write_text(report, encoding="utf-8")
    sizes = {}
    for paper in ("A4", "Letter"):
        write_pdf(html, tmp_path / f"{paper}.pdf", *([] if paper == "A4" else [paper]))
        box = re.search(
            rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", (tmp_path / f"{paper}.pdf").read_bytes()
        )
        sizes[paper] = (round(float(box.group(1))), round(float(box.group(2))))
    assert sizes == {"A4": (595, 842), "Letter": (612, 792)}
