"""Vega, Vega-Lite and Vega-Embed for the browser, taken from the installed vl-convert-python
(no CDN: the dashboard works offline). Built once per process, on first use or at start-up."""

from __future__ import annotations

import threading
from functools import lru_cache
from importlib.metadata import version

import vl_convert

NOTICE = (
    "/* Vega, Vega-Lite and Vega-Embed (BSD-3-Clause, Copyright (c) University of Washington "
    "Interactive Data Lab), with their dependencies, as bundled by vl-convert-python {version} "
    "(BSD-3-Clause). */\n"
)


@lru_cache(maxsize=1)
def vega_bundle() -> bytes:
    return (
        NOTICE.format(version=version("vl-convert-python"))
        # the library's type stub omits the default of `snippet` (None: the standard bundle)
        + vl_convert.javascript_bundle()  # type: ignore[call-arg]
    ).encode()


def warm() -> None:
    """Build the bundle in the background so that the first chart does not wait for it."""
    threading.Thread(target=vega_bundle, name="somlab-vega-bundle", daemon=True).start()
