"""Client errors as JSON that names the field: `{"detail": ..., "problems": [{field, message}]}`."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from somlab.errors import SomlabInputError


class ApiError(HTTPException):
    def __init__(self, status: int, detail: str, problems: list[dict] | None = None) -> None:
        super().__init__(status, detail)
        self.problems = problems or []


def from_input_error(exc: SomlabInputError, status: int = 422, rename: dict[str, str] | None = None,
                     prefix: str = "") -> ApiError:
    """An ApiError listing each problem with its field (a domain field renamed to its API parameter)."""
    rename = rename or {}
    problems = []
    for p in exc.problems or [exc]:
        field = rename.get(p.field, p.field) if p.field else None
        item = {"field": f"{prefix}{field}" if field else prefix.rstrip(".") or None,
                "message": p.message}
        if p.file and p.file.startswith("cases["):
            item["case"] = int(p.file[6:-1])
        problems.append(item)
    head = problems[0] if len(problems) == 1 else None
    detail = (f"{head['field']}: {head['message']}" if head and head["field"] else
              exc.message if head is None else head["message"])
    return ApiError(status, detail, problems)


async def validation_handler(request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
                for e in exc.errors()]
    detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return JSONResponse({"detail": detail, "problems": problems}, status_code=422)
