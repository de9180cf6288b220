"""The bundled snapshot: attributed, small, loaded into an empty store only, superseded by newer files."""

from __future__ import annotations

import json

from somlab.evidence.indicators import compute
from somlab.evidence.ingest import ingest
from somlab.evidence.snapshot import load_snapshot, manifest, snapshot_dir
from somlab.evidence.store import Store

from evidence_fixtures import fixture

REDISTRIBUTABLE = (
    "iom_mmp",
    "frontex_ibc",
    "unhcr_arrivals",
    "eurostat_enforcement",
    "uk_small_boats",
    "published_figures",
    "somlab_tidy",
)


def test_every_file_has_licence_attribution_vintage_and_checksums():
    files = manifest()["files"]
    assert files
    for entry in files:
        assert entry["source"] in REDISTRIBUTABLE, entry["file_name"]
        for key in ("licence", "attribution", "address", "data_vintage"):
            assert entry[key].strip(), (entry["file_name"], key)
        assert len(entry["sha256"]) == 64 and len(entry["raw_sha256"]) == 64
    size = sum(p.stat().st_size for p in snapshot_dir().iterdir())
    assert size < 4_000_000


def test_empty_store_gets_the_snapshot_and_its_real_figures(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        assert load_snapshot(store) == len(manifest()["files"])
        assert load_snapshot(store) == 0  # a store with files is left alone
        rows = compute(
            "dead_missing", store, by=["year"], where={"route": "Central Mediterranean"}
        )["rows"]
        assert {r["year"]: r["value"] for r in rows}[2016] == 4574
        loaded = store.connection.execute("SELECT sum(rows_loaded) FROM provenance").fetchone()[0]
        facts = store.connection.execute(
            "SELECT (SELECT count(*) FROM incidents) + (SELECT count(*) FROM counts)"
        ).fetchone()[0]
        assert loaded == facts


def test_a_newer_file_supersedes_the_snapshot_for_the_years_it_reaches(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        load_snapshot(store)
        before = compute(
            "detections", store, by=["year"], where={"route": "Central Mediterranean"}
        )["rows"]
        ingest([fixture("frontex.csv")], store)
        status = {r["file_name"]: r for r in store.provenance()}
        assert "frontex.csv" in status and json.loads(status["frontex.csv"]["rejections"])
        # the fixture reaches 2017-03 only, less far than the snapshot's Frontex file: it answers nothing
        after = compute("detections", store, by=["year"], where={"route": "Central Mediterranean"})[
            "rows"
        ]
        assert after == before
