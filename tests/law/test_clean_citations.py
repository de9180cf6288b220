"""Bundled data speaks of the law and the data only: no internal notes on how a text was found.

Sources shown to users name the publisher, the document and its address. The scan covers every
bundled data file (law files, status tables, reforms, the register, the example cases and the
review files); the stored verbatim texts (`corpus/texts/`) keep their provenance header as read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "src" / "somlab"
NOTES = re.compile(
    r"found with|shared/sources|stored cop(y|ies)|search corpus|search tool|"
    r"pages corpus|the seed article|\.\./shared|shared/(cases|spec|sources|data|"
    r"research)|/work/",
    re.I,
)


def _bundled() -> list[str]:
    files = [
        p
        for p in PACKAGE.glob("corpus/**/*")
        if p.suffix in (".yaml", ".csv", ".md")
        and "texts" not in p.relative_to(PACKAGE / "corpus").parts
    ]
    files += list(PACKAGE.glob("register/*.yaml")) + list(PACKAGE.glob("examples/**/*.yaml"))
    files += [p for p in PACKAGE.glob("review/**/*") if p.suffix in (".yaml", ".md")]
    # the code's own user-facing text: indicator notes, page templates, scripts
    files += [p for p in PACKAGE.glob("**/*") if p.suffix in (".py", ".html", ".js")]
    return sorted(str(p.relative_to(PACKAGE)) for p in files)


@pytest.mark.parametrize("name", _bundled())
def test_no_internal_notes(name):
    lines = (PACKAGE / name).read_text(encoding="utf-8").splitlines()
    hits = [
        f"line {i}: {line.strip()[:120]}" for i, line in enumerate(lines, 1) if NOTES.search(line)
    ]
    assert not hits, "\n".join(hits)


def test_the_scan_catches_a_note():
    assert NOTES.search("where: stored copy of the page, found with the search tool")
    assert not NOTES.search("where: Gazzetta Ufficiale, serie generale n. 191")
