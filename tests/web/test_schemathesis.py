"""Property-based requests, valid and invalid, generated from the OpenAPI schema: no input gives
a server error.
Bounded: few examples per operation, simulations excluded (they start background work)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from webstore import make_store

pytestmark = pytest.mark.slow  # property-based requests over every API operation

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from schemathesis.checks import not_a_server_error  # noqa: E402

from somlab.web.app import create_app  # noqa: E402

FOLDER = Path(tempfile.mkdtemp(prefix="somlab-schemathesis-"))
atexit.register(shutil.rmtree, FOLDER, True)
STORE = make_store(FOLDER / "evidence.duckdb")
schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(STORE)).exclude(
    method="POST", path="/api/simulations"
)
schema.config.generation.update(modes=list(schemathesis.GenerationMode))  # valid and invalid input


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])
