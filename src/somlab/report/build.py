"""Build the implementation report from the corpus, the register, the evidence store, the reviews
and a small scenario comparison. Charts are inline SVG (no script), so the file stands alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import vl_convert

from somlab import __version__
from somlab.bundled import bundled
from somlab.errors import SomlabInputError
from somlab.evidence.charts import build_chart, build_figures_chart, source_line
from somlab.evidence.indicators import catalogue, compute
from somlab.evidence.store import Store, default_store_path
from somlab.law.corpus import default_corpus
from somlab.pdf import print_pdf
from somlab.presentation import views
from somlab.presentation.documents import conformity_doc, register_items
from somlab.register.analysis import LABELS, outcome_key, summarise
from somlab.review import scorecard
from somlab.review.files import STATUSES, load_review
from somlab.sim import compare, service
from somlab.sim.scenario import ScenarioError
from somlab.sim.validation import summary
from somlab.vocabulary import OBJECTIVES

SCENARIO = "central-mediterranean-2014-2019"
VARIANTS = (
    ("enforcement tripled", ["enforcement.all=*3"]),
    ("legal pathways, 5,000 places a month", ["legal_places.all=5000"]),
)


def _svg(spec: dict) -> str:
    return vl_convert.vegalite_to_svg(spec)


def report_steps(runs: int) -> int:
    """The steps `build_report` reports progress on: each indicator, each scenario run, and the
    conformity, register and review sections."""
    return len(catalogue()) + runs * (1 + len(VARIANTS)) + 3


def _indicators(
    store_path: Path, advance: Callable[..., None]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per objective: each indicator's chart (SVG), source line and gaps; and the files used."""
    store = Store(store_path, read_only=True) if store_path.exists() else None
    try:
        out = []
        for objective in OBJECTIVES:
            items: list[dict[str, Any]] = []
            for item in (i for i in catalogue() if i["objective"] == objective):
                advance(f"indicator {item['indicator']}")
                if item["gap"] or store is None:
                    items.append(
                        {
                            "item": item,
                            "svg": None,
                            "source": None,
                            "gaps": [item["caveats"]]
                            if item["gap"]
                            else [f"no evidence store at {store_path}"],
                        }
                    )
                    continue
                if item["figures"]:
                    result = compute(item["indicator"], store)
                    chart = build_figures_chart(result)
                else:
                    result = compute(
                        item["indicator"], store, by=list(views.CHARTS[item["indicator"]])
                    )
                    drawn = any(r.get("value") is not None for r in result["rows"])
                    chart = build_chart(result) if drawn else None
                items.append(
                    {
                        "item": item,
                        "source": source_line(result),
                        "gaps": result["gaps"],
                        "svg": _svg(chart.to_dict()) if chart is not None else None,
                    }
                )
            out.append({"objective": objective, "items": items})
        provenance = store.provenance() if store is not None else []
        return out, provenance
    finally:
        if store is not None:
            store.close()


def _scenarios(runs: int, advance: Callable[..., None]) -> dict[str, Any]:
    """The bundled scenario against each variant, run by run (common random numbers)."""
    try:
        base, *others = service.ensembles(
            [(SCENARIO, [])] + [(SCENARIO, v) for _, v in VARIANTS],
            runs,
            1,
            progress=lambda done: advance("scenario runs", steps=0, completed=done),
        )
    except ScenarioError as exc:
        raise SomlabInputError(f"the bundled scenario could not be read: {exc}") from None
    variants = []
    for (label, assignments), variant in zip(VARIANTS, others):
        table = compare.differences(base.runs, base.scenario, variant.runs, variant.scenario)
        variants.append(
            {
                "label": label,
                "settings": assignments,
                "rows": table.where(table.notna(), None).to_dict("records"),
            }
        )
    return {
        "scenario": base.scenario.name,
        "title": base.scenario.title,
        "runs": runs,
        "variants": variants,
        "validation": summary(base.runs, base.scenario),
        "parameters_status": base.scenario.calibration.get("status", "not stated"),
        "parameter_uncertainty": base.parameter_uncertainty()["note"],
    }


def _register() -> dict[str, Any]:
    items = register_items()
    return {
        "items": items,
        "summary": summarise(items),
        "labels": LABELS,
        "outcome_key": outcome_key,
    }


def _reviews() -> dict[str, Any] | None:
    folder = bundled("review", "examples")
    reviews = [load_review(p) for p in sorted(folder.glob("*.yaml"))]
    if not reviews:
        return None
    doc = scorecard.compare(reviews)
    return {"doc": doc, "statuses": STATUSES, "svg": _svg(scorecard.chart(doc).to_dict())}


def build_report(
    as_of: dt.date,
    store: str | Path | None = None,
    runs: int = 4,
    advance: Callable[..., None] = lambda what: None,
) -> str:
    """The report as one HTML document; `advance(what)` is called after each of `report_steps(runs)`
    steps."""
    store_path = Path(store) if store is not None else default_store_path()
    doc = conformity_doc(as_of)
    corpus = default_corpus()
    # the conformity document lists the laws in force on the date
    laws = [
        compiled.law
        for j in doc["jurisdictions"]
        if (compiled := corpus.at(j["jurisdiction"], as_of)) is not None
    ]
    advance("conformity")
    indicators, provenance = _indicators(store_path, advance)
    register = _register()
    advance("case register")
    reviews = _reviews()
    advance("reviews")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(bundled("report", "templates"))),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = views.number
    return env.get_template("report.html").render(
        version=__version__,
        as_of=doc["as_of"],
        generated=dt.date.today().isoformat(),
        doc=doc,
        columns=views.columns(),
        rows=views.matrix(doc),
        headline=views.headline(doc),
        objectives=views.OBJECTIVES,
        indicators=indicators,
        provenance=provenance,
        store=store_path,
        register=register,
        reviews=reviews,
        scenarios=_scenarios(runs, advance),
        laws=laws,
    )


PAPER = {"A4": "210mm 297mm", "Letter": "8.5in 11in"}


def write_pdf(html_path: Path, pdf_path: Path, paper: str = "A4") -> None:
    """Print the HTML to PDF with headless Chromium, on A4 (or US Letter) paper."""
    # Chromium prints on the page size the document asks for: a copy that asks for the paper
    page = f"<style>@page {{ size: {PAPER[paper]}; margin: 15mm; }}</style>"
    print_pdf(
        html_path.read_text(encoding="utf-8").replace("</head>", page + "</head>", 1),
        pdf_path,
        field="pdf",
        missing="no Chromium found to print the PDF (apt-get install chromium); "
        "the HTML report was written",
    )
