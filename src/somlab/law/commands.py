"""Commands of the legal core: `somlab assess` and `somlab law list|show|check`."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from somlab.bundled import bundled
from somlab.cli_support import output_file, parse_as_of, print_json, user_errors
from somlab.errors import SomlabInputError
from somlab.vocabulary import split_codes

BATCH_SUFFIXES = (".csv", ".parquet")


class AssessFormat(str, Enum):
    text = "text"
    json = "json"
    md = "md"
    table = "table"


class LawFormat(str, Enum):
    text = "text"
    json = "json"
    md = "md"


def example_files() -> list[Path]:
    root = bundled("examples", "cases")
    return sorted(root.glob("*.yaml"))


def _print_table(header: list[str], rows: list[list[str]], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for h in header:
        table.add_column(h, overflow="fold")
    for row in rows:
        table.add_row(*row)
    Console(width=max(100, 14 * len(header))).print(table)


def _write_batch(table, out: Path) -> None:
    tmp = out.with_name(out.name + ".tmp")
    if out.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, tmp)
    elif out.suffix.lower() == ".csv":
        import pyarrow.csv as pcsv

        from somlab.csvsafe import arrow_table

        pcsv.write_csv(arrow_table(table), tmp)
    else:
        raise SomlabInputError("expected --out to end in .parquet or .csv", field="--out")
    tmp.replace(out)  # a failed run leaves no half-written file


def assess_command(
    files: list[Path] = typer.Argument(
        None, help="Case files: YAML/JSON (one case or a list), or CSV/Parquet batches."
    ),
    jurisdiction: str | None = typer.Option(
        None, "--jurisdiction", "-j", help="Comma-separated codes (default: all)."
    ),
    fmt: AssessFormat = typer.Option(AssessFormat.text, "--format", "-f"),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Batch output (.parquet or .csv): one row per case × jurisdiction.",
    ),
    examples: bool = typer.Option(
        False, "--examples", help="Also assess the bundled example cases."
    ),
) -> None:
    """Qualify cases under the Protocols, EU law and national laws, with quoted provisions."""
    with user_errors():
        from somlab.facts import load_cases
        from somlab.law.assess import assess_batch, assess_cases, assessment_document
        from somlab.law.corpus import default_corpus

        output_file(out)
        paths = list(files or []) + (example_files() if examples else [])
        if not paths:
            raise SomlabInputError("give at least one case file (or --examples)", field="FILES")
        codes = split_codes(jurisdiction)
        corpus = default_corpus()
        batch = [p for p in paths if p.suffix.lower() in BATCH_SUFFIXES]
        single = [p for p in paths if p.suffix.lower() not in BATCH_SUFFIXES]
        if batch:
            if single or len(batch) > 1:
                raise SomlabInputError(
                    "assess one CSV/Parquet batch at a time, without YAML/JSON files", field="FILES"
                )
            _assess_batch_file(batch[0], codes, out, fmt, corpus, assess_batch)
            return
        if out is not None:
            raise SomlabInputError(
                "--out is for CSV/Parquet batches; use --format json for case files", field="--out"
            )
        cases = [c for p in single for c in load_cases(p)]
        seen: dict[str, str] = {}
        for c in cases:
            if c.id in seen:
                raise SomlabInputError(
                    f"case id {c.id!r} appears twice (also in {seen[c.id]})",
                    file=c.file,
                    line=c.line,
                    field="id",
                )
            seen[c.id] = c.file or ""
        items = assess_cases(cases, codes, corpus)
        if fmt is AssessFormat.json:
            print_json(assessment_document(items))
        elif fmt is AssessFormat.table:
            from somlab.law.render import verdict_rows

            header, rows = verdict_rows(items)
            _print_table(
                header,
                rows,
                "Verdicts (offence / offence+agg = aggravated / — = not an "
                "offence / ? = undetermined)",
            )
        else:
            from somlab.law.render import memo

            sys.stdout.write(memo(items, md=fmt is AssessFormat.md))


def _assess_batch_file(path: Path, codes, out, fmt, corpus, assess_batch) -> None:
    from somlab.facts_table import read_table
    from somlab.law.assess import resolve_codes

    codes = resolve_codes(corpus, codes)
    needed = set().union(*(c.facts() for code in codes for c in corpus.history(code)))
    table = read_table(path, needed)
    verdicts = assess_batch(table, codes, corpus)
    if out is not None:
        _write_batch(verdicts, out)
        print(
            f"wrote {verdicts.num_rows:,} verdicts ({len(table):,} cases) to {out}", file=sys.stderr
        )
        return
    import pyarrow.compute as pc

    summary = []
    for code in dict.fromkeys(verdicts.column("jurisdiction").to_pylist()):
        part = verdicts.filter(pc.equal(verdicts.column("jurisdiction").cast("string"), code))
        offence = part.column("offence")
        summary.append(
            {
                "jurisdiction": code,
                "offence": pc.sum(pc.cast(pc.fill_null(offence, False), "int64")).as_py() or 0,
                "not_offence": pc.sum(
                    pc.cast(pc.fill_null(pc.invert(offence), False), "int64")
                ).as_py()
                or 0,
                "undetermined": offence.null_count,
            }
        )
    if fmt is AssessFormat.json:
        print_json(
            {"schema": "somlab.assessment-summary/1", "cases": len(table), "jurisdictions": summary}
        )
    else:
        _print_table(
            ["jurisdiction", "offence", "not an offence", "undetermined"],
            [
                [
                    s["jurisdiction"],
                    f"{s['offence']:,}",
                    f"{s['not_offence']:,}",
                    f"{s['undetermined']:,}",
                ]
                for s in summary
            ],
            f"{len(table):,} cases from {path} (use --out for one row per case)",
        )


law_app = typer.Typer(
    help="The law corpus: list, show and check encoded laws.", no_args_is_help=True
)
AS_OF = typer.Option(None, "--as-of", help="Date YYYY-MM-DD (default today).")
LAW_FORMAT = typer.Option(LawFormat.text, "--format", "-f")


def _corpus_on(as_of: str | None):
    """The bundled corpus and the date the command reads it on."""
    from somlab.law.corpus import default_corpus

    return default_corpus(), parse_as_of(as_of)


@law_app.command("list")
def law_list(
    as_of: str | None = AS_OF,
    fmt: LawFormat = LAW_FORMAT,
) -> None:
    """Every jurisdiction with the version in force on the date."""
    with user_errors():
        from somlab.law.describe import law_summary

        corpus, date = _corpus_on(as_of)
        rows = [law_summary(corpus, code, date) for code in corpus.codes()]
        if fmt is LawFormat.json:
            print_json({"schema": "somlab.laws/1", "as_of": date.isoformat(), "laws": rows})
            return
        _print_table(
            ["code", "in force on " + date.isoformat(), "versions", "partial", "name"],
            [
                [
                    r["code"],
                    r["version"] or "(none)",
                    str(len(r["versions"])),
                    "partial" if r["partial"] else "",
                    r["name"],
                ]
                for r in rows
            ],
            "Encoded laws",
        )


@law_app.command("show")
def law_show(
    code: str = typer.Argument(..., help="Jurisdiction code, e.g. UN-SOM, IT, GB."),
    as_of: str | None = AS_OF,
    fmt: LawFormat = LAW_FORMAT,
) -> None:
    """The provisions, rules, quotes, readings and sources of one law on a date."""
    with user_errors():
        from somlab.law.describe import law_document, law_text

        corpus, date = _corpus_on(as_of)
        compiled = corpus.at(code, date)
        if compiled is None:
            dates = ", ".join(
                f"{c.law.valid_from}–{c.law.valid_to or 'open'}" for c in corpus.history(code)
            )
            raise SomlabInputError(
                f"no version of {code} in force on {date} (versions: {dates})", field="--as-of"
            )
        if fmt is LawFormat.json:
            print_json(law_document(compiled.law))
        else:
            sys.stdout.write(law_text(compiled.law, md=fmt is LawFormat.md))


@law_app.command("check")
def law_check(
    corpus_path: Path | None = typer.Option(
        None, "--corpus", help="Corpus folder (default: the bundled corpus)."
    ),
) -> None:
    """Validate the whole corpus and report every problem at once; then check every quote against
    the stored verbatim text of its source and list the quotes that cannot be verified."""
    with user_errors():
        from somlab.law.corpus import load_corpus
        from somlab.law.texts import verify

        corpus = load_corpus(corpus_path)
        laws = [c.law for versions in corpus.versions.values() for c in versions]
        print(
            f"corpus OK: {len(corpus.versions)} jurisdictions, {len(laws)} versions, every quote "
            f"found in its provision ({corpus.root})"
        )
        verified, unverified = verify(laws, corpus.root)
        print(
            f"{verified} quotes verified against stored texts; {len(unverified)} not verifiable"
            + (":" if unverified else "")
        )
        for u in unverified:
            print(f"  - {u.render()}")


def register(app: typer.Typer) -> None:
    app.command("assess")(assess_command)
    app.add_typer(law_app, name="law")
