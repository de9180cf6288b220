"""`somlab report`: the Protocol implementation report as one HTML file, and a PDF of it."""

from __future__ import annotations

from pathlib import Path

import typer

from somlab.cli_support import STORE_HELP, output_file, parse_as_of, user_errors
from somlab.errors import SomlabInputError
from somlab.progress import progress_bar


def report_command(
    out: Path = typer.Option(..., "--out", help="The report, one self-contained HTML file."),
    pdf: Path | None = typer.Option(
        None, "--pdf", help="Also print it to PDF (headless Chromium)."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Date YYYY-MM-DD of the law (default today)."
    ),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    runs: int = typer.Option(
        4, "--runs", min=1, max=50, help="Ensemble size of the scenario comparison."
    ),
    paper: str = typer.Option("A4", "--paper", help="Paper size of the PDF: A4 or Letter."),
) -> None:
    """The Protocol implementation report: method, conformity and deviations, cases, indicators,
    gaps, a scenario comparison and sources."""
    with user_errors({"paper": "--paper"}):
        # the report's stack (the web extra) is imported when the command runs: the core
        # install starts the command line without it
        from somlab.report.build import PAPER, build_report, report_steps, write_pdf

        output_file(out)
        output_file(pdf, "--pdf")
        if paper not in PAPER:
            raise SomlabInputError(
                f"must be one of {', '.join(PAPER)}, got {paper!r}", field="paper"
            )
        with progress_bar(report_steps(runs) + (pdf is not None), "report") as advance:
            html = build_report(parse_as_of(as_of), store, runs, advance)
            tmp = out.with_name(out.name + ".tmp")
            tmp.write_text(html, encoding="utf-8")
            tmp.replace(out)
            if pdf is not None:
                write_pdf(out, pdf, paper)
                advance("PDF printed")
        typer.echo(f"wrote {out} ({len(html) / 1e3:,.0f} kB)")
        if pdf is not None:
            typer.echo(f"wrote {pdf} ({paper})")


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)
