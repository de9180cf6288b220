"""`somlab serve`: the dashboard and the JSON API."""

from __future__ import annotations

import socket
from pathlib import Path

import typer

from somlab.cli_support import STORE_HELP, user_errors
from somlab.errors import SomlabInputError


def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port (0: any free port)."),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Start the web dashboard and the JSON API (docs at /api/docs)."""
    # the web stack (the web extra) is imported when the command runs: the core install starts
    # the command line without it
    import uvicorn

    from somlab.web.app import create_app
    from somlab.web.server import KEEP_ALIVE_SECONDS, DeadlineHttpToolsProtocol

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    with user_errors():
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise SomlabInputError(
                f"cannot listen on {host}:{port} ({exc.strerror}); choose --port"
            ) from None
    fill_empty_store(store)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"somlab is serving on http://{shown}:{bound}/  (API docs: /api/docs; Ctrl-C stops)")
    config = uvicorn.Config(
        create_app(store),
        log_level="warning",
        access_log=False,
        http=DeadlineHttpToolsProtocol,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )
    uvicorn.Server(config).run(sockets=[sock])


def fill_empty_store(store: Path | None) -> None:
    """On first start, an empty (or absent) store gets the bundled snapshot of the published data."""
    # the evidence extra, imported when the command runs (as above)
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
        typer.echo(
            f"filled the empty store {where} with the bundled snapshot of {added} published files "
            "(see `somlab data status`; `somlab data ingest` adds newer vintages)"
        )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
