"""JSON Schema of the request bodies that carry case facts (for OpenAPI), and the contract as a
document; both generated from `somlab.case_contract`."""

from __future__ import annotations

from typing import Any

from somlab.case_contract import FACTS, SCHEMA, case_json_schema

MAX_BODY_BYTES = 1024 * 1024  # one request body; larger batches belong in Parquet and the CLI
MAX_BATCH = 500  # cases in one POST /api/assess


def assess_body_schema() -> dict[str, Any]:
    """One case, or a list of at most `MAX_BATCH` cases."""
    case = case_json_schema()
    return {"oneOf": [case, {"type": "array", "items": case, "minItems": 1, "maxItems": MAX_BATCH}]}


def facts_contract() -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "facts": [
            {
                "path": f.path,
                "kind": f.kind.value,
                "meaning": f.meaning,
                "choices": list(f.choices),
                "required": f.required,
            }
            for f in FACTS
        ],
    }
