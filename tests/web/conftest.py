"""A test app on a small evidence store built from the evidence test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

EVIDENCE_FIXTURES = Path(__file__).resolve().parents[1] / "evidence" / "fixtures"
FILES = ("mmp_2025.csv", "frontex.csv", "dtm.csv", "eurostat_eipre_latin1.csv",
         "eurostat_eirfs_sdmx.csv", "uk_small_boats_daily.csv", "interceptions.csv")


def make_store(path: Path) -> Path:
    from somlab.evidence.ingest import ingest
    from somlab.evidence.store import Store

    with Store(path) as handle:
        ingest([EVIDENCE_FIXTURES / name for name in FILES], handle)
    return path


@pytest.fixture(scope="session")
def store_path(tmp_path_factory) -> Path:
    return make_store(tmp_path_factory.mktemp("web-store") / "evidence.duckdb")


@pytest.fixture(scope="session")
def client(store_path):
    from fastapi.testclient import TestClient

    from somlab.web.app import create_app

    with TestClient(create_app(store_path)) as c:
        yield c
