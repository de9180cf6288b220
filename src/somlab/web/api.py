"""The JSON API under /api, mirroring the command line. Read-only with respect to the corpus."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
import re
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from somlab import periods
from somlab.conformity.diff import reform_diff as reform_diff_document
from somlab.errors import LawConflictError, SomlabInputError, SomlabNotFoundError
from somlab.evidence.indicators import catalogue
from somlab.evidence.indicators import indicator as spec_of
from somlab.evidence.render import chart_bytes, to_csv
from somlab.evidence.store import StoreError
from somlab.facts import case_from_mapping
from somlab.law.assess import assess_cases, assessment_document, resolve_codes
from somlab.law.compiled import CompiledLaw
from somlab.law.corpus import default_corpus
from somlab.law.describe import law_document, law_summary
from somlab.law.scalar import RESULT_FIELDS
from somlab.presentation.documents import conformity_doc, filter_cases, register_items
from somlab.register.analysis import case_document, summarise
from somlab.register.load import CATEGORIES
from somlab.sim import service, settings
from somlab.sim.levers import LEVERS
from somlab.sim.scenario import MECHANISMS, ScenarioError, bundled_scenarios
from somlab.unicode_check import check_data
from somlab.vocabulary import OBJECTIVES, split_codes
from somlab.web.errors import ApiError, from_input_error
from somlab.web.jobs import MAX_RUNS, Busy
from somlab.web.schema import MAX_BATCH, MAX_BODY_BYTES, assess_body_schema, facts_contract

router = APIRouter(prefix="/api")
PERIOD = re.compile(r"^\d{4}(-\d{2})?$")
INLINE_CASES = 4  # assess up to this many cases on the event loop; more in the thread pool
BODY_TIMEOUT_SECONDS = 30.0  # a slow client's body is cut off after this
MAX_RESPONSE_BYTES = 16_000_000  # one answer of /api/assess
MAX_TRACED_RESULTS = (
    2_000  # case x jurisdiction verdicts with their traces (about 3 kB each) per answer
)


def unknown(what: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI answer of an endpoint that reads names: 404 for one that names nothing."""
    return {
        404: {
            "description": f"Unknown {what}: the problem names the field and lists the "
            "`known` names and the `closest` one"
        }
    }


AsOf = Annotated[str | None, Query(description="Date YYYY-MM-DD (default today)")]
Codes = Annotated[
    str | None,
    Query(
        description="Comma-separated jurisdiction codes; reforms as CODE+reform (default: all)",
        max_length=500,
    ),
]


def parse_date(value: str | None, field: str = "as_of") -> dt.date:
    if value is None or value == "":
        return dt.date.today()
    try:
        return periods.parse_date(value)
    except ValueError:
        raise ApiError(
            422,
            f"{field}: expected a date YYYY-MM-DD, got {value!r}",
            [{"field": field, "message": "expected a date YYYY-MM-DD"}],
        ) from None


def _no_nan(doc: Any) -> Any:
    if isinstance(doc, float) and not math.isfinite(doc):
        return None
    if isinstance(doc, dict):
        return {k: _no_nan(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_no_nan(v) for v in doc]
    return doc


def _json(doc: Any, status: int = 200) -> Response:
    """Strict JSON: a value that is not a finite number is written as null (missing)."""
    try:
        text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
    except ValueError:
        text = json.dumps(_no_nan(doc), ensure_ascii=False, allow_nan=False)
    return Response(text.encode(), status, media_type="application/json")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text} is out of range")
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(
            413,
            f"request body over {limit:,} bytes; send large batches as Parquet to `somlab assess`",
        )
    chunks, size = [], 0

    async def receive() -> None:
        nonlocal size
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise ApiError(413, f"request body over {limit:,} bytes")
            chunks.append(chunk)

    try:
        await asyncio.wait_for(receive(), BODY_TIMEOUT_SECONDS)
    except TimeoutError:
        raise ApiError(
            408, f"the request body did not arrive within {BODY_TIMEOUT_SECONDS:.0f} s"
        ) from None
    return b"".join(chunks)


