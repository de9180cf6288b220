"""Each input that once ended in a traceback, a 500 or a silent partial read, with its exact
(small) input: now one clear error naming file, line or row and field, with exit code 2 (4xx on
the web), and the store left as it was."""

from __future__ import annotations

import datetime as dt
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from somlab.errors import SomlabInputError

from hardening_kit import assert_input_error, run

CASE_YAML = "id: c1\ndate: 2020-01-01\nmigrants:\n  count: {}\n"
CASE_JSON = '{{"id": "c1", "date": "2020-01-01", "migrants": {{"count": {}}}}}'


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


# --- counts: 3e9, 1e30, inf, 2**63 -----------------------------------------------------------


@pytest.mark.parametrize("value", ["1e30", "Infinity", str(2**63), "1" + "0" * 400])
def test_count_out_of_range_in_a_json_case(tmp_path, value):
    path = _write(tmp_path / "case.json", CASE_JSON.format(value))
    assert_input_error(run("assess", path), "field 'migrants.count'", "at most 2**53")


@pytest.mark.parametrize("value", [".inf", str(2**63), "1.0e+30"])
def test_count_out_of_range_in_a_yaml_case(tmp_path, value):
    path = _write(tmp_path / "case.yaml", CASE_YAML.format(value))
    assert_input_error(run("assess", path), "line 4, field 'migrants.count'")


def test_a_large_count_within_range_is_assessed(tmp_path):
    path = _write(tmp_path / "case.json", CASE_JSON.format("3e9"))
    result = run("assess", path, "-j", "UN-SOM", "--format", "json")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("value", ["3e9", "1e30", "inf", str(2**63)])
def test_count_out_of_range_in_an_ingested_file_is_a_rejected_row(tmp_path, value):
    data = _write(
        tmp_path / "tidy.csv",
        "measure,year,month,route,country,value,reference\n"
        "arrivals,2016,5,Central Mediterranean,IT,100,synthetic\n"
        f"arrivals,2016,6,Central Mediterranean,IT,{value},synthetic\n",
    )
    store = tmp_path / "evidence.duckdb"
    result = run("data", "ingest", data, "--store", store)
    assert result.exit_code == 0, result.output
    assert "1 facts loaded, 1 rows rejected" in result.stdout
    assert "value: count out of range" in result.stdout


def test_a_file_of_out_of_range_counts_only_is_refused(tmp_path):
    data = _write(
        tmp_path / "tidy.csv",
        "measure,year,month,route,country,value,reference\n"
        "arrivals,2016,6,Central Mediterranean,IT,inf,synthetic\n",
    )
    result = run("data", "ingest", data, "--store", tmp_path / "evidence.duckdb")
    assert_input_error(result, "tidy.csv", "no usable rows", "count out of range")


# --- nesting and digits ---------------------------------------------------------------------


def test_5000_level_nested_json(tmp_path):
    path = _write(tmp_path / "deep.json", "[" * 5000 + "]" * 5000)
    assert_input_error(run("assess", path), "deep.json", "nested too deeply")


@pytest.mark.parametrize(
    "name, text",
    [
        ("case.json", CASE_JSON.format("9" * 5000)),
        ("case.yaml", CASE_YAML.format("9" * 5000)),
    ],
)
def test_5000_digit_integer(tmp_path, name, text):
    path = _write(tmp_path / name, text)
    assert_input_error(run("assess", path), name, "4300 digits")


# --- paths ----------------------------------------------------------------------------------


def test_assess_a_folder(tmp_path):
    assert_input_error(run("assess", tmp_path), str(tmp_path), "not a file")
    folder = tmp_path / "batch.csv"
    folder.mkdir()
    assert_input_error(run("assess", folder), "batch.csv", "not a file")


@pytest.fixture
def batch(tmp_path):
    return _write(tmp_path / "batch.csv", "id,date,benefit.obtained\na,2020-01-01,true\n")


@pytest.fixture
def review_file():
    from importlib import resources

    return str(resources.files("somlab.review") / "examples" / "IT-2019-06-01.yaml")


