"""Small, seeded ensembles of the bundled scenario for mechanism tests (helpers in simkit.py)."""

from __future__ import annotations

import pytest

from somlab.sim.scenario import load

from simkit import SCENARIO


@pytest.fixture(scope="session")
def scenario():
    return load(SCENARIO)
