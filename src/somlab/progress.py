"""One progress bar for long commands: on stderr, on a terminal only (piped output stays clean)."""

from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def progress_bar(total: int, label: str):
    """A bar over `total` steps; yields advance(what, steps=1)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[name]}"),
        console=console,
        transient=True,
        disable=not console.is_terminal or total < 2,
    ) as bar:
        task = bar.add_task(label, total=total, name="")
        yield lambda name, steps=1: bar.update(task, advance=steps, name=name)
