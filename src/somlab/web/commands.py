"""`somlab serve` (the dashboard and JSON API) and `somlab report` (the implementation report)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from somlab.cli_support import user_errors
from somlab.errors import SomlabInputError

STORE_HELP = "Evidence DuckDB store (default: $SOMLAB_STORE, else evidence.duckdb in the user data directory)"


def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port (0: any free port)."),
    store: Optional[Path] = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Start the web dashboard and the JSON API (docs at /api/docs)."""
    import socket

    import uvicorn

    from somlab.web.app import create_app

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    with user_errors():
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise SomlabInputError(f"cannot listen on {host}:{port} ({exc.strerror}); choose --port") from None
    fill_empty_store(store)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"somlab is serving on http://{shown}:{bound}/  (API docs: /api/docs; Ctrl-C stops)")
    from somlab.web.server import KEEP_ALIVE_SECONDS, DeadlineHttpToolsProtocol

    config = uvicorn.Config(create_app(store), log_level="warning", access_log=False,
                            http=DeadlineHttpToolsProtocol, timeout_keep_alive=KEEP_ALIVE_SECONDS)
    uvicorn.Server(config).run(sockets=[sock])


def fill_empty_store(store: Path | None) -> None:
    """On first start, an empty (or absent) store gets the bundled snapshot of the published data."""
    from somlab.evidence.snapshot import load_snapshot
    from somlab.evidence.store import Store, StoreError

    try:
        with Store(store) as handle:
            added = load_snapshot(handle)
            where = handle.path
    except StoreError as exc:  # the pages say what is wrong with the store
        typer.echo(f"warning: {exc}", err=True)
        return
    if added:
        typer.echo(f"filled the empty store {where} with the bundled snapshot of {added} published files "
                   "(see `somlab data status`; `somlab data ingest` adds newer vintages)")


def report_command(
    out: Path = typer.Option(..., "--out", help="The report, one self-contained HTML file."),
    pdf: Optional[Path] = typer.Option(None, "--pdf", help="Also print it to PDF (headless Chromium)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Date YYYY-MM-DD of the law (default today)."),
    store: Optional[Path] = typer.Option(None, "--store", help=STORE_HELP),
    runs: int = typer.Option(4, "--runs", min=1, max=50, help="Ensemble size of the scenario comparison."),
    paper: str = typer.Option("A4", "--paper", help="Paper size of the PDF: A4 or Letter."),
) -> None:
    """The Protocol implementation report: method, conformity and deviations, cases, indicators,
    gaps, a scenario comparison and sources."""
    from somlab.cli_support import output_file, parse_as_of

    with user_errors():
        from somlab.progress import progress_bar
        from somlab.report.build import PAPER, build_report, report_steps, write_pdf

        output_file(out)
        output_file(pdf, "--pdf")

        if paper not in PAPER:
            raise SomlabInputError(f"--paper must be one of {', '.join(PAPER)}, got {paper!r}", field="--paper")
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
    app.command("serve")(serve_command)
    app.command("report")(report_command)