def parse_json(body: bytes) -> Any:
    if not body.strip():
        raise ApiError(400, "empty body: send one case or a list of cases as JSON")
    try:
        data = json.loads(body, parse_float=_finite, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise ApiError(400, "body is not UTF-8 JSON") from None
    except json.JSONDecodeError as exc:
        raise ApiError(
            400, f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, f"malformed JSON: {exc}") from None
    try:
        check_data(data)
    except SomlabInputError as exc:
        raise from_input_error(exc, status=400) from None
    return data


def cases_from_body(data: Any) -> list:
    """Validated cases; every problem of every case in one 422 naming case and field."""
    items = data if isinstance(data, list) else [data]
    if not items:
        raise ApiError(422, "the list holds no case", [{"field": "body", "message": "empty list"}])
    if len(items) > MAX_BATCH:
        raise ApiError(
            413,
            f"{len(items)} cases, over the limit of {MAX_BATCH} per request; "
            "assess large batches with `somlab assess FILE.parquet`",
        )
    cases, problems, seen = [], [], set()
    for i, item in enumerate(items):
        try:
            case = case_from_mapping(item, file=f"cases[{i}]")
        except SomlabInputError as exc:
            problems.extend(exc.problems or [exc])
            continue
        if case.id in seen:
            problems.append(
                SomlabInputError(f"duplicate case id {case.id!r}", file=f"cases[{i}]", field="id")
            )
        seen.add(case.id)
        cases.append(case)
    if problems:
        raise from_input_error(
            SomlabInputError(f"{len(problems)} problems in case facts", problems=problems)
        )
    return cases


def _assess_document(cases, codes, keep: tuple[str, ...] | None = None) -> dict:
    try:
        doc = assessment_document(assess_cases(cases, codes, default_corpus()))
        if keep is not None:
            for case in doc["cases"]:
                case["results"] = [
                    {k: v for k, v in r.items() if k in keep} for r in case["results"]
                ]
        return doc
    except SomlabInputError as exc:
        raise from_input_error(exc) from None
    except LawConflictError as exc:
        raise ApiError(422, f"conflicting exceptions in the law for these facts: {exc}") from None


@router.post(
    "/assess",
    tags=["law"],
    summary="Assess cases (somlab.assessment/1)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": assess_body_schema()}},
        }
    },
    responses={
        200: {
            "description": "The `somlab.assessment/1` document, as `somlab assess --format json`"
        },
        400: {"description": "Malformed JSON"},
        413: {"description": "Too large"},
        422: {"description": "Invalid facts; each problem names case and field"},
        **unknown("jurisdiction or result field"),
    },
)
async def assess(
    request: Request,
    jurisdiction: Codes = None,
    trace: Annotated[
        bool, Query(description="include each verdict's quoted trace (false for bulk requests)")
    ] = True,
    fields: Annotated[
        str | None,
        Query(
            description="comma-separated result fields to return (jurisdiction always): "
            + ", ".join(RESULT_FIELDS),
            max_length=300,
        ),
    ] = None,
) -> Response:
    """One case or a list of cases in the case-facts contract (`somlab.case/1`); verdicts per
    jurisdiction with quoted provisions, the facts still missing, and findings. Bulk callers ask
    `trace=false` or `fields=offence,aggravated,missing_facts`: a request whose traced answer would
    hold more than MAX_TRACED_RESULTS case-jurisdiction results is refused (413) before any work."""
    keep = _kept_fields(fields, trace)
    cases = cases_from_body(parse_json(await read_body(request)))
    codes = split_codes(jurisdiction)
    results = len(cases) * (len(codes) if codes else _jurisdiction_count())
    if (keep is None or "trace" in keep) and results > MAX_TRACED_RESULTS:
        raise ApiError(
            413,
            f"{len(cases)} cases x {results // len(cases)} jurisdictions = {results:,} traced "
            f"verdicts, over the limit of {MAX_TRACED_RESULTS:,}; ask with trace=false or "
            "fields=offence,aggravated,missing_facts, or name fewer jurisdictions",
        )
    if len(cases) <= INLINE_CASES:
        answer = _json(_assess_document(cases, codes, keep))
    else:
        answer = _json(await run_in_threadpool(_assess_document, cases, codes, keep))
    if len(answer.body) > MAX_RESPONSE_BYTES:
        raise ApiError(
            413,
            f"the answer would be {len(answer.body) / 1e6:.0f} MB, over the limit of "
            f"{MAX_RESPONSE_BYTES / 1e6:.0f} MB; ask with fields=offence,aggravated,missing_facts "
            "or send fewer cases per request",
        )
    return answer


