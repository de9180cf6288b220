"""The `somlab` command line. Each area registers its own commands.

`pip install somlab` installs the law engine only; the simulator, the evidence store and the web
app come with extras (pyproject.toml). The command modules imported here therefore import only
typer and the core at their top, and each command imports its area's stack when it runs (a test,
tests/test_core_install.py, checks the import graph). A command whose extra is not installed
prints which extra to install and exits 2.
"""

from __future__ import annotations

import sys

import typer

from somlab.cli_support import EXIT_INPUT, check_arguments
from somlab.conformity import commands as conformity_commands
from somlab.evidence import commands as evidence_commands
from somlab.law import commands as law_commands
from somlab.register import commands as register_commands
from somlab.review import commands as review_commands
from somlab.sim import commands as sim_commands
from somlab.web import commands as web_commands

app = typer.Typer(
    name="somlab",
    help="Observatory for the UN Protocol against the Smuggling of Migrants.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# The extra that brings each command's stack, and the extra of each module a command may lack.
COMMAND_EXTRAS = {
    "serve": "web",
    "report": "web",
    "simulate": "sim",
    "compare": "sim",
    "calibrate": "sim",
    "data": "evidence",
    "indicators": "evidence",
}
MODULE_EXTRAS = {
    **dict.fromkeys(["fastapi", "starlette", "uvicorn", "jinja2"], "web"),
    **dict.fromkeys(["dask", "distributed", "sklearn", "SALib", "scipy"], "sim"),
    **dict.fromkeys(
        ["duckdb", "openpyxl", "python_calamine", "pycountry", "platformdirs", "httpx"], "evidence"
    ),
    **dict.fromkeys(["altair", "vl_convert"], "charts"),
}


def _register_all() -> None:
    for commands in (
        law_commands,
        conformity_commands,
        evidence_commands,
        sim_commands,
        review_commands,
        register_commands,
        web_commands,
    ):
        commands.register(app)


def missing_extra(module: str | None, args: list[str]) -> str | None:
    """The one-line message for a module an extra provides, or None for any other module (a
    missing core module or a bad import is a bug, and keeps its traceback)."""
    top = (module or "").split(".")[0]
    if top not in MODULE_EXTRAS:
        return None
    command = next((a for a in args if not a.startswith("-")), "")
    extra = COMMAND_EXTRAS.get(command, MODULE_EXTRAS[top])
    return (
        f"install somlab[{extra}] for `somlab {command}` ({top} is not installed): "
        f"pip install 'somlab[{extra}]'"
    )


def main() -> None:
    args = sys.argv[1:]
    check_arguments(args)
    _register_all()
    try:
        app()
    except ModuleNotFoundError as exc:
        message = missing_extra(exc.name, args)
        if message is None:
            raise
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT) from None


if __name__ == "__main__":
    main()
