"""The ASGI app: `create_app(store=None)` → FastAPI with the pages, the JSON API and its docs."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from somlab import __version__
from somlab.bundled import bundled
from somlab.web import api, api_docs, pages, vendor
from somlab.web.context import Context
from somlab.web.errors import validation_handler

DESCRIPTION = """The somlab observatory's JSON API: the same answers as the `somlab` command line.

Read-only with respect to the law corpus. Request bodies are limited to 1 MiB and 500 cases;
errors are 4xx with `{"detail", "problems": [{"field", "message"}]}`. A name that names nothing
(a jurisdiction, reform, indicator, scenario, lever, category...) is 404, and its problem adds
the `known` names and the `closest` one (null when none is near)."""


def create_app(store: str | Path | None = None) -> FastAPI:
    """The app; `store` is the evidence DuckDB file (default: $SOMLAB_STORE, else the user's)."""
    ctx = Context(store)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        vendor.warm()
        yield
        ctx.close()

    app = FastAPI(
        title="somlab",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
        exception_handlers={
            RequestValidationError: validation_handler,
            StarletteHTTPException: pages.http_error,
        },
    )
    app.state.ctx = ctx
    app.include_router(api.router)
    app.include_router(api_docs.router)
    app.include_router(pages.router)

    @app.get("/vendor/vega.js", include_in_schema=False)
    def vega_js() -> Response:
        return Response(
            vendor.vega_bundle(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.mount("/static", StaticFiles(directory=bundled("web", "static")), name="static")
    return app
