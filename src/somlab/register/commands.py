"""`somlab cases`: the register of real cases, qualified under the Protocols and the forum's law."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from somlab.cli_support import print_json, user_errors
from somlab.errors import SomlabInputError

SCHEMA = "somlab.cases/1"


class CasesFormat(str, Enum):
    table = "table"
    json = "json"
    md = "md"
    csv = "csv"


def cases_command(
    category: str | None = typer.Option(
        None, "--category", "-c", help="Only this category (e.g. ngo_sar)."
    ),
    forum: str | None = typer.Option(
        None, "--forum", help="Only cases prosecuted in this forum (e.g. IT, EU)."
    ),
    fmt: CasesFormat = typer.Option(CasesFormat.table, "--format", "-f"),
    register_path: Path | None = typer.Option(
        None, "--register", help="Register file (default: the bundled one)."
    ),
) -> None:
    """Real cases qualified under UN-SOM, UN-TIP and their forum's law on their date, with the
    real outcome; unknown facts leave verdicts undetermined."""
    with user_errors():
        from somlab.register.analysis import case_document, qualify, summarise
        from somlab.register.load import CATEGORIES, load_register

        entries = load_register(register_path)
        if category is not None:
            if category not in CATEGORIES:
                raise SomlabInputError(
                    f"unknown category {category!r}; known: {', '.join(CATEGORIES)}",
                    field="--category",
                )
            entries = [e for e in entries if e.category == category]
        if forum is not None:
            forums = sorted({e.forum for e in entries})
            if forum not in forums:
                raise SomlabInputError(
                    f"no case with forum {forum!r}"
                    + (f" in category {category!r}" if category else "")
                    + f"; forums: {', '.join(forums)}",
                    field="--forum",
                )
            entries = [e for e in entries if e.forum == forum]
        if not entries:
            raise SomlabInputError(f"no case in category {category!r}", field="--category")
        items = qualify(entries)
        summary = summarise(items)
        if fmt is CasesFormat.json:
            print_json(
                {"schema": SCHEMA, "cases": [case_document(q) for q in items], "summary": summary}
            )
            return
        from somlab.register import render

        if fmt is CasesFormat.csv:
            sys.stdout.write(render.csv_text(items))
        elif fmt is CasesFormat.md:
            sys.stdout.write(render.markdown(items, summary))
        else:
            _print(items, summary, render)


def _print(items, summary, render) -> None:
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.table import Table

    table = Table(title="Real cases (offence / offence+agg / no offence / ? = undetermined)")
    for h in render.HEADER:
        table.add_column(h, overflow="fold")
    for row in render.rows(items):
        table.add_row(*row)
    console = Console(width=160)
    console.print(table)
    console.print(Markdown(render.summary_md(summary)))


def register(app: typer.Typer) -> None:
    app.command("cases")(cases_command)
