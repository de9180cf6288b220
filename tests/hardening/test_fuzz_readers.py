"""Every reader of the command line, fed generated malformed input (hypothesis): the answer is
either a success or exit code 2 with one error line (a list of problems may follow, one indented
line each), never a traceback. Generated documents that cannot be valid must give exit code 2.
Bounded: a fixed number of examples each, derandomised, so the run is the same every time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import tempfile
from importlib import resources
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from somlab.facts import FACTS, GROUPS
from somlab.law.corpus import bundled_corpus_dir

from hardening_kit import assert_input_error, run

pytestmark = pytest.mark.slow  # a hypothesis suite of about 15 s

FUZZ = settings(
    max_examples=40,
    deadline=dt.timedelta(seconds=20),
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# pieces that break parsers and validators: syntax, aliases, tags, control bytes, a lone
# surrogate (an invalid UTF-8 byte once written), huge numbers, formulas
SNIPPETS = [
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    '"',
    "'",
    "&a ",
    "*a",
    "<<: *a\n",
    "\t",
    "\n",
    "    ",
    "!!python/object/apply:os.system ['true']",
    '"\\ud800"',
    "\x00",
    "9" * 5000,
    "1e999",
    ".inf",
    "=cmd",
    "\udcff",
    "\ufeff",
    "? [a]\n: b",
    "---\n",
    "%YAML 9.9\n",
    "]" * 50,
]

HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "=HYPERLINK(1)",
            "</script>",
            "2020-13-45",
            "9999-01-01",
            "IT",
            "entry",
            "commercial_smuggler",
            "\ud800",
        ]
    ),
)
VALUES = st.recursive(
    HOSTILE,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def mutated(draw, text: str) -> bytes:
    """`text` with a few deletions, insertions and a possible cut, as bytes (a lone surrogate
    becomes an invalid UTF-8 byte)."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "cut", "repeat"]))
        if op == "insert":
            text = text[:at] + draw(st.sampled_from(SNIPPETS)) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif op == "cut":
            text = text[:at]
        else:
            line_end = text.find("\n", at)
            line = text[at : line_end + 1] if line_end >= 0 else text[at:]
            text = text[:at] + line + text[at:]
    return text.encode("utf-8", "surrogateescape")


def _dump_json(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=True, allow_nan=True).encode()


def _dump_yaml(doc) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=False, sort_keys=False).encode("utf-8")


def _fresh(tmp_path: Path) -> Path:
    """A new folder for one example (the tmp_path fixture is shared by all of a test's examples)."""
    return Path(tempfile.mkdtemp(dir=tmp_path))


def _outcome(result, must_fail: bool = False) -> None:
    if result.exit_code == 0 and not must_fail:
        assert result.exception is None, result.exception
        return
    assert_input_error(result)


def _example(name: str) -> str:
    return (Path(str(resources.files("somlab") / "examples" / "cases")) / name).read_text()


# --- case files -----------------------------------------------------------------------------

FACT_KEYS = st.sampled_from(["id", "date", "forum", "summary", *GROUPS, "nosuch"])
CASE_DOCS = st.fixed_dictionaries(
    {"id": VALUES, "date": VALUES.filter(lambda v: not isinstance(v, str) or len(v) != 10)},
    optional={
        key: st.dictionaries(
            st.sampled_from(
                [f.path.split(".", 1)[1] for f in FACTS if f.path.startswith(key + ".")] + ["x"]
            ),
            VALUES,
            max_size=4,
        )
        if key in GROUPS
        else VALUES
        for key in ("forum", "summary", *GROUPS)
    },
)


@FUZZ
@given(doc=CASE_DOCS, as_json=st.booleans(), listed=st.booleans())
def test_generated_case_documents(tmp_path, doc, as_json, listed):
    tmp_path = _fresh(tmp_path)
    doc = [doc] if listed else doc
    path = tmp_path / ("case.json" if as_json else "case.yaml")
    path.write_bytes(_dump_json(doc) if as_json else _dump_yaml(doc))
    _outcome(run("assess", path, "-j", "UN-SOM"), must_fail=True)


