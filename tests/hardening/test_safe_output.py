"""Output that data cannot subvert: `</script>` in a value stays data in every HTML writer, and a
text cell that a spreadsheet would run as a formula is quoted in every CSV writer."""

from __future__ import annotations

import csv
import io
import json
import re
from importlib import resources

import pandas as pd
import pyarrow as pa
import pytest

from somlab import csvsafe, htmlsafe

from hardening_kit import run

PAYLOAD = "</script><img src=x onerror=alert(1)>"
FORMULAS = ['=HYPERLINK("http://x")', "@SUM(1+1)", "+cmd", "-2+3", "\tx", "\rx"]


def assert_inert(html: str) -> None:
    assert PAYLOAD not in html and "<img src=x" not in html


def test_script_json_is_the_same_value_without_markup():
    doc = {"a": PAYLOAD, "b": ["&", "\u2028", "\u2029"], PAYLOAD: 1}
    text = htmlsafe.script_json(doc, indent=2)
    assert json.loads(text) == doc
    assert not set("<>&\u2028\u2029") & set(text)


@pytest.fixture(scope="module")
def payload_store(tmp_path_factory):
    """An evidence store holding one row whose route is the payload (synthetic)."""
    folder = tmp_path_factory.mktemp("payload")
    data = folder / "payload.csv"
    data.write_text(
        "measure,year,month,route,country,value,reference\n"
        f"arrivals,2016,5,{PAYLOAD},IT,100,synthetic row\n"
        "arrivals,2016,6,@SUM(1+1),IT,7,synthetic row\n",
        encoding="utf-8",
    )
    store = folder / "evidence.duckdb"
    result = run("data", "ingest", data, "--store", store)
    assert result.exit_code == 0, result.output
    return store


def _spec(html: str) -> dict:
    found = re.search(r"var spec = (\{.*?\});\n", html, re.S)
    return json.loads(found.group(1))


def test_indicator_chart_html(payload_store, tmp_path):
    out = tmp_path / "chart.html"
    result = run(
        "indicators",
        "show",
        "arrivals",
        "--by",
        "route",
        "--format",
        "html",
        "--out",
        out,
        "--store",
        payload_store,
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert_inert(html)
    spec = _spec(html)
    rows = [row for values in spec.get("datasets", {}).values() for row in values]
    rows += spec.get("data", {}).get("values", [])
    assert PAYLOAD in {row.get("route") for row in rows}  # the data is intact


def _review(tmp_path, state: str):
    from somlab.review.files import dump, load_review

    example = load_review(str(resources.files("somlab.review") / "examples" / "IT-2019-06-01.yaml"))
    example.state = state
    example.entries["3(a)"].notes = [PAYLOAD]
    path = tmp_path / "review.yaml"
    path.write_text(dump(example), encoding="utf-8")
    return path


def test_scorecard_html(tmp_path):
    out = tmp_path / "scorecard.html"
    result = run(
        "review", "scorecard", _review(tmp_path, PAYLOAD), "--format", "html", "--out", out
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert_inert(html)
    assert "\\u003c/script\\u003e" in html


def test_review_report_html(tmp_path):
    out = tmp_path / "review.html"
    result = run("review", "report", _review(tmp_path, PAYLOAD), "--format", "html", "--out", out)
    assert result.exit_code == 0, result.output
    assert_inert(out.read_text(encoding="utf-8"))


def test_web_pages(payload_store):
    from fastapi.testclient import TestClient

    from somlab.web.app import create_app

    with TestClient(create_app(payload_store)) as client:
        for page in ("/", "/evidence"):
            response = client.get(page)
            assert response.status_code == 200
            assert_inert(response.text)


@pytest.mark.slow
def test_report_html(payload_store, tmp_path):
    out = tmp_path / "report.html"
    result = run(
        "report", "--out", out, "--as-of", "2020-01-01", "--store", payload_store, "--runs", "1"
    )
    assert result.exit_code == 0, result.output
    assert_inert(out.read_text(encoding="utf-8"))


def test_simulation_html_page():
    from somlab.sim.report import html_page

    html = html_page(PAYLOAD, [(PAYLOAD, pd.DataFrame({"a": [PAYLOAD]}))], {"x": PAYLOAD})
    assert_inert(html)


# --------------------------------------------------------------------------------------------
# CSV


def test_cell_quotes_formulas_and_keeps_numbers():
    assert [csvsafe.cell(v) for v in FORMULAS] == ["'" + v for v in FORMULAS]
    assert [csvsafe.cell(v) for v in (-3, 2.5, None, True, "plain", "a=b", "")] == [
        -3,
        2.5,
        None,
        True,
        "plain",
        "a=b",
        "",
    ]


def test_arrow_table_is_neutralised_column_by_column():
    table = pa.table(
        {
            "id": FORMULAS + [None, "ok"],
            "kind": pa.array(["=x"] * 8).dictionary_encode(),
            "n": [-1, 2, 3, 4, 5, 6, 7, 8],
        }
    )
    out = csvsafe.arrow_table(table)
    assert out.column("id").to_pylist() == ["'" + v for v in FORMULAS] + [None, "ok"]
    assert set(out.column("kind").to_pylist()) == {"'=x"}
    assert out.column("n").to_pylist() == [-1, 2, 3, 4, 5, 6, 7, 8]


def test_frame_is_neutralised():
    frame = csvsafe.frame(pd.DataFrame({"s": ["-x", "y"], "v": [-1.5, 2.0]}))
    assert frame["s"].tolist() == ["'-x", "y"] and frame["v"].tolist() == [-1.5, 2.0]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_indicators_csv(payload_store):
    result = run(
        "indicators",
        "show",
        "arrivals",
        "--by",
        "route",
        "--format",
        "csv",
        "--store",
        payload_store,
    )
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout.strip())
    assert ["somlab_tidy", "'@SUM(1+1)", "7"] in rows  # the text quoted, the number as is


def test_assess_batch_csv(tmp_path):
    batch = tmp_path / "batch.csv"
    with batch.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "date", "benefit.obtained", "migrants.count"])
        for i, case_id in enumerate(FORMULAS):
            writer.writerow([case_id, "2020-01-01", "true", i])
    out = tmp_path / "verdicts.csv"
    result = run("assess", batch, "-j", "UN-SOM", "--out", out)
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    ids = {row[rows[0].index("id")] for row in rows[1:]}
    assert ids == {"'" + v for v in FORMULAS}


def test_register_and_conformity_csv_use_the_neutralising_writer():
    # the conformity and register tables come from the bundled corpus and register; their writers
    # are the same csvsafe.Writer: a formula-like value in a row is quoted
    buffer = io.StringIO()
    csvsafe.Writer(buffer, lineterminator="\n").writerow(["=1+1", -1, "x"])
    assert buffer.getvalue() == "'=1+1,-1,x\n"
    assert run("conformity", "--format", "csv").exit_code == 0
    assert run("cases", "--format", "csv").exit_code == 0