def _jurisdiction_count() -> int:
    return len(default_corpus().codes())


def _kept_fields(fields: str | None, trace: bool) -> tuple[str, ...] | None:
    """The result fields to return; None for all of them."""
    if fields is None:
        return None if trace else tuple(f for f in RESULT_FIELDS if f != "trace")
    asked = split_codes(fields)
    unknown = [f for f in asked if f not in RESULT_FIELDS]
    if unknown:
        raise from_input_error(
            SomlabNotFoundError("result field", unknown[0], RESULT_FIELDS, field="fields")
        )
    return tuple(dict.fromkeys(["jurisdiction"] + [f for f in asked if trace or f != "trace"]))


@router.post(
    "/facts/yaml",
    tags=["law"],
    summary="One case as a YAML file",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": assess_body_schema()["oneOf"][0]}},
        }
    },
    responses={200: {"content": {"application/yaml": {}}}},
)
async def case_yaml(request: Request) -> Response:
    """The case, validated, in the contract's YAML (unknown facts omitted), for download."""
    data = parse_json(await read_body(request))
    if isinstance(data, list):
        raise ApiError(422, "send one case, not a list", [{"field": "body", "message": "a list"}])
    case = cases_from_body(data)[0]
    text = yaml.safe_dump(case.to_nested(), sort_keys=False, allow_unicode=True)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", case.id).strip("-")[:80] or "case"
    return Response(
        text,
        media_type="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{name}.yaml"'},
    )


@router.get("/facts", tags=["law"], summary="The case-facts contract")
def facts() -> dict:
    """Every fact: dotted path, kind, allowed values, meaning."""
    return facts_contract()


@router.get(
    "/conformity",
    tags=["law"],
    summary="Conformity profiles (somlab.conformity/1)",
    responses=unknown("jurisdiction"),
)
def conformity(as_of: AsOf = None, jurisdiction: Codes = None) -> Response:
    """As `somlab conformity --format json`."""
    codes = split_codes(jurisdiction)
    try:
        return _json(conformity_doc(parse_date(as_of), tuple(codes) if codes else None))
    except SomlabInputError as exc:
        raise from_input_error(exc) from None


@router.get("/laws", tags=["law"], summary="Encoded laws (somlab.laws/1)")
def laws(as_of: AsOf = None) -> dict:
    """Every jurisdiction with the version in force on the date, as `somlab law list`."""
    corpus, date = default_corpus(), parse_date(as_of)
    return {
        "schema": "somlab.laws/1",
        "as_of": date.isoformat(),
        "laws": [law_summary(corpus, code, date) for code in corpus.codes()],
    }


def compiled_law(code: str, date: dt.date) -> CompiledLaw:
    corpus = default_corpus()
    try:
        history = corpus.history(code)
    except SomlabInputError as exc:
        raise from_input_error(exc) from None
    compiled = corpus.at(code, date)
    if compiled is None:
        spans = ", ".join(f"{c.law.valid_from}–{c.law.valid_to or 'open'}" for c in history)
        raise ApiError(
            404,
            f"no version of {code} in force on {date} (versions: {spans})",
            [{"field": "as_of", "message": f"no version in force (versions: {spans})"}],
        )
    return compiled


@router.get(
    "/laws/{code}",
    tags=["law"],
    summary="One law on a date (somlab.law/1)",
    responses={
        404: {
            "description": "Unknown jurisdiction (the problem lists the `known` "
            "codes and the `closest`), or no version in force on "
            "the date (field `as_of`)"
        }
    },
)
def law(code: str, as_of: AsOf = None) -> Response:
    """Provisions (verbatim), rules with quotes, readings and sources, as `somlab law show`."""
    return _json(law_document(compiled_law(code, parse_date(as_of)).law))


@router.get("/reforms", tags=["law"], summary="Bundled reforms")
def reforms() -> dict:
    return {
        "reforms": [
            {
                "name": r.name,
                "title": r.title,
                "status": r.status,
                "applies_to": r.applies_to,
                "summary": r.summary,
            }
            for r in default_corpus().reforms().values()
        ]
    }


