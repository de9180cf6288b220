"""Quotes checked against the stored verbatim texts (`corpus/texts/<CODE>/<name>.md`).

A stored text has a header (title, publisher, address, version, retrieval, completeness), a line
`---`, then the text exactly as read. A provision whose source names a stored text (`text:`) is
verified when its text, whitespace-normalised, is found in that body; quotation marks and
apostrophes are compared in one form, since mirrors render them differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from somlab.law.model import Law, normalise_space

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'",
                         "`": "'", "\u00a0": " "})


@dataclass(frozen=True)
class Unverified:
    """A provision text that could not be checked against a stored text, and why."""

    file: str
    provision: str
    reason: str


def _comparable(text: str) -> str:
    return normalise_space(text.translate(_QUOTES).replace("''", '"'))


def body(path: Path) -> str:
    """The verbatim part of a stored text (after the header's `---` line)."""
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"^---\s*$", text, maxsplit=1, flags=re.M)
    return parts[1] if len(parts) == 2 else text


def unverified_quotes(law: Law, root: Path) -> list[Unverified]:
    """The provisions of `law` whose text is not found in the stored text of their source."""
    out = []
    cache: dict[str, str] = {}
    for pid, provision in law.provisions.items():
        source = law.sources.get(provision.source)
        if source is None or source.text is None:
            out.append(Unverified(law.file or "", pid, f"source {provision.source!r} names no "
                                                       "stored text"))
            continue
        if source.text not in cache:
            cache[source.text] = _comparable(body(root / source.text))
        if _comparable(provision.text) not in cache[source.text]:
            out.append(Unverified(law.file or "", pid, f"text not found in {source.text}"))
    return out