CASE_TEXTS = [
    ("case.yaml", _example("family-car-crossing.yaml")),
    (
        "case.json",
        json.dumps(yaml.safe_load(_example("family-car-crossing.yaml")), default=str, indent=1),
    ),
]


@FUZZ
@given(
    named=st.sampled_from(CASE_TEXTS).flatmap(
        lambda item: mutated(item[1]).map(lambda data: (item[0], data))
    )
)
def test_mutated_case_files(tmp_path, named):
    tmp_path = _fresh(tmp_path)
    name, data = named
    path = tmp_path / name
    path.write_bytes(data)
    _outcome(run("assess", path, "-j", "UN-SOM"))


# --- batches --------------------------------------------------------------------------------

CELLS = st.one_of(
    st.text(max_size=10),
    st.sampled_from(
        [
            "",
            "true",
            "yes",
            "2",
            "-1",
            "1.5",
            "inf",
            "nan",
            "1e999",
            "2020-01-01",
            "10000-01-01",
            "1899-12-31",
            "entry;stay",
            "entry;bogus",
            "[]",
            "IT",
            "it",
            "=cmd",
            '"',
            "a,b",
        ]
    ),
)
COLUMNS = st.lists(
    st.sampled_from([f.path for f in FACTS] + ["bogus"]), min_size=1, max_size=5, unique=True
)


@FUZZ
@given(
    columns=COLUMNS,
    rows=st.lists(st.lists(CELLS, min_size=5, max_size=5), max_size=6),
    cut=st.integers(0, 400),
)
def test_generated_csv_batches(tmp_path, columns, rows, cut):
    tmp_path = _fresh(tmp_path)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(row[: len(columns)] for row in rows)
    path = tmp_path / "batch.csv"
    path.write_text(
        buffer.getvalue()[:cut] if cut < len(buffer.getvalue()) else buffer.getvalue(),
        encoding="utf-8",
        errors="surrogateescape",
    )
    _outcome(run("assess", path, "-j", "UN-SOM"))


ARROW_COLUMNS = st.sampled_from(
    [
        pa.array([1, 2]),
        pa.array([1.5, float("inf")]),
        pa.array(["a", "entry"]),
        pa.array([True, None]),
        pa.array([[1], []]),
        pa.array([["entry"], ["stay", "x"]]),
        pa.array([{"a": 1}, {"a": 2}]),
        pa.array([dt.date(2020, 1, 1), dt.date(9999, 1, 1)]),
        pa.array([None, None]),
        pa.array(["x", "x"]).dictionary_encode(),
        pa.array([2**62, -1]),
    ]
)


@FUZZ
@given(
    columns=st.dictionaries(
        st.sampled_from([f.path for f in FACTS]), ARROW_COLUMNS, min_size=1, max_size=5
    )
)
def test_generated_parquet_batches(tmp_path, columns):
    tmp_path = _fresh(tmp_path)
    path = tmp_path / "batch.parquet"
    pq.write_table(pa.table(columns), path)
    _outcome(run("assess", path, "-j", "UN-SOM"))


# --- reviews, laws, reforms, register, scenario, evidence files -------------------------------


def _bundled(*parts: str) -> str:
    return Path(str(resources.files("somlab").joinpath(*parts))).read_text(encoding="utf-8")


REVIEW = _bundled("review", "examples", "IT-2019-06-01.yaml")
EVIDENCE_ITEM = st.fixed_dictionaries(
    {"kind": st.sampled_from(["corpus", "indicator", "case", "document", "other"])},
    optional={
        k: VALUES
        for k in (
            "law",
            "as_of",
            "provision",
            "conformity",
            "name",
            "query",
            "id",
            "title",
            "where",
            "quote",
            "note",
        )
    },
)
ENTRY = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from(["implemented", "unknown"]) | VALUES,
        "evidence": st.lists(EVIDENCE_ITEM, max_size=2) | VALUES,
        "gaps": VALUES,
        "notes": VALUES,
        "computed": VALUES,
        "computed_as_of": VALUES,
        "computed_status": VALUES,
        "computed_note": VALUES,
    },
)
REVIEW_DOCS = st.fixed_dictionaries(
    {
        "schema": st.just("somlab.review/1"),
        "state": st.sampled_from(["IT"]) | VALUES,
        "as_of": st.just("2019-06-01") | VALUES,
        "reviewer": st.just("r") | VALUES,
        "date": st.just("2026-01-01"),
        "entries": st.dictionaries(
            st.sampled_from(["3(a)", "6(1)(a)", "16(1)", "99"]), ENTRY, max_size=3
        ),
    }
)


