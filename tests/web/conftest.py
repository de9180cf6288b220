"""A test app on a small evidence store built from the evidence test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from webstore import make_store


@pytest.fixture(scope="session")
def store_path(tmp_path_factory) -> Path:
    return make_store(tmp_path_factory.mktemp("web-store") / "evidence.duckdb")


@pytest.fixture(scope="session")
def client(store_path):
    from fastapi.testclient import TestClient

    from somlab.web.app import create_app

    with TestClient(create_app(store_path)) as c:
        yield c
