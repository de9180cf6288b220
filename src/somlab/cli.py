"""The `somlab` command line. Each area registers its own commands.

`pip install somlab` installs the law engine only; the simulator, the evidence store and the web
app come with extras (pyproject.toml). The command modules imported here therefore import only
typer and the core at their top, and each command imports its area's stack when it runs (a test,
tests/test_core_install.py, checks the import graph). A command whose extra is not installed
prints which extra to install and exits 2.
"""

from __future__ import annotations

import sys
from importlib.util import find_spec

import typer

from somlab.cli_support import EXIT_INPUT, check_arguments
from somlab.conformity import commands as conformity_commands
from somlab.evidence import commands as evidence_commands
from somlab.law import commands as law_commands
from somlab.register import commands as register_commands
from somlab.report import commands as report_commands
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

# The modules each extra brings (pyproject.toml [project.optional-dependencies]), the extras each
# pulls in, and the extra each command needs.
EXTRA_MODULES = {
    "charts": ("altair", "vl_convert"),
    "sim": ("dask", "distributed", "sklearn", "SALib", "scipy"),
    "evidence": ("duckdb", "openpyxl", "python_calamine", "pycountry", "platformdirs", "httpx"),
    "web": ("fastapi", "starlette", "uvicorn", "jinja2"),
}
EXTRA_PULLS = {"sim": ("charts",), "evidence": ("charts",), "web": ("sim", "evidence")}
MODULE_EXTRAS = {module: extra for extra, modules in EXTRA_MODULES.items() for module in modules}
COMMAND_EXTRAS = {
    "serve": "web",
    "report": "web",
    "simulate": "sim",
    "compare": "sim",
    "calibrate": "sim",
    "data": "evidence",
    "indicators": "evidence",
}


def _register_all() -> None:
    for commands in (
        law_commands,
        conformity_commands,
        evidence_commands,
        sim_commands,
        review_commands,
        register_commands,
        report_commands,
        web_commands,
    ):
        commands.register(app)


def _command(args: list[str]) -> str:
    return next((a for a in args if not a.startswith("-")), "")


def _modules_of(extra: str) -> list[str]:
    pulled = [m for other in EXTRA_PULLS.get(extra, ()) for m in _modules_of(other)]
    return [*EXTRA_MODULES[extra], *pulled]


def _install_line(command: str, extra: str, module: str) -> str:
    return (
        f"install somlab[{extra}] for `somlab {command}` ({module} is not installed): "
        f"pip install 'somlab[{extra}]'"
    )


def extra_not_installed(args: list[str]) -> str | None:
    """The one-line message when the command's extra is not installed, checked before the
    command runs (nothing is started or written)."""
    command = _command(args)
    extra = COMMAND_EXTRAS.get(command)
    if extra is None or "--help" in args:
        return None
    missing = [m for m in _modules_of(extra) if find_spec(m) is None]
    return _install_line(command, extra, missing[0]) if missing else None


def missing_extra(module: str | None, args: list[str]) -> str | None:
    """The one-line message for a module an extra provides that a command imported, or None for
    any other module (a missing core module or a bad import is a bug, and keeps its traceback)."""
    top = (module or "").split(".")[0]
    if top not in MODULE_EXTRAS:
        return None
    command = _command(args)
    return _install_line(command, COMMAND_EXTRAS.get(command, MODULE_EXTRAS[top]), top)


def main() -> None:
    args = sys.argv[1:]
    check_arguments(args)
    if message := extra_not_installed(args):
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)
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