def test_out_into_a_missing_folder(tmp_path, batch, review_file):
    missing = tmp_path / "no-such-folder"
    cases = [
        ("assess", batch, "--out", missing / "v.csv"),
        ("review", "report", review_file, "--out", missing / "r.html"),
        ("review", "scorecard", review_file, "--format", "html", "--out", missing / "s.html"),
        ("review", "init", "IT", "--out", missing / "r.yaml"),
        ("report", "--out", missing / "report.html"),
    ]
    for args in cases:
        assert_input_error(run(*args), "does not exist", "no-such-folder")
    assert not missing.exists()


def test_out_into_a_missing_folder_for_the_simulator(tmp_path):
    result = run(
        "simulate",
        "central-mediterranean-2014-2019",
        "--runs",
        "1",
        "--tidy",
        tmp_path / "no-such-folder" / "t.csv",
    )
    assert_input_error(result, "--tidy", "does not exist")


def test_indicators_trace_negative_limit(tmp_path):
    assert_input_error(
        run("indicators", "trace", "arrivals", "--limit", "-1", "--store", tmp_path / "x.duckdb"),
        "--limit",
    )


# --- review fields that check accepted and report crashed on ------------------------------

REVIEW_HEAD = (
    "schema: somlab.review/1\nstate: IT\nas_of: '2019-06-01'\nreviewer: r\n"
    "date: '2026-01-01'\nentries:\n  3(a):\n"
)
CORPUS_ITEM = (
    "    status: partially\n    evidence:\n    - kind: corpus\n      law: IT\n"
    "      as_of: '2019-06-01'\n"
)


@pytest.mark.parametrize(
    "body, field",
    [
        (CORPUS_ITEM + "      provision: [1]\n", "evidence[0].provision"),
        (
            CORPUS_ITEM + "      provision: IT art 12(1)\n      conformity: yes\n",
            "evidence[0].conformity",
        ),
        ("    computed_note: [1, 2]\n", "computed_note"),
        ("    computed_status: {a: 1}\n", "computed_status"),
        (
            "    status: partially\n    evidence:\n    - kind: indicator\n      name: arrivals\n"
            "      query: {by: 5}\n",
            "evidence[0].query.by",
        ),
        (
            "    status: partially\n    evidence:\n    - kind: indicator\n      name: arrivals\n"
            "      query: {where: [route]}\n",
            "evidence[0].query.where",
        ),
        (
            "    status: partially\n    evidence:\n    - kind: document\n      title: [t]\n"
            "      where: w\n      quote: q\n",
            "evidence[0].title",
        ),
        ("    status: partially\n    evidence:\n    - kind: [corpus]\n", "evidence[0].kind"),
    ],
)
def test_review_field_of_the_wrong_type(tmp_path, body, field):
    path = _write(tmp_path / "review.yaml", REVIEW_HEAD + body)
    for command in ("check", "report"):
        assert_input_error(
            run("review", command, path), "review.yaml, line", f"field 'entries.3(a).{field}'"
        )


# --- truncated CSV --------------------------------------------------------------------------


def test_truncated_batch_csv_is_refused(tmp_path):
    path = _write(tmp_path / "cut.csv", 'id,date,summary\na,2020-01-01,"one"\nb,2020-01-01,"tw')
    assert_input_error(run("assess", path), "cut.csv", "truncated")


def test_truncated_ingest_csv_is_refused_and_the_store_unchanged(tmp_path):
    store = tmp_path / "evidence.duckdb"
    good = _write(
        tmp_path / "good.csv",
        "measure,year,month,route,country,value,reference\n"
        "arrivals,2016,5,Central Mediterranean,IT,100,synthetic\n",
    )
    assert run("data", "ingest", good, "--store", store).exit_code == 0
    cut = _write(
        tmp_path / "cut.csv",
        "measure,year,month,route,country,value,reference\n"
        'arrivals,2016,5,Central Mediterranean,IT,100,"IOM Libya, Maritime update May 2016"\n'
        'arrivals,2016,6,Central Mediterranean,IT,1704,"IOM Libya, Mari',
    )
    assert_input_error(run("data", "ingest", cut, "--store", store), "cut.csv", "truncated")
    status = run("data", "status", "--store", store)
    assert "1 files" in status.stdout and "cut.csv" not in status.stdout


