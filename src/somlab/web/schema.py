"""JSON Schema of the case-facts contract, generated from `somlab.facts.FACTS` (for OpenAPI)."""

from __future__ import annotations

from functools import lru_cache

from somlab.facts import FACTS, GROUPS, FactSpec

MAX_BODY_BYTES = 1024 * 1024  # one request body; larger batches belong in Parquet and the CLI
MAX_BATCH = 500  # cases in one POST /api/assess

_KINDS = {
    "text": {"type": "string"},
    "date": {"type": "string", "format": "date"},
    "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
    "bool": {"type": "boolean"},
    "count": {"type": "integer", "minimum": 0},
    "amount": {"type": "number", "minimum": 0},
}


def fact_schema(spec: FactSpec) -> dict:
    if spec.kind == "enum":
        schema = {"type": "string", "enum": list(spec.choices)}
    elif spec.kind == "enumlist":
        schema = {"type": "array", "items": {"type": "string", "enum": list(spec.choices)},
                  "uniqueItems": True}
    else:
        schema = dict(_KINDS[spec.kind])
    schema["description"] = spec.meaning
    if spec.required:
        return schema
    return {"anyOf": [schema, {"type": "null"}], "description": spec.meaning}


@lru_cache(maxsize=1)
def case_schema() -> dict:
    """One case in the contract: top-level fields and one object per group of facts."""
    props: dict = {}
    for spec in FACTS:
        if "." not in spec.path:
            props[spec.path] = fact_schema(spec)
    for group, leaves in GROUPS.items():
        props[group] = {"type": "object", "additionalProperties": False,
                        "properties": {leaf: fact_schema(next(f for f in FACTS
                                                               if f.path == f"{group}.{leaf}"))
                                       for leaf in leaves}}
    return {"title": "Case", "type": "object", "additionalProperties": False,
            "required": ["id", "date"], "properties": props,
            "description": "A case in the somlab.case/1 contract; an absent or null fact is unknown."}


def assess_body_schema() -> dict:
    return {"oneOf": [case_schema(),
                      {"type": "array", "items": case_schema(), "minItems": 1,
                       "maxItems": MAX_BATCH}]}


def facts_contract() -> dict:
    return {"schema": "somlab.case/1",
            "facts": [{"path": f.path, "kind": f.kind, "meaning": f.meaning,
                       "choices": list(f.choices), "required": f.required} for f in FACTS]}
