"""The HTML pages: server-rendered with Jinja, small scripts for the form, sorting and charts."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from somlab import __version__
from somlab.bundled import bundled
from somlab.conformity.diff import reform_diff
from somlab.errors import SomlabInputError
from somlab.evidence.indicators import catalogue
from somlab.facts import FACTS, GROUPS
from somlab.law.corpus import default_corpus
from somlab.law.describe import law_document
from somlab.periods import parse_date
from somlab.presentation import views
from somlab.presentation.documents import conformity_doc, filter_cases, register_items
from somlab.register.analysis import LABELS, Qualification, outcome_key, summarise
from somlab.review import scorecard
from somlab.review.catalogue import CLUSTERS, units
from somlab.review.files import STATUSES, Review, load_review
from somlab.review.report import HEADINGS, cite
from somlab.web.api import compiled_law
from somlab.web.api import scenarios as scenario_list
from somlab.web.errors import ApiError
from somlab.web.jobs import MAX_RUNS

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(bundled("web", "templates")))
    t.env.globals.update(version=__version__)
    t.env.filters["num"] = views.number
    return t


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates().TemplateResponse(request, name, context, status_code=status)


def page_date(value: str | None) -> tuple[dt.date, str | None]:
    """The as-of date of a page, or today with a message when the value is not a date."""
    if not value:
        return dt.date.today(), None
    try:
        return parse_date(value), None
    except ValueError:
        return dt.date.today(), f"{value!r} is not a date YYYY-MM-DD; showing today"


async def http_error(request: Request, exc: StarletteHTTPException):
    if request.url.path.startswith("/api/"):
        return JSONResponse(
            {"detail": exc.detail, "problems": getattr(exc, "problems", [])},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
    return render(
        request, "error.html", exc.status_code, title=f"Error {exc.status_code}", message=exc.detail
    )


@router.get("/", response_class=HTMLResponse)
def overview(request: Request):
    ctx = request.app.state.ctx
    today = dt.date.today()
    doc = conformity_doc(today)
    objectives, problems = [], set()
    for key, (title, articles) in views.OBJECTIVES.items():
        items = [i for i in catalogue() if i["objective"] == key]
        shown = []
        for i in items:
            if i["gap"]:
                continue
            if i["figures"]:
                result, problem = ctx.shown(i["indicator"])
                headline = views.latest_figures(result)
            else:
                result, problem = ctx.shown(i["indicator"], by=["year"])
                headline = views.latest(result)
            problems.add(problem)
            shown.append({**i, "headline": headline})
        objectives.append(
            {
                "key": key,
                "title": title,
                "articles": articles,
                "indicators": shown,
                "gaps": [i for i in items if i["gap"]],
            }
        )
    return render(
        request,
        "overview.html",
        title="Overview",
        objectives=objectives,
        headline=views.headline(doc),
        as_of=doc["as_of"],
        store=ctx.store_path,
        has_store=ctx.has_store(),
        store_problem=next(filter(None, problems), None),
    )


@router.get("/laws", response_class=HTMLResponse)
def laws(request: Request, as_of: str | None = None):
    date, note = page_date(as_of)
    try:
        doc = conformity_doc(date)
    except SomlabInputError as exc:
        doc, note = conformity_doc(dt.date.today()), f"{exc.message}; showing today"
    corpus = default_corpus()
    return render(
        request,
        "laws.html",
        title="Laws",
        doc=doc,
        columns=views.columns(),
        rows=views.matrix(doc),
        note=note,
        reforms=list(corpus.reforms().values()),
        codes=[c for c in corpus.codes()],
    )


@router.get("/laws/{code}", response_class=HTMLResponse)
def law(request: Request, code: str, as_of: str | None = None):
    date, note = page_date(as_of)
    corpus = default_corpus()
    try:
        compiled = compiled_law(code, date)
    except ApiError as exc:
        if exc.status_code == 404 and exc.problems and exc.problems[0]["field"] == "as_of":
            compiled, note = corpus.history(code)[-1], exc.detail + "; showing the latest version"
        else:
            raise
    doc = law_document(compiled.law)
    try:
        conformity = conformity_doc(date, (code,))
    except SomlabInputError:
        conformity = {"jurisdictions": []}
    reforms = [r for r in corpus.reforms().values() if r.applies(code.split("+")[0])]
    return render(
        request,
        "law.html",
        title=f"{code}: {doc['name']}",
        code=code,
        note=note,
        as_of=date.isoformat(),
        history=corpus.history(code),
        reforms=reforms,
        **views.law_page(doc, conformity, code),
    )


@router.get("/laws/{code}/reform/{reform}", response_class=HTMLResponse)
def reform(request: Request, code: str, reform: str, as_of: str | None = None):
    date, note = page_date(as_of)
    try:
        doc = reform_diff(f"{code}+{reform}", date)
    except SomlabInputError as exc:
        raise ApiError(404, exc.message) from None
    return render(
        request,
        "reform.html",
        title=f"{doc['reform']}: {doc['title']}",
        doc=doc,
        note=note,
        code=code,
    )


@router.get("/assess", response_class=HTMLResponse)
def assess(request: Request):
    top = [f for f in FACTS if "." not in f.path]
    groups = [(g, [f for f in FACTS if f.path.startswith(g + ".")]) for g in GROUPS]
    return render(
        request,
        "assess.html",
        title="Assess a case",
        top=top,
        groups=groups,
        codes=default_corpus().codes(),
        today=dt.date.today().isoformat(),
        protocols=views.PROTOCOLS,
        eu_members=views.EU_MEMBERS,
    )


@router.get("/evidence", response_class=HTMLResponse)
def evidence(request: Request, route: str | None = None):
    ctx = request.app.state.ctx
    where = {"route": route} if route else {}
    figures, gaps, problems = [], [], set()
    for item in catalogue():
        if item["gap"]:
            gaps.append(item)
            continue
        if item["figures"]:
            result, problem = ctx.shown(item["indicator"])
        else:
            by = [d for d in views.CHARTS[item["indicator"]] if d not in where]
            filters = {k: v for k, v in where.items() if k in item["dims"]}
            result, problem = ctx.shown(item["indicator"], by=by, where=filters)
        problems.add(problem)
        query = [("by", ",".join(result["by"]))] if not item["figures"] else []
        query += [("where", f"{k}={v}") for k, v in ({} if item["figures"] else filters).items()]
        figures.append(
            {
                "item": item,
                "download": f"/api/indicators/{item['indicator']}?{urlencode(query)}",
                **views.figure(result),
            }
        )
    by_route, problem = ctx.shown("dead_missing", by=["route"])
    routes = [r["route"] for r in by_route["rows"] if r["route"] is not None]
    return render(
        request,
        "evidence.html",
        title="Evidence",
        figures=figures,
        gaps=gaps,
        routes=routes,
        route=route,
        has_store=ctx.has_store(),
        store=ctx.store_path,
        store_problem=next(filter(None, problems | {problem}), None),
    )


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios(request: Request):
    return render(
        request,
        "scenarios.html",
        title="Scenarios",
        info=scenario_list(),
        max_runs=MAX_RUNS,
        codes=default_corpus().codes(),
    )


def _case_text(q: Qualification) -> str:
    e = q.entry
    return " ".join(
        str(part)
        for part in (
            e.id,
            e.title,
            e.forum,
            e.category,
            e.notes or "",
            e.outcome.summary,
            " ".join(e.charges),
            e.case.facts.get("summary") or "",
        )
    ).casefold()


@router.get("/cases", response_class=HTMLResponse)
def cases(
    request: Request,
    category: str | None = None,
    forum: str | None = None,
    outcome: str | None = None,
    q: str | None = None,
):
    every = register_items()
    items = filter_cases(every, category, forum, outcome)
    words = (q or "").casefold().split()[:10]
    if words:
        items = [item for item in items if all(word in _case_text(item) for word in words)]
    choices = {
        "category": sorted({q.entry.category for q in every}),
        "forum": sorted({q.entry.forum for q in every}),
        "outcome": sorted({outcome_key(q.entry) for q in every}),
    }
    return render(
        request,
        "cases.html",
        title="Cases",
        items=items,
        summary=summarise(items),
        labels=LABELS,
        choices=choices,
        total=len(every),
        chosen={"category": category, "forum": forum, "outcome": outcome},
        q=q or "",
        outcome_key=outcome_key,
    )


def assess_address(facts: dict) -> str:
    """The case form's address for a case's facts (the form restores them from it)."""

    def text(value) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (list, tuple)):
            return ",".join(map(str, value)) or "none"
        return str(value)

    return "/assess?" + urlencode(
        {path: text(value) for path, value in facts.items() if value is not None}
    )


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: str):
    found = next((q for q in register_items() if q.entry.id == case_id), None)
    if found is None:
        raise ApiError(404, f"no case {case_id!r} in the register")
    facts = {"id": found.entry.id, "date": found.entry.date.isoformat(), **found.entry.case.facts}
    return render(
        request,
        "case.html",
        title=found.entry.title,
        q=found,
        labels=LABELS,
        outcome_key=outcome_key,
        assess=assess_address(facts),
    )


def _reviews() -> list[tuple[str, Review]]:
    folder = bundled("review", "examples")
    return [(path.stem, load_review(path)) for path in sorted(folder.glob("*.yaml"))]


@router.get("/reviews", response_class=HTMLResponse)
def reviews(request: Request):
    loaded = _reviews()
    doc = scorecard.compare([r for _, r in loaded])
    spec = (
        scorecard.chart(doc)
        .properties(width="container")
        .configure_legend(orient="bottom")
        .to_dict()
    )
    return render(
        request,
        "reviews.html",
        title="Reviews",
        reviews=loaded,
        doc=doc,
        spec=spec,
        statuses=STATUSES,
    )


@router.get("/reviews/{name}", response_class=HTMLResponse)
def review(request: Request, name: str):
    found = dict(_reviews()).get(name)
    if found is None:
        raise ApiError(404, f"no review {name!r}")
    clusters = [
        (number, title, [(o, found.entry(o.id)) for o in units() if o.cluster == number])
        for number, title in CLUSTERS.items()
    ]
    return render(
        request,
        "review.html",
        title=f"Implementation review: {found.state}",
        review=found,
        clusters=clusters,
        cite=cite,
        headings=HEADINGS,
    )