# --- law check ------------------------------------------------------------------------------


def test_law_check_on_an_empty_folder(tmp_path):
    result = run("law", "check", "--corpus", tmp_path)
    assert_input_error(result, "no law files")
    assert "corpus OK" not in result.stdout


@pytest.mark.parametrize(
    "reform, message",
    [
        ("name: bad\nstatus: hypothetical\nchanges: 5\n", "changes"),
        (
            "name: bad\nstatus: hypothetical\nchanges:\n  remove_offences: [[1]]\n",
            "remove_offences",
        ),
        ("name: bad\nstatus: hypothetical\napplies_to: [XX]\n", "applies_to names 'XX'"),
        (
            "name: bad\nstatus: hypothetical\nchanges:\n  add_elements:\n  - offence: '*'\n"
            "    element: {id: e, provision: nowhere, quote: q, test: benefit.obtained}\n",
            "nowhere",
        ),
        ("name: other\nstatus: hypothetical\n", "name must match the file name"),
    ],
)
def test_law_check_on_a_malformed_reform(tmp_path, reform, message):
    from somlab.law.corpus import bundled_corpus_dir

    root = tmp_path / "corpus"
    for part in (
        "UN-SOM",
        "texts/UN-SOM",
        "treaty-status",
    ):  # the law, its stored text, its parties
        shutil.copytree(bundled_corpus_dir() / part, root / part)
    (root / "reforms").mkdir()
    _write(root / "reforms" / "bad.yaml", reform)
    result = run("law", "check", "--corpus", root)
    assert_input_error(result, message)
    assert "corpus OK" not in result.stdout


def test_law_check_still_passes_on_the_bundled_corpus():
    result = run("law", "check")
    assert result.exit_code == 0 and "corpus OK" in result.stdout


# --- lone surrogates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, field",
    [
        ('{"id": "\\ud800", "date": "2020-01-01"}', "field 'id'"),
        ('{"\\udc00x": 1, "id": "a", "date": "2020-01-01"}', "field '\\udc00x'"),
        ('[{"id": "a", "date": "2020-01-01", "summary": "x\\ud800"}]', "field '[0].summary'"),
    ],
)
def test_lone_surrogate_in_a_json_case_file(tmp_path, text, field):
    assert_input_error(
        run("assess", _write(tmp_path / "case.json", text)),
        "case.json",
        field,
        "lone UTF-16 surrogate",
    )


def test_lone_surrogate_on_the_command_line(monkeypatch, capsys):
    from somlab import cli

    monkeypatch.setattr(
        "sys.argv", ["somlab", "indicators", "show", "arrivals", "--where", "route=\udcff"]
    )
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 2
    assert "argument 5" in capsys.readouterr().err


@pytest.fixture(scope="module")
def client():
    from fastapi.testclient import TestClient

    from somlab.web.app import create_app

    with TestClient(create_app()) as c:
        yield c


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/api/assess", b'{"id":"\\ud800","date":"2020-01-01"}', "id"),
        ("/api/assess", b'[{"id":"a","date":"2020-01-01","summary":"\\udc00"}]', "[0].summary"),
        ("/api/facts/yaml", b'{"\\ud800":1,"id":"a","date":"2020-01-01"}', "\\ud800"),
    ],
)
def test_lone_surrogate_in_a_request_body(client, path, body, field):
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == field


