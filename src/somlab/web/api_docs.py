"""The API documentation page, rendered on the server from the OpenAPI schema: it needs no
script and no asset from elsewhere, so it works offline."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from somlab.web.pages import render

router = APIRouter(include_in_schema=False)
METHODS = ("get", "post", "put", "delete")


def operations(schema: dict) -> list[dict[str, Any]]:
    """Each operation with its parameters, body and answers, grouped in the order of the schema."""
    out = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "description": p.get("description")
                    or p.get("schema", {}).get("description", ""),
                    "type": _type(p.get("schema", {})),
                }
                for p in op.get("parameters", [])
            ]
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "tag": (op.get("tags") or ["other"])[0],
                    "params": params,
                    "body": "requestBody" in op,
                    "responses": {
                        code: r.get("description", "")
                        for code, r in op.get("responses", {}).items()
                    },
                    "anchor": f"{method}-{path.strip('/').replace('/', '-').replace('{', '').replace('}', '')}",
                }
            )
    return out


def _type(schema: dict) -> str:
    if "anyOf" in schema:
        return " or ".join(_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    return schema.get("type", "")


@router.get("/api/docs")
def api_docs(request: Request):
    schema = request.app.openapi()
    return render(
        request, "api_docs.html", title="JSON API", info=schema["info"], ops=operations(schema)
    )