@FUZZ
@given(doc=REVIEW_DOCS)
def test_generated_reviews(tmp_path, doc):
    tmp_path = _fresh(tmp_path)
    path = tmp_path / "review.yaml"
    path.write_bytes(_dump_yaml(doc))
    for command in ("check", "report"):
        _outcome(run("review", command, path))


@FUZZ
@given(data=mutated(REVIEW))
def test_mutated_reviews(tmp_path, data):
    tmp_path = _fresh(tmp_path)
    path = tmp_path / "review.yaml"
    path.write_bytes(data)
    _outcome(run("review", "report", path, "--format", "md"))


@FUZZ
@given(data=mutated(_bundled("corpus", "UN-SOM", "2004-01-28.yaml")))
def test_mutated_law_files(tmp_path, data):
    tmp_path = _fresh(tmp_path)
    root = tmp_path / "corpus"
    (root / "UN-SOM").mkdir(parents=True)
    (root / "UN-SOM" / "2004-01-28.yaml").write_bytes(data)
    result = run("law", "check", "--corpus", root)
    _outcome(result)
    assert result.exit_code != 0 or "corpus OK" in result.stdout


@FUZZ
@given(data=mutated(_bundled("corpus", "reforms", "profit-element.yaml")))
def test_mutated_reform_files(tmp_path, data):
    tmp_path = _fresh(tmp_path)
    root = tmp_path / "corpus"
    shutil.copytree(bundled_corpus_dir() / "UN-SOM", root / "UN-SOM")
    (root / "reforms").mkdir()
    (root / "reforms" / "profit-element.yaml").write_bytes(data)
    _outcome(run("law", "check", "--corpus", root))
    _outcome(run("reform", "list", env={"SOMLAB_CORPUS": str(root)}))


REGISTER = _bundled("register", "cases.yaml")


@FUZZ
@given(data=mutated(REGISTER[: REGISTER.index("\n- id:", REGISTER.index("- id:") + 1) + 1]))
def test_mutated_register(tmp_path, data):
    tmp_path = _fresh(tmp_path)
    path = tmp_path / "register.yaml"
    path.write_bytes(data)
    _outcome(run("cases", "--register", path, "--format", "json"))


@FUZZ
@given(data=mutated(_bundled("scenarios", "central-mediterranean-2014-2019", "parameters.yaml")))
def test_mutated_scenario_parameters(tmp_path, data):
    tmp_path = _fresh(tmp_path)
    # what `somlab simulate --parameters FILE` reads first; a bad file is a ScenarioError, which
    # the command prints as one error line with exit code 2
    from somlab.sim.scenario import ScenarioError, load

    path = tmp_path / "parameters.yaml"
    path.write_bytes(data)
    try:
        load("central-mediterranean-2014-2019", path)
    except ScenarioError as exc:
        assert "\n" not in str(exc) and re.match(r"\S+\.(yaml|csv)[,:]", str(exc))


TIDY = (
    Path(__file__).resolve().parents[1] / "evidence" / "fixtures" / "interceptions.csv"
).read_text()


@FUZZ
@given(data=mutated(TIDY))
def test_mutated_evidence_files(tmp_path, data):
    tmp_path = _fresh(tmp_path)
    path = tmp_path / "interceptions.csv"
    path.write_bytes(data)
    store = tmp_path / "evidence.duckdb"
    result = run("data", "ingest", path, "--store", store)
    _outcome(result)
    if result.exit_code != 0:  # nothing was added
        assert "0 files" in run("data", "status", "--store", store).stdout