@router.get(
    "/reforms/{code}/diff",
    tags=["law"],
    summary="What a reform changes (somlab.reform-diff/1)",
    responses=unknown("jurisdiction or reform"),
)
def reform_diff(code: str, as_of: AsOf = None) -> Response:
    """`code` is CODE+reform, e.g. IT+humanitarian-exemption; as `somlab reform diff`."""
    if "+" not in code:
        raise ApiError(
            422,
            "expected CODE+reform, e.g. IT+humanitarian-exemption",
            [{"field": "code", "message": "expected CODE+reform"}],
        )
    date = parse_date(as_of)
    try:
        return _json(reform_diff_document(code, date))
    except SomlabInputError as exc:
        raise from_input_error(exc, rename={"jurisdiction": "code"}) from None


@router.get("/indicators", tags=["evidence"], summary="The indicator catalogue")
def indicators(request: Request) -> dict:
    """Every indicator with objective, unit, base and caveats; gaps have `gap: true`."""
    ctx = request.app.state.ctx
    return {
        "objectives": list(OBJECTIVES),
        "store": str(ctx.store_path),
        "store_present": ctx.has_store(),
        "indicators": catalogue(),
    }


@router.get(
    "/indicators/{name}",
    tags=["evidence"],
    summary="One indicator (somlab.indicator/1)",
    responses=unknown("indicator"),
)
def indicator(
    request: Request,
    name: str,
    by: Annotated[
        str | None, Query(description="Comma-separated dimensions", max_length=200)
    ] = None,
    start: Annotated[str | None, Query(alias="from", description="YYYY or YYYY-MM")] = None,
    end: Annotated[str | None, Query(alias="to", description="YYYY or YYYY-MM")] = None,
    where: Annotated[
        list[str] | None, Query(description="DIM=VALUE filters", max_length=10)
    ] = None,
    format: Annotated[
        str,
        Query(
            description="json, or a download: csv (as `somlab indicators "
            "show --format csv`), svg or png (the chart)",
            pattern="^(json|csv|svg|png)$",
        ),
    ] = "json",
) -> Response:
    """As `somlab indicators show NAME --format json`: rows, the files used, and the gaps; or the
    same as a CSV, SVG or PNG download."""
    try:
        spec_of(name)
    except SomlabNotFoundError as exc:
        raise from_input_error(exc, at="name") from None
    for field, value in (("from", start), ("to", end)):
        if value is not None and not PERIOD.match(value):
            raise ApiError(
                422,
                f"{field}: expected YYYY or YYYY-MM, got {value!r}",
                [{"field": field, "message": "expected YYYY or YYYY-MM"}],
            )
    filters = {}
    for item in where or []:
        dim, sep, value = item.partition("=")
        if not sep or not dim.strip():
            raise ApiError(
                422,
                f"where: expected DIM=VALUE, got {item!r}",
                [{"field": "where", "message": "expected DIM=VALUE"}],
            )
        filters[dim.strip()] = value.strip()
    dims = split_codes(by) or None
    try:
        result = request.app.state.ctx.indicator(name, by=dims, start=start, end=end, where=filters)
        return _json(result) if format == "json" else _download(result, format)
    except StoreError as exc:
        raise ApiError(
            503, f"the evidence store cannot be read: {exc}", [{"field": None, "message": str(exc)}]
        ) from None
    except SomlabInputError as exc:
        raise from_input_error(exc) from None


DOWNLOAD_TYPES = {"csv": "text/csv; charset=utf-8", "svg": "image/svg+xml", "png": "image/png"}


def _download(result: dict, fmt: str) -> Response:
    """The indicator as a file: the CLI's CSV, or its chart drawn on the server."""
    body = to_csv(result).encode() if fmt == "csv" else chart_bytes(result, fmt)
    if body is None:
        raise ApiError(404, f"no data to draw for {result['indicator']} in this selection")
    return Response(
        body,
        media_type=DOWNLOAD_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{result["indicator"]}.{fmt}"'},
    )


