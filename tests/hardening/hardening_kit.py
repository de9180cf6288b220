"""The whole `somlab` command line in one process, and what a clean input error looks like."""

from __future__ import annotations

import functools

from typer.testing import CliRunner


@functools.lru_cache(maxsize=1)
def _app():
    from somlab import cli

    cli._register_all()
    return cli.app


def run(*args: object, env: dict[str, str] | None = None):
    """Invoke `somlab ARGS`; exceptions are kept on the result, never re-raised."""
    return CliRunner().invoke(_app(), [str(a) for a in args], env=env)


def assert_input_error(result, *expected: str) -> str:
    """Exit code 2, no traceback, an 'error:' line first (a list of problems may follow, one
    indented line each), naming what is expected. Returns stderr."""
    output = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}\n{output}"
    )
    assert "Traceback" not in output, output
    assert result.exit_code == 2, output
    lines = result.stderr.rstrip("\n").split("\n")
    assert lines[0].startswith("error: "), result.stderr
    assert all(line.startswith("  - ") for line in lines[1:]), result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr
    return result.stderr
