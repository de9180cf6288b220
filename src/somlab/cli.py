"""The `somlab` command line. Each area registers its own commands; heavy imports stay lazy."""

from __future__ import annotations

import sys

import typer

app = typer.Typer(
    name="somlab",
    help="Observatory for the UN Protocol against the Smuggling of Migrants.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_all() -> None:
    from somlab.law import commands as law_commands

    law_commands.register(app)
    from somlab.conformity import commands as conformity_commands

    conformity_commands.register(app)
    from somlab.evidence import commands as evidence_commands; evidence_commands.register(app)
    from somlab.sim import commands as sim_commands; sim_commands.register(app)
    from somlab.review import commands as review_commands; review_commands.register(app)
    from somlab.register import commands as register_commands; register_commands.register(app)
    from somlab.web import commands as web_commands; web_commands.register(app)


def main() -> None:
    from somlab.cli_support import check_arguments

    check_arguments(sys.argv[1:])
    _register_all()
    app()


if __name__ == "__main__":
    main()
