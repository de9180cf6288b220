"""`somlab conformity` and `somlab reform list|diff`."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from somlab.cli_support import parse_as_of, print_json, user_errors
from somlab.vocabulary import split_codes


class ConformityFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


def conformity_command(
    as_of: str | None = typer.Option(None, "--as-of", help="Date YYYY-MM-DD (default today)."),
    jurisdiction: str | None = typer.Option(
        None,
        "--jurisdiction",
        "-j",
        help="Comma-separated codes, reforms allowed (e.g. IT,IT+humanitarian-exemption).",
    ),
    fmt: ConformityFormat = typer.Option(ConformityFormat.table, "--format", "-f"),
) -> None:
    """Conformity profile of each law with the Protocol, derived from its verdicts on a battery."""
    with user_errors():
        from somlab.conformity.profile import conformity
        from somlab.conformity.render import column_names, matrix_rows, to_csv, to_markdown

        doc = conformity(parse_as_of(as_of), split_codes(jurisdiction))
        if fmt is ConformityFormat.json:
            print_json(doc)
        elif fmt is ConformityFormat.csv:
            sys.stdout.write(to_csv(doc))
        elif fmt is ConformityFormat.md:
            sys.stdout.write(to_markdown(doc))
        else:
            from somlab.law.commands import _print_table

            rows = matrix_rows(doc)  # one row per law; shown transposed, one column per law
            codes = [r[0].replace(" (partial)", "*") for r in rows]
            names = [*column_names(), "deviations"]
            _print_table(
                ["property", *codes],
                [[n, *[r[i + 1] for r in rows]] for i, n in enumerate(names)],
                f"Conformity with the Protocol as of {doc['as_of']} (yes / NO / ? "
                "undetermined; * = law encoded in part)",
            )
            agg = doc["aggregate"]
            _print_table(
                ["property", "yes", "no", "?", "of states"],
                [
                    [
                        a["key"],
                        str(a["true"]),
                        str(a["false"]),
                        str(a["undetermined"]),
                        str(a["states"]),
                    ]
                    for a in agg
                ],
                "Across states",
            )


reform_app = typer.Typer(
    help="Reforms layered on a law: list them, and what they change.", no_args_is_help=True
)


@reform_app.command("list")
def reform_list() -> None:
    """The bundled reforms."""
    with user_errors():
        from somlab.law.corpus import default_corpus

        for r in default_corpus().reforms().values():
            scope = "any jurisdiction" if r.applies_to is None else ", ".join(r.applies_to)
            print(f"+{r.name} [{r.status}; {scope}]: {r.title}")


@reform_app.command("diff")
def reform_diff(
    code: str = typer.Argument(..., help="CODE+reform, e.g. IT+humanitarian-exemption."),
    cases: list[Path] = typer.Argument(None, help="Case files whose verdicts to compare too."),
    as_of: str | None = typer.Option(None, "--as-of", help="Date YYYY-MM-DD (default today)."),
    fmt: ConformityFormat = typer.Option(ConformityFormat.table, "--format", "-f"),
) -> None:
    """Battery and user cases whose verdict the reform changes, and the changed profile keys."""
    with user_errors():
        from somlab.conformity.diff import reform_diff as compute
        from somlab.errors import SomlabInputError
        from somlab.facts import load_cases

        if "+" not in code:
            raise SomlabInputError(
                "expected CODE+reform, e.g. IT+humanitarian-exemption", field="CODE"
            )
        user_cases = [c for p in cases or [] for c in load_cases(p)]
        doc = compute(code, parse_as_of(as_of), user_cases)
        if fmt is ConformityFormat.json:
            print_json(doc)
            return
        print(f"{doc['reform']} on {doc['base']} as of {doc['as_of']}: {doc['title']}")
        if not doc["changed_cases"]:
            print("  no case changes verdict")
        for c in doc["changed_cases"]:
            print(f"  {c['source']:8} {c['id']}: offence {c['before']} -> {c['after']}")
        for k in doc["changed_keys"]:
            print(f"  profile {k['key']}: {k['before']} -> {k['after']}")


def register(app: typer.Typer) -> None:
    app.command("conformity")(conformity_command)
    app.add_typer(reform_app, name="reform")
