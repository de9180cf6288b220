"""Commands of the implementation review: `somlab protocol show` and `somlab review ...`."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import Enum
from pathlib import Path

import typer

from somlab.cli_support import output_file, parse_as_of, print_json, user_errors
from somlab.errors import SomlabInputError


class ShowFormat(str, Enum):
    text = "text"
    json = "json"


protocol_app = typer.Typer(
    help="The Protocol article by article: text, strength, objective, cluster.",
    no_args_is_help=True,
)


@protocol_app.command("show")
def protocol_show(
    article: str | None = typer.Argument(
        None, help="Article or provision: 6, 6(1), 6(1)(a). Default: all."
    ),
    fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f"),
) -> None:
    """The obligation catalogue: verbatim text, strength, who it binds, objective, cluster."""
    with user_errors():
        from somlab.review.catalogue import find

        found = find(article)
        if fmt is ShowFormat.json:
            print_json([o.as_dict() for o in found])
            return
        article_no = None
        for o in found:
            if o.article != article_no:
                article_no = o.article
                print(f"\nArticle {o.article}. {o.title}")
            cluster = f"cluster {o.cluster}" if o.cluster else "no cluster"
            review = "" if o.unit else "; not reviewed on its own"
            print(f"  {o.label} [{o.strength}; {o.objective}; {cluster}{review}]")
            if o.binds:
                print(f"    binds: {o.binds}")
            print(f'    "{o.text}"')
            if o.evidence:
                print(f"    evidence: {', '.join(o.evidence)}")


@protocol_app.command("clusters")
def protocol_clusters(fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f")) -> None:
    """The Review Mechanism clusters: articles, and the passage that lists them or why inferred."""
    with user_errors():
        from somlab.review.catalogue import clusters
        from somlab.review.documents import passages

        found = clusters()
        if fmt is ShowFormat.json:
            print_json([c.as_dict() for c in found])
            return
        stored = passages()
        for c in found:
            articles = ", ".join(map(str, c.articles))
            print(f"Cluster {c.number}. {c.title}: arts {articles} ({c.basis})")
            if c.reason:
                print(f"  inferred: {c.reason}")
            for source in c.sources:
                doc, passage = stored[source]
                print(f"  {'source' if c.basis == 'cited' else 'read'}: {doc.cite()}")
                print(f'    "{passage.text}"')


review_app = typer.Typer(
    help="Article-by-article implementation reviews: init, check, report, scorecard.",
    no_args_is_help=True,
)


class ReportFormat(str, Enum):
    html = "html"
    md = "md"
    pdf = "pdf"


class ScoreFormat(str, Enum):
    table = "table"
    json = "json"
    png = "png"
    svg = "svg"
    html = "html"


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)


@review_app.command("init")
def review_init(
    code: str = typer.Argument(..., help="Jurisdiction code of the corpus, e.g. IT."),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="Date the law is read at (YYYY-MM-DD; default: the file's, else today).",
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Review file to write; if it exists, its computed entries are re-computed.",
    ),
    reviewer: str = typer.Option("somlab (computed)", "--reviewer", help="Reviewer of a new file."),
) -> None:
    """A review pre-filled from the evidence: cluster 1 from the conformity profile, the rest from
    the document register by the evidence rules; unknown entries say why."""
    with user_errors():
        from somlab.review.compute import init_review
        from somlab.review.files import dump, load_review

        output_file(out)
        existing = load_review(out) if out is not None and out.exists() else None
        if as_of is None and existing is not None:
            as_of = existing.as_of
        review, kept = init_review(code, parse_as_of(as_of), reviewer, dt.date.today(), existing)
        for line in kept:
            print(f"note: {line}", file=sys.stderr)
        _write(dump(review), out)


@review_app.command("documents")
def review_documents(
    state: str | None = typer.Option(
        None, "--state", help="Only passages bearing on this State (e.g. IT)."
    ),
    provision: str | None = typer.Option(
        None, "--provision", help="Only passages bearing on this provision (e.g. 16(3))."
    ),
    fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f"),
) -> None:
    """The document register: documents, their passages (cited by id) and what each bears on."""
    with user_errors():
        from somlab.review.documents import register

        key = provision.removeprefix("art").strip() if provision else None
        rows = []
        for doc in register().values():
            for p in doc.passages:
                bears = [
                    b
                    for b in p.bears_on
                    if (state is None or b.state == state) and (key is None or b.provision == key)
                ]
                if (state or key) and not bears:
                    continue
                rows.append((doc, p, bears))
        if fmt is ShowFormat.json:
            print_json(
                [
                    {
                        "passage": p.id,
                        "document": doc.id,
                        "publisher": doc.publisher,
                        "title": doc.title,
                        "date": doc.date,
                        "address": doc.address,
                        "kind": doc.kind,
                        "text": p.text,
                        "bears_on": [b.__dict__ for b in bears],
                    }
                    for doc, p, bears in rows
                ]
            )
            return
        for doc, p, bears in rows:
            print(f"{p.id}  [{doc.kind}] {doc.cite()}")
            print(f'  "{p.text}"')
            for b in bears:
                print(f"  {b.state} art {b.provision}: {b.status} - {b.reading}")


@review_app.command("check")
def review_check(file: Path = typer.Argument(..., help="Review YAML file.")) -> None:
    """Validate a review: structure, evidence behind every status, every citation resolving."""
    with user_errors():
        from somlab.review.citations import check
        from somlab.review.files import load_review

        review = load_review(file)
        check(review)
        known = sum(e.status != "unknown" for e in review.entries.values())
        print(
            f"{file}: valid; {len(review.entries)} provisions, {known} with a status backed by "
            "evidence, the rest unknown"
        )


@review_app.command("report")
def review_report(
    file: Path = typer.Argument(..., help="Review YAML file."),
    fmt: ReportFormat = typer.Option(ReportFormat.html, "--format", "-f"),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output file (needed for pdf)."),
) -> None:
    """The review as a list of observations per cluster, in the Mechanism's structure."""
    with user_errors():
        from somlab.progress import progress_bar
        from somlab.review.citations import check
        from somlab.review.files import load_review
        from somlab.review.report import to_html, to_markdown, to_pdf

        output_file(out)
        if fmt is ReportFormat.pdf and out is None:
            raise SomlabInputError("a PDF needs --out FILE", field="--out")
        with progress_bar(3, "review report") as advance:
            review = load_review(file)
            advance("review read")
            check(review)
            advance("citations checked")
            if fmt is ReportFormat.pdf and out is not None:
                to_pdf(review, out)
                advance("PDF printed")
            else:
                text = to_html(review) if fmt is ReportFormat.html else to_markdown(review)
                advance("report written")
        if fmt is ReportFormat.pdf:
            print(f"wrote {out}", file=sys.stderr)
            return
        _write(text, out)


@review_app.command("scorecard")
def review_scorecard(
    files: list[Path] = typer.Argument(..., help="Review YAML files, one per state."),
    fmt: ScoreFormat = typer.Option(ScoreFormat.table, "--format", "-f"),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output file (png, svg, html)."),
) -> None:
    """Share of obligations per objective implemented / partially / not / n.a. / unknown."""
    with user_errors():
        from somlab.review.files import STATUSES, load_review
        from somlab.review.scorecard import compare, save_chart, table_rows

        output_file(out)
        doc = compare([load_review(f) for f in files])
        if fmt is ScoreFormat.json:
            _write(json.dumps(doc, indent=2, ensure_ascii=False), out)
        elif fmt is ScoreFormat.table:
            from somlab.law.commands import _print_table

            _print_table(
                ["state", "objective", "obligations", "with evidence", *STATUSES],
                table_rows(doc),
                "Obligations per objective: evidence cited, and status "
                "(unknown: no evidence sets one)",
            )
        else:
            target = out or Path(f"scorecard.{fmt.value}")
            save_chart(doc, target)
            print(f"wrote {target}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.add_typer(protocol_app, name="protocol")
    app.add_typer(review_app, name="review")
