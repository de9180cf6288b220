"""Where the data files installed with the package lie."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled(*parts: str) -> Path:
    """The path of a file or folder shipped inside the ``somlab`` package, e.g. ``bundled("corpus")``."""
    return Path(str(resources.files("somlab").joinpath(*parts)))
