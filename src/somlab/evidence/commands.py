"""`somlab data ...` and `somlab indicators ...`. Heavy imports happen inside the commands."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from somlab.cli_support import user_errors
from somlab.errors import SomlabInputError
from somlab.vocabulary import OBJECTIVES, split_codes

STORE_HELP = (
    "DuckDB store file (default: $SOMLAB_STORE, else evidence.duckdb in the user data directory)"
)
MAX_TRACE_ROWS = 1_000_000
INDICATOR_OPTIONS = {
    "from": "--from",
    "to": "--to",
    "where": "--where",
    "by": "--by",
    "limit": "--limit",
    "name": "NAME",
}


def _where(items: list[str]) -> dict[str, str]:
    pairs = {}
    for item in items:
        if "=" not in item:
            raise SomlabInputError(f"--where takes DIM=VALUE, got {item!r}")
        dim, value = item.split("=", 1)
        pairs[dim.strip()] = value.strip()
    return pairs


def ingest_summary(reports, where: Path) -> str:
    """What an ingest did, one line per file: ingested (with rows rejected and why), already
    in the store, skipped (with the reason)."""
    groups = {
        status: [r for r in reports if r.status == status]
        for status in ("ingested", "already ingested", "skipped")
    }
    lines = [
        f"ingested {len(groups['ingested'])}, already in the store {len(groups['already ingested'])}, "
        f"skipped {len(groups['skipped'])} of {len(reports)} files; store: {where}"
    ]
    for report in groups["ingested"]:
        figures = f", {report.figures} published figures kept" if report.figures else ""
        lines.append(
            f"  ingested  {report.path}: {report.source} ({report.vintage}), {report.rows_read} "
            f"rows read, {report.rows_loaded} facts loaded{figures}, {report.rows_rejected} rows rejected"
        )
        lines += [
            f"      rejected {count:>6}  {reason}" for reason, count in report.rejections.items()
        ]
        lines += [
            f"      warning  {count:>6}  {reason}" for reason, count in report.warnings.items()
        ]
    lines += [
        f"  in store  {r.path}: already ingested (sha256 {r.sha256[:12]}), nothing added"
        for r in groups["already ingested"]
    ]
    lines += [f"  skipped   {r.path}: {r.reason}" for r in groups["skipped"]]
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    data = typer.Typer(help="Ingest and fetch the evidence data sets.", no_args_is_help=True)
    indicators = typer.Typer(
        help="Outcome indicators per Protocol objective.", no_args_is_help=True
    )
    app.add_typer(data, name="data")
    app.add_typer(indicators, name="indicators")

    @data.command("ingest")
    def ingest_command(
        paths: list[Path] = typer.Argument(
            ..., help="CSV or spreadsheet files, or folders to walk"
        ),
        source: str | None = typer.Option(
            None, "--source", help="source name; detected from the header if omitted"
        ),
        store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    ) -> None:
        """Ingest files and folders, each file in its own transaction; ends with what was ingested,
        what was skipped and why, and the rows rejected. Files named here are all read first: one
        that cannot be read is an error and nothing is ingested; a folder's unreadable or
        unrecognised files are skipped, with the reason."""
        from somlab.evidence.errors import DataFileError
        from somlab.evidence.ingest import files_to_ingest, ingest_each
        from somlab.evidence.store import default_store_path
        from somlab.progress import progress_bar

        where = store or default_store_path()
        total = len(files_to_ingest(paths))
        with user_errors(), progress_bar(total, "ingesting") as advance:
            try:
                reports = ingest_each(
                    paths, store, source, progress=lambda report: advance(report.file)
                )
            except DataFileError as error:
                raise SomlabInputError(f"{error}; nothing was ingested") from None
        typer.echo(ingest_summary(reports, where))

    @data.command("status")
    def status_command(store: Path | None = typer.Option(None, "--store", help=STORE_HELP)) -> None:
        """Files in the store, with provenance."""
        from somlab.evidence.measures import file_periods, month_text
        from somlab.evidence.snapshot import terms_by_sha
        from somlab.evidence.store import Store

        with user_errors():
            with Store(store) as handle:
                rows = handle.provenance()
                periods = file_periods(handle, {row["file_id"] for row in rows})
                typer.echo(
                    f"store: {handle.path} (schema version {handle.schema_version()}, {len(rows)} files)"
                )
        bundled = terms_by_sha()
        for row in rows:
            first, last = periods.get(row["file_id"], (None, None))
            covers = (
                f"data {month_text(first)} to {month_text(last)}"
                if first and last
                else "no dated data"
            )
            vintage = bundled.get(row["sha256"], {}).get("data_vintage")
            typer.echo(
                f"{row['file_id']:>3} {row['file_name']}  {row['source']}/{row['vintage']}  {covers}"
                + (f" ({vintage}, bundled)" if vintage else "")
                + f"  sha256 {row['sha256'][:12]}  read {row['rows_read']}  loaded {row['rows_loaded']}  "
                f"rejected {row['rows_rejected']}  {row['ingested_at']:%Y-%m-%d %H:%M}"
            )

    @data.command("sources")
    def sources_command() -> None:
        """Known sources, their layouts (vintages) and publishers."""
        from somlab.evidence.fetch import DOWNLOADS
        from somlab.evidence.loaders import SOURCES

        for name, module in SOURCES.items():
            vintages = ", ".join(v.name for v in module.VINTAGES)
            typer.echo(
                f"{name}: {module.TITLE}\n    publisher: {module.PUBLISHER}\n    layouts: {vintages}\n    {module.URL}"
            )
        typer.echo("fetchable: " + ", ".join(DOWNLOADS))

    @data.command("fetch")
    def fetch_command(
        name: str = typer.Argument(..., help="download name (see `somlab data sources`)"),
        url: str | None = typer.Option(
            None, "--url", help="download from this address instead of the publisher's"
        ),
        dest: Path | None = typer.Option(None, "--dest", help="folder for the downloaded file"),
        ingest_too: bool = typer.Option(
            True, "--ingest/--no-ingest", help="ingest the file after download"
        ),
        store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    ) -> None:
        """Download a data set from its publisher's official address, then ingest it."""
        from somlab.evidence.errors import DataFileError
        from somlab.evidence.fetch import DOWNLOADS, fetch
        from somlab.evidence.ingest import ingest
        from somlab.evidence.store import Store

        with user_errors():
            path = fetch(name, dest=dest, url=url)
        typer.echo(f"downloaded {path}")
        if ingest_too:
            with user_errors():
                try:
                    with Store(store) as handle:
                        (report,) = ingest([path], handle, DOWNLOADS[name].source)
                except DataFileError as error:
                    raise SomlabInputError(f"{error}; nothing was ingested") from None
            typer.echo(
                f"{report.file}: {report.status}, {report.rows_loaded} facts, {report.rows_rejected} rejected"
            )

    @indicators.command("list")
    def list_command(
        as_json: bool = typer.Option(False, "--json", help="print the catalogue as JSON"),
    ) -> None:
        """The catalogue, grouped by Protocol objective; gaps are marked."""
        from somlab.evidence.indicators import catalogue

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
        by: str | None = typer.Option(
            None, "--by", help="comma-separated dimensions, e.g. year,route"
        ),
        start: str | None = typer.Option(None, "--from", help="first period, YYYY or YYYY-MM"),
        end: str | None = typer.Option(None, "--to", help="last period, YYYY or YYYY-MM"),
        where: list[str] = typer.Option([], "--where", help="filter DIM=VALUE (repeatable)"),
        store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
        fmt: str = typer.Option("table", "--format", help="table, json, csv, png, svg or html"),
        out: Path | None = typer.Option(None, "--out", help="output file for png, svg and html"),
    ) -> None:
        """Compute an indicator and print or render it."""
        from somlab.evidence import render
        from somlab.evidence.indicators import compute

        with user_errors(INDICATOR_OPTIONS):
            if fmt not in render.FORMATS:
                raise SomlabInputError(f"--format must be one of {', '.join(render.FORMATS)}")
            if out is not None and out.is_dir():
                raise SomlabInputError(f"--out {out} is a folder; give a file name")
            dims = split_codes(by) if by is not None else None
            result = compute(name, store, by=dims, start=start, end=end, where=_where(where))
            try:
                typer.echo(render.emit(result, fmt, out))
            except OSError as error:  # the chart file cannot be written
                raise SomlabInputError(
                    str(error.strerror or error), file=str(error.filename or out)
                ) from None

    @indicators.command("trace")
    def trace_command(
        name: str = typer.Argument(...),
        start: str | None = typer.Option(None, "--from"),
        end: str | None = typer.Option(None, "--to"),
        where: list[str] = typer.Option([], "--where", help="filter DIM=VALUE (repeatable)"),
        limit: int = typer.Option(50, "--limit"),
        store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    ) -> None:
        """The file rows behind a value: file, row number, field, value."""
        from somlab.evidence.indicators import trace

        with user_errors(INDICATOR_OPTIONS):
            if not 1 <= limit <= MAX_TRACE_ROWS:
                raise SomlabInputError(
                    f"--limit must be a whole number from 1 to {MAX_TRACE_ROWS:,}, got {limit}"
                )
            rows = trace(name, store, start=start, end=end, where=_where(where), limit=limit)
        for row in rows:
            typer.echo(f"{row['file']}  row {row['row']}  {row['field']} = {row['value']}")
