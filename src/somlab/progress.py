"""One progress bar for long commands: on stderr, on a terminal only (piped output stays clean)."""

from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def progress_bar(total: int, label: str, quiet: bool = False):
    """A bar over `total` steps; yields advance(what="", steps=1, completed=None): `steps` more
    done, or `completed` done in all. Silent when `quiet` or not on a terminal."""
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
        disable=quiet or not console.is_terminal or total < 2,
    ) as bar:
        task = bar.add_task(label, total=total, name="")

        def advance(name: str = "", steps: int = 1, completed: int | None = None) -> None:
            if completed is None:
                bar.update(task, advance=steps, name=name)
            else:
                bar.update(task, completed=completed, name=name)

        yield advance
