"""The evidence snapshot shipped with the package: the store's tables as Parquet, built by
`scripts/build_snapshot.py` from the publishers' files, with each file's licence, attribution,
data vintage and sha256 in MANIFEST.json. An empty store is filled from it on first start; files
ingested later supersede it year by year as any newer vintage does (`current_files`)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from somlab.bundled import bundled

TABLES = ("incidents", "counts", "row_issues", "published_figures")
_PROVENANCE = (
    "file_id",
    "file_name",
    "sha256",
    "source",
    "vintage",
    "rows_read",
    "rows_loaded",
    "rows_rejected",
    "rejections",
    "warnings",
    "encoding",
)


def snapshot_dir() -> Path:
    return bundled("data", "snapshot")


def manifest_entry(provenance_row: dict, terms: dict) -> dict:
    """One file of the manifest: its provenance row (without the ingest time) and its terms."""
    entry = {key: provenance_row[key] for key in _PROVENANCE}
    for key in ("rejections", "warnings"):
        entry[key] = json.loads(entry[key]) if isinstance(entry[key], str) else entry[key]
    return {**entry, **terms}


@lru_cache(maxsize=1)
def manifest() -> dict:
    path = snapshot_dir() / "MANIFEST.json"
    if not path.is_file():
        return {"files": []}
    return json.loads(path.read_text(encoding="utf-8"))


def terms_by_sha() -> dict[str, dict]:
    """Licence, attribution and address of each bundled file, by the sha256 of what was ingested."""
    return {entry["sha256"]: entry for entry in manifest()["files"]}


def load_snapshot(store) -> int:
    """Fill an empty store from the snapshot in one transaction; the number of files added (0 when
    the store already holds files or no snapshot is installed)."""
    files = manifest()["files"]
    folder = snapshot_dir()
    con = store.connection
    if not files or con.execute("SELECT count(*) FROM provenance").fetchone()[0]:
        return 0
    con.execute("BEGIN TRANSACTION")
    try:
        for entry in files:
            values = [entry[key] for key in _PROVENANCE]
            values[8], values[9] = json.dumps(values[8]), json.dumps(values[9])
            con.execute(
                f"INSERT INTO provenance ({', '.join(_PROVENANCE)}, ingested_at) "
                f"VALUES ({', '.join('?' for _ in _PROVENANCE)}, now())",
                values,
            )
        for table in TABLES:
            con.execute(
                f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet(?)",
                [str(folder / f"{table}.parquet")],
            )
        con.execute("INSERT OR REPLACE INTO meta VALUES ('filled_from', 'bundled snapshot')")
        store.refresh_current_files()
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(files)
