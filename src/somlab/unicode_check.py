"""Text that is valid Unicode: no lone UTF-16 surrogate.

JSON may spell a character as a `\\ud800`-style escape; half of a surrogate pair, alone, decodes to
a Python string that cannot be written as UTF-8, so it would fail far from where it came in.
Input is checked where it is read, and the error names the field.
"""

from __future__ import annotations

import re
from typing import Any

from somlab.errors import SomlabInputError

_SURROGATE = re.compile("[\ud800-\udfff]")
MESSAGE = "not valid Unicode text (a lone UTF-16 surrogate, e.g. \\ud800)"


def has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def check_text(text: str, file: str | None = None) -> None:
    """Raise naming the line of the first lone surrogate in `text`."""
    found = _SURROGATE.search(text)
    if found:
        raise SomlabInputError(MESSAGE, file=file, line=text.count("\n", 0, found.start()) + 1)


def surrogate_path(doc: Any) -> str | None:
    """The path ('cases[0].id', 'a.b') of the first key or text value of a JSON document that
    holds a lone surrogate, or None."""
    stack: list[tuple[Any, str]] = [(doc, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if has_surrogate(value):
                return path or "body"
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and has_surrogate(key):
                    return child
                stack.append((item, child))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]") for i, item in enumerate(value))
    return None


def check_data(doc: Any, file: str | None = None) -> None:
    """Raise naming the field of the first lone surrogate in a decoded JSON document."""
    path = surrogate_path(doc)
    if path is not None:
        raise SomlabInputError(
            MESSAGE, file=file, field=path.encode("ascii", "backslashreplace").decode()
        )
