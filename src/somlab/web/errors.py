"""Client errors as JSON that names the field: `{"detail": ..., "problems": [{field, message}]}`;
a name that names nothing answers 404, its problem listing the `known` names and the `closest`."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from somlab.errors import SomlabInputError, SomlabNotFoundError


class ApiError(HTTPException):
    def __init__(self, status: int, detail: str, problems: list[dict] | None = None) -> None:
        super().__init__(status, detail)
        self.problems = problems or []


def _status(exc: SomlabInputError) -> int:
    """404 when every problem is an unknown name, else 422."""
    problems = exc.problems or [exc]
    return 404 if all(isinstance(p, SomlabNotFoundError) for p in problems) else 422


def from_input_error(
    exc: SomlabInputError,
    status: int | None = None,
    rename: dict[str, str] | None = None,
    at: str | None = None,
) -> ApiError:
    """An ApiError listing each problem with its field: the domain field renamed to its API
    parameter, or `at`, the API parameter that holds the whole input the domain read (a `set`
    list, a path's `name`). The status is 404 for an unknown name and 422 for other bad input,
    unless given."""
    rename = rename or {}
    problems = []
    for p in exc.problems or [exc]:
        field = at or (rename.get(p.field, p.field) if p.field else None)
        item: dict[str, object] = {"field": field, "message": p.message}
        if p.file and p.file.startswith("cases["):
            item["case"] = int(p.file[6:-1])
        if isinstance(p, SomlabNotFoundError):
            item.update(known=p.known, closest=p.closest)
        problems.append(item)
    head = problems[0] if len(problems) == 1 else None
    detail = (
        f"{head['field']}: {head['message']}"
        if head and head["field"]
        else exc.message
        if head is None
        else str(head["message"])
    )
    return ApiError(status or _status(exc), detail, problems)


async def validation_handler(request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = [
        {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
    ]
    detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return JSONResponse({"detail": detail, "problems": problems}, status_code=422)
