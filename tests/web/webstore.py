"""A small evidence store built from the evidence test fixtures (shared by the web tests)."""

from __future__ import annotations

from pathlib import Path

EVIDENCE_FIXTURES = Path(__file__).resolve().parents[1] / "evidence" / "fixtures"
FILES = (
    "mmp_2025.csv",
    "frontex.csv",
    "dtm.csv",
    "eurostat_eipre_latin1.csv",
    "eurostat_eirfs_sdmx.csv",
    "uk_small_boats_daily.csv",
    "interceptions.csv",
)


def make_store(path: Path) -> Path:
    from somlab.evidence.ingest import ingest
    from somlab.evidence.store import Store

    with Store(path) as handle:
        ingest([EVIDENCE_FIXTURES / name for name in FILES], handle)
    return path
