"""Store: provenance, idempotent and atomic ingest, vintages superseded not added, migrations."""

from __future__ import annotations

import duckdb
import pytest

from somlab.evidence.errors import DataFileError
from somlab.evidence.indicators import compute
from somlab.evidence.ingest import ingest
from somlab.evidence.store import SCHEMA_VERSION, Store, StoreVersionError

from evidence_fixtures import fixture


@pytest.fixture()
def store(tmp_path):
    with Store(tmp_path / "evidence.duckdb") as handle:
        yield handle


def counts(store: Store) -> tuple:
    return store.connection.execute(
        "SELECT (SELECT count(*) FROM provenance), (SELECT count(*) FROM incidents), (SELECT count(*) FROM counts),"
        " (SELECT count(*) FROM row_issues)"
    ).fetchone()


def test_provenance_row_per_file(store):
    (report,) = ingest([fixture("mmp_2024.csv")], store)
    (row,) = store.provenance()
    assert (
        row["file_name"] == "mmp_2024.csv"
        and row["source"] == "iom_mmp"
        and row["vintage"] == "global-2021"
    )
    assert len(row["sha256"]) == 64 and row["sha256"] == report.sha256
    assert (row["rows_read"], row["rows_loaded"], row["rows_rejected"]) == (9, 5, 4)
    assert '"totals row": 1' in row["rejections"]
    issues = store.connection.execute(
        "SELECT row_number, severity FROM row_issues ORDER BY 1"
    ).fetchall()
    assert issues == [
        (5, "warning"),
        (6, "rejected"),
        (7, "rejected"),
        (8, "warning"),
        (9, "rejected"),
        (10, "rejected"),
    ]


def test_same_file_twice_adds_nothing(store):
    ingest([fixture("frontex.csv")], store)
    before = counts(store)
    (again,) = ingest([fixture("frontex.csv")], store)
    assert again.status == "already ingested"
    assert counts(store) == before


def test_a_failing_file_leaves_the_store_unchanged(store):
    ingest([fixture("dtm.csv")], store)
    before = counts(store)
    with pytest.raises(DataFileError, match="mmp_renamed_column.csv"):
        ingest([fixture("frontex.csv"), fixture("mmp_renamed_column.csv")], store)
    assert counts(store) == before


def test_a_later_vintage_supersedes_an_earlier_one(store):
    ingest([fixture("mmp_2024.csv"), fixture("mmp_2025.csv")], store)
    result = compute("dead_missing", store, by=["year", "route"])
    values = {(r["year"], r["route"]): r["value"] for r in result["rows"]}
    # 2016.MMP001 revised from 45 to 50 in the later export: counted once, as revised.
    assert values[(2016, "Central Mediterranean")] == 50
    assert values[(2025, "Central Mediterranean")] == 7
    # 2017 exists only in the earlier export, which therefore still answers for 2017.
    assert values[(2017, "Central Mediterranean")] == 2 + 19
    assert {s["file_name"] for s in result["sources"]} == {"mmp_2024.csv", "mmp_2025.csv"}


def test_migration_from_empty_and_refusal_of_a_newer_schema(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as handle:
        assert handle.schema_version() == SCHEMA_VERSION
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(StoreVersionError, match="newer than this somlab"):
        Store(path)


def test_store_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SOMLAB_STORE", str(tmp_path / "env.duckdb"))
    with Store() as handle:
        assert handle.path == tmp_path / "env.duckdb"
