"""docs/conformity.md shows what `somlab conformity` gives on the bundled corpus today."""

from __future__ import annotations

from pathlib import Path

from somlab.conformity.docs import BLOCK, refresh

PAGE = Path(__file__).parents[2] / "docs" / "conformity.md"


def test_conformity_page_is_generated_and_current():
    text = PAGE.read_text(encoding="utf-8")
    dates = [m.group(2) for m in BLOCK.finditer(text)]
    assert {"2025-01-01", "2019-01-01"} <= set(dates)
    assert refresh(text) == text, (
        "docs/conformity.md is stale: run `python -m somlab.conformity.docs docs/conformity.md`"
    )
