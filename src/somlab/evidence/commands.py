"""`somlab data ...` and `somlab indicators ...`. Heavy imports happen inside the commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

STORE_HELP = "DuckDB store file (default: $SOMLAB_STORE, else evidence.duckdb in the user data directory)"
MAX_TRACE_ROWS = 1_000_000


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _where(items: list[str]) -> dict[str, str]:
    pairs = {}
    for item in items:
        if "=" not in item:
            _fail(f"--where takes DIM=VALUE, got {item!r}")
        dim, value = item.split("=", 1)
        pairs[dim.strip()] = value.strip()
    return pairs


def register(app: typer.Typer) -> None:
    data = typer.Typer(help="Ingest and fetch the evidence data sets.", no_args_is_help=True)
    indicators = typer.Typer(help="Outcome indicators per Protocol objective.", no_args_is_help=True)
    app.add_typer(data, name="data")
    app.add_typer(indicators, name="indicators")

    @data.command("ingest")
    def ingest_command(
        files: list[Path] = typer.Argument(..., help="CSV or xlsx files to ingest"),
        source: Optional[str] = typer.Option(None, "--source", help="source name; detected from the header if omitted"),
        store: Optional[Path] = typer.Option(None, "--store", help=STORE_HELP),
    ) -> None:
        """Ingest files in one transaction: all are added, or none when one fails."""
        from somlab.evidence.errors import SomlabInputError
        from somlab.evidence.ingest import ingest
        from somlab.evidence.store import Store

        try:
            with Store(store) as handle:
                reports = ingest(files, handle, source)
                where = handle.path
        except SomlabInputError as error:
            _fail(f"{error}; nothing was ingested")
        except KeyError as error:
            _fail(str(error.args[0]))
        for report in reports:
            if report.status != "ingested":
                typer.echo(f"{report.file}: already ingested (sha256 {report.sha256[:12]}), nothing added")
                continue
            typer.echo(
                f"{report.file}: {report.source} ({report.vintage}), {report.rows_read} rows read, "
                f"{report.rows_loaded} facts loaded, {report.rows_rejected} rows rejected"
            )
            for reason, count in report.rejections.items():
                typer.echo(f"    rejected {count:>6}  {reason}")
            for reason, count in report.warnings.items():
                typer.echo(f"    warning  {count:>6}  {reason}")
        typer.echo(f"store: {where}")

    @data.command("status")
    def status_command(store: Optional[Path] = typer.Option(None, "--store", help=STORE_HELP)) -> None:
        """Files in the store, with provenance."""
        from somlab.evidence.store import Store

        with Store(store) as handle:
            rows = handle.provenance()
            typer.echo(f"store: {handle.path} (schema version {handle.schema_version()}, {len(rows)} files)")
        for row in rows:
            typer.echo(
                f"{row['file_id']:>3} {row['file_name']}  {row['source']}/{row['vintage']}  "
                f"sha256 {row['sha256'][:12]}  read {row['rows_read']}  loaded {row['rows_loaded']}  "
                f"rejected {row['rows_rejected']}  {row['ingested_at']:%Y-%m-%d %H:%M}"
            )

    @data.command("sources")
    def sources_command() -> None:
        """Known sources, their layouts (vintages) and publishers."""
        from somlab.evidence.fetch import DOWNLOADS
        from somlab.evidence.loaders import SOURCES

        for name, module in SOURCES.items():
            vintages = ", ".join(v.name for v in module.VINTAGES)
            typer.echo(f"{name}: {module.TITLE}\n    publisher: {module.PUBLISHER}\n    layouts: {vintages}\n    {module.URL}")
        typer.echo("fetchable: " + ", ".join(DOWNLOADS))

    @data.command("fetch")
    def fetch_command(
        name: str = typer.Argument(..., help="download name (see `somlab data sources`)"),
        url: Optional[str] = typer.Option(None, "--url", help="download from this address instead of the publisher's"),
        dest: Optional[Path] = typer.Option(None, "--dest", help="folder for the downloaded file"),
        ingest_too: bool = typer.Option(True, "--ingest/--no-ingest", help="ingest the file after download"),
        store: Optional[Path] = typer.Option(None, "--store", help=STORE_HELP),
    ) -> None:
        """Download a data set from its publisher's official address, then ingest it."""
        from somlab.evidence.errors import SomlabInputError
        from somlab.evidence.fetch import DOWNLOADS, FetchError, fetch
        from somlab.evidence.ingest import ingest
        from somlab.evidence.store import Store

        try:
            path = fetch(name, dest=dest, url=url)
        except (FetchError, KeyError) as error:
            _fail(str(error.args[0]))
        typer.echo(f"downloaded {path}")
        if ingest_too:
            try:
                with Store(store) as handle:
                    (report,) = ingest([path], handle, DOWNLOADS[name].source)
            except SomlabInputError as error:
                _fail(f"{error}; nothing was ingested")
            typer.echo(f"{report.file}: {report.status}, {report.rows_loaded} facts, {report.rows_rejected} rejected")

    @indicators.command("list")
    def list_command(as_json: bool = typer.Option(False, "--json", help="print the catalogue as JSON")) -> None:
        """The catalogue, grouped by Protocol objective; gaps are marked."""
        from somlab.evidence.indicators import OBJECTIVES, catalogue

        entries = catalogue()
        if as_json:
            typer.echo(json.dumps(entries, indent=2))
            return
        for objective in OBJECTIVES:
            typer.echo(f"{objective.upper()}")
            for entry in (e for e in entries if e["objective"] == objective):
                mark = "GAP " if entry["gap"] else "    "
                typer.echo(f"  {mark}{entry['indicator']:<24} {entry['title']} [{entry['unit']}]")

    @indicators.command("show")
    def show_command(
        name: str = typer.Argument(..., help="indicator name (see `somlab indicators list`)"),
        by: Optional[str] = typer.Option(None, "--by", help="comma-separated dimensions, e.g. year,route"),
        start: Optional[str] = typer.Option(None, "--from", help="first period, YYYY or YYYY-MM"),
        end: Optional[str] = typer.Option(None, "--to", help="last period, YYYY or YYYY-MM"),
        where: list[str] = typer.Option([], "--where", help="filter DIM=VALUE (repeatable)"),
        store: Optional[Path] = typer.Option(None, "--store", help=STORE_HELP),
        fmt: str = typer.Option("table", "--format", help="table, json, csv, png, svg or html"),
        out: Optional[Path] = typer.Option(None, "--out", help="output file for png, svg and html"),
    ) -> None:
        """Compute an indicator and print or render it."""
        from somlab.evidence import render
        from somlab.evidence.indicators import compute
        from somlab.evidence.store import StoreVersionError

        if fmt not in render.FORMATS:
            _fail(f"--format must be one of {', '.join(render.FORMATS)}")
        if out is not None and out.is_dir():
            _fail(f"--out {out} is a folder; give a file name")
        dims = [d.strip() for d in by.split(",") if d.strip()] if by is not None else None
        try:
            result = compute(name, store, by=dims, start=start, end=end, where=_where(where))
        except (KeyError, ValueError, FileNotFoundError, StoreVersionError) as error:
            _fail(str(error.args[0] if isinstance(error, KeyError) else error))
        typer.echo(render.emit(result, fmt, out))

    @indicators.command("trace")
    def trace_command(
        name: str = typer.Argument(...),
        start: Optional[str] = typer.Option(None, "--from"),
        end: Optional[str] = typer.Option(None, "--to"),
        where: list[str] = typer.Option([], "--where", help="filter DIM=VALUE (repeatable)"),
        limit: int = typer.Option(50, "--limit"),
        store: Optional[Path] = typer.Option(None, "--store", help=STORE_HELP),
    ) -> None:
        """The file rows behind a value: file, row number, field, value."""
        from somlab.evidence.indicators import trace

        if not 1 <= limit <= MAX_TRACE_ROWS:
            _fail(f"--limit must be a whole number from 1 to {MAX_TRACE_ROWS:,}, got {limit}")
        try:
            rows = trace(name, store, start=start, end=end, where=_where(where), limit=limit)
        except (KeyError, ValueError, FileNotFoundError) as error:
            _fail(str(error.args[0] if isinstance(error, KeyError) else error))
        for row in rows:
            typer.echo(f"{row['file']}  row {row['row']}  {row['field']} = {row['value']}")