class SimulationRequest(BaseModel):
    scenario: str = Field(
        "central-mediterranean-2014-2019",
        max_length=100,
        description="a bundled scenario (GET /api/scenarios)",
    )
    runs: int = Field(4, ge=1, le=MAX_RUNS, description="ensemble size")
    seed: int = Field(1, ge=0, le=2**31 - 1)
    set: list[Annotated[str, Field(max_length=200)]] = Field(
        [],
        max_length=20,
        description="as `somlab simulate --set`: LEVER[.TARGET]=VALUE or "
        "=*FACTOR, params.NAME=VALUE, mechanisms.NAME=VALUE",
    )
    exposure: list[Annotated[str, Field(max_length=60)]] = Field(
        [],
        max_length=20,
        description="jurisdiction codes whose law is applied to the simulated facilitation events",
    )
    compare: list[Annotated[str, Field(max_length=200)]] | None = Field(
        None,
        max_length=20,
        description="settings of a variant B (as `set`) run with the same "
        "seeds and compared run by run, as `somlab compare`",
    )
    point: bool = Field(
        False,
        description="every run at the parameter file's values, as `somlab simulate --point` "
        "(the bands then carry the simulator's noise only, not the parameter uncertainty)",
    )


@router.get("/scenarios", tags=["simulation"], summary="Bundled scenarios, levers and mechanisms")
def scenarios() -> dict:
    return {
        "scenarios": bundled_scenarios(),
        "max_runs": MAX_RUNS,
        "levers": {
            k: {
                "scope": v.scope,
                "unit": v.unit,
                "low": v.low,
                "high": v.high,
                "acts_through": v.acts_through,
            }
            for k, v in LEVERS.items()
        },
        "mechanisms": {k: list(v) for k, v in MECHANISMS.items()},
    }


def check_simulation(req: SimulationRequest) -> dict:
    if req.scenario not in bundled_scenarios():
        raise from_input_error(
            SomlabNotFoundError("scenario", req.scenario, bundled_scenarios(), field="scenario")
        )
    for field, assignments in (("set", req.set), ("compare", req.compare or [])):
        try:
            service.prepare(req.scenario, assignments)
        except (settings.SettingError, ScenarioError) as exc:
            raise from_input_error(exc, at=field) from None
    try:
        codes = resolve_codes(default_corpus(), req.exposure) if req.exposure else []
    except SomlabInputError as exc:
        raise from_input_error(exc, rename={"jurisdiction": "exposure"}) from None
    return {
        "scenario": req.scenario,
        "runs": req.runs,
        "seed": req.seed,
        "set": list(req.set),
        "exposure": codes,
        "compare": None if req.compare is None else list(req.compare),
        "point": req.point,
    }


@router.post(
    "/simulations",
    tags=["simulation"],
    status_code=202,
    summary="Start a simulation (background job)",
    responses={
        202: {"description": "Accepted; poll the `url`"},
        429: {"description": "Too many simulations queued"},
        **unknown("scenario, lever, target, parameter, mechanism or exposure jurisdiction"),
    },
)
def start_simulation(request: Request, body: SimulationRequest) -> JSONResponse:
    """Runs an ensemble in the background, as `somlab simulate`; poll GET /api/simulations/{id}."""
    checked = check_simulation(body)
    try:
        job = request.app.state.ctx.jobs.submit(checked)
    except Busy as exc:
        raise ApiError(429, str(exc)) from None
    return JSONResponse({**job.to_dict(), "url": f"/api/simulations/{job.id}"}, status_code=202)


@router.get(
    "/simulations/{job_id}", tags=["simulation"], summary="A simulation job's status and result"
)
def simulation(request: Request, job_id: str) -> Response:
    """Status (queued, running, done, failed), runs done, and the `somlab.simulation/1` result."""
    job = request.app.state.ctx.jobs.get(job_id)
    if job is None:
        raise ApiError(
            404, f"no simulation {job_id!r} (finished jobs are kept for a while, then dropped)"
        )
    return _json(job.to_dict())


@router.get(
    "/cases",
    tags=["cases"],
    summary="The case register (somlab.cases/1)",
    responses=unknown("category"),
)
def cases(
    category: Annotated[str | None, Query(max_length=60)] = None,
    forum: Annotated[str | None, Query(max_length=10)] = None,
    outcome: Annotated[str | None, Query(max_length=30)] = None,
) -> Response:
    """The register of real cases with their qualifications and outcomes, as `somlab cases
    --format json`; filters combine (an empty result is an empty list)."""
    if category and category not in CATEGORIES:
        raise from_input_error(
            SomlabNotFoundError("category", category, CATEGORIES, field="category")
        )
    items = filter_cases(register_items(), category, forum, outcome)
    return _json(
        {
            "schema": "somlab.cases/1",
            "cases": [case_document(q) for q in items],
            "summary": summarise(items),
        }
    )