@pytest.mark.parametrize("body", [b"[" * 5000 + b"]" * 5000, b'{"n": ' + b"9" * 5000 + b"}"])
def test_deep_or_long_json_in_a_request_body(client, body):
    response = client.post(
        "/api/assess", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400


# --- batches get the checks single cases get ------------------------------------------------


def _parquet(tmp_path, columns: dict) -> str:
    path = tmp_path / "batch.parquet"
    base = {"id": ["a", "b"], "date": [dt.date(2020, 1, 1)] * 2}
    pq.write_table(pa.table({**base, **columns}), path)
    return path


@pytest.mark.parametrize(
    "columns, field, message",
    [
        ({"actor.role": [1, 2]}, "actor.role", "expected a column of text, got type int64"),
        ({"benefit.obtained": [1, 0]}, "benefit.obtained", "expected a column of booleans"),
        ({"migrants.count": [1.0, float("inf")]}, "migrants.count", "row 2"),
        ({"benefit.amount_eur": [float("-inf"), 1.0]}, "benefit.amount_eur", "row 1"),
        ({"summary": [["x"], ["y"]]}, "summary", "(a nested type)"),
        ({"conduct.facilitated": [[1], [2]]}, "conduct.facilitated", "(a nested type)"),
        ({"actor.role": [{"a": 1}, {"a": 2}]}, "actor.role", "(a nested type)"),
    ],
)
def test_parquet_column_checks(tmp_path, columns, field, message):
    path = _parquet(tmp_path, columns)
    assert_input_error(run("assess", path), "batch.parquet", f"field '{field}'", message)


def test_parquet_duplicate_ids_and_dates_out_of_range(tmp_path):
    path = tmp_path / "dup.parquet"
    pq.write_table(pa.table({"id": ["a", "b", "a"], "date": [dt.date(2020, 1, 1)] * 3}), path)
    assert_input_error(
        run("assess", path), "row 3, field 'id'", "duplicate case id 'a' (first at row 1)"
    )
    path = tmp_path / "late.parquet"
    pq.write_table(
        pa.table({"id": ["a", "b"], "date": pa.array([18262, 3000000], pa.date32())}), path
    )
    assert_input_error(
        run("assess", path), "row 2, field 'date'", "between 1900-01-01 and 2100-12-31"
    )


def test_csv_duplicate_ids_name_both_lines(tmp_path):
    path = _write(tmp_path / "dup.csv", "id,date\na,2020-01-01\nb,2020-01-01\na,2020-01-02\n")
    assert_input_error(run("assess", path), "line 4", "first at line 2")


def test_dataframe_batch_is_checked_as_a_file_is():
    import pandas as pd

    import somlab

    frame = pd.DataFrame({"id": ["a", "a"], "date": ["2020-01-01", "2020-01-01"]})
    with pytest.raises(SomlabInputError, match="duplicate case id 'a'"):
        somlab.assess(frame)
    frame = pd.DataFrame({"id": ["a"], "date": ["2020-01-01"], "migrants.count": [float("inf")]})
    with pytest.raises(SomlabInputError, match="migrants.count"):
        somlab.assess(frame)


def test_a_date_out_of_range_in_a_single_case(tmp_path):
    path = _write(tmp_path / "case.yaml", "id: a\ndate: 2150-01-01\n")
    assert_input_error(run("assess", path), "line 2, field 'date'", "between 1900-01-01")


def test_python_list_of_cases_with_a_repeated_id():
    import somlab

    case = {"id": "a", "date": "2020-01-01"}
    with pytest.raises(SomlabInputError, match="duplicate case id 'a'"):
        somlab.assess([case, dict(case)])


@pytest.mark.parametrize(
    "date, message",
    [
        ("10000-01-01", "expected a date YYYY-MM-DD"),
        ("1899-12-31", "between 1900-01-01 and 2100-12-31"),
    ],
)
def test_csv_dates_out_of_range_name_the_line(tmp_path, date, message):
    path = _write(tmp_path / "dates.csv", f"id,date\na,2020-01-01\nb,{date}\n")
    assert_input_error(run("assess", path), "line 3, row 2, field 'date'", message)


def test_parquet_text_that_is_not_utf8(tmp_path):
    path = tmp_path / "bytes.parquet"
    text = pa.array([b"ok", b"\xed\xa0\x80"], pa.binary()).view(pa.string())  # a UTF-8 surrogate
    pq.write_table(pa.table({"id": text, "date": ["2020-01-01", "2020-01-02"]}), path)
    assert_input_error(run("assess", path), "row 2, field 'id'", "not valid UTF-8 text")


def test_dataframe_column_mixing_numbers_and_text():
    import pandas as pd

    import somlab

    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "date": ["2020-01-01"] * 2,
            "migrants.count": pd.Series([1, "many"], dtype=object),
        }
    )
    with pytest.raises(SomlabInputError, match="migrants.count"):
        somlab.assess(frame)
