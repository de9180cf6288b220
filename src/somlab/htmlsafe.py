"""Data embedded in HTML safely: JSON inside a <script> block, and charts written as HTML pages.

Inside <script>, the HTML parser ends the block at the first `</script`, whatever the JavaScript
around it; a value such as `</script><img src=x onerror=...>` in a data file or a review would
otherwise break out and run. JSON written here spells `<`, `>` and `&` (and the line separators
U+2028 and U+2029, which end a line in older JavaScript) as \\u escapes: the same JSON value,
with no markup in the page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_TABLE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def escape_json(text: str) -> str:
    """JSON text made safe to place inside <script> (still the same JSON value)."""
    return text.translate(_TABLE)


class ScriptSafeEncoder(json.JSONEncoder):
    """A JSON encoder whose output can be placed inside <script>."""

    def encode(self, o: Any) -> str:
        return escape_json(super().encode(o))

    def iterencode(self, o: Any, _one_shot: bool = False):
        return (escape_json(chunk) for chunk in super().iterencode(o, _one_shot))


def script_json(doc: Any, **kwargs: Any) -> str:
    """`doc` as JSON that can be placed inside <script>."""
    return json.dumps(doc, cls=ScriptSafeEncoder, **kwargs)


def save_chart(chart: Any, path: Path) -> Path:
    """Write an Altair chart; the format follows the suffix (.png, .svg, .html). In HTML the
    chart's specification, with its data, is embedded as script-safe JSON."""
    path = Path(path)
    if path.suffix.lower() == ".html":
        chart.save(str(path), json_kwds={"cls": ScriptSafeEncoder})
    else:
        chart.save(str(path))
    return path
