"""Paths to the evidence test fixtures and to the shared real data (skipping when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DATA = (
    Path(os.environ.get("SOMLAB_SHARED", Path(__file__).resolve().parents[2].parent / "shared"))
    / "data"
)


def fixture(name: str) -> Path:
    return FIXTURES / name


def real_file(*parts: str) -> Path:
    """A file under ../shared/data, or skip the calling test saying what is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (set SOMLAB_SHARED to the shared folder to run this test)")
    return path
