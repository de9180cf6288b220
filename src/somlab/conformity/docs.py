"""The generated parts of docs/conformity.md: each block between

    <!-- generated: somlab conformity --as-of DATE --format md -->
    ...
    <!-- end generated -->

is that command's output, headings moved two levels down to sit under the page's own.
`python -m somlab.conformity.docs docs/conformity.md` rewrites the blocks; a test fails when the
page differs from what the corpus gives today.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from somlab.conformity.profile import conformity
from somlab.conformity.render import to_markdown
from somlab.periods import parse_date

BLOCK = re.compile(
    r"(<!-- generated: somlab conformity --as-of (\d{4}-\d{2}-\d{2}) --format md -->\n)"
    r".*?(<!-- end generated -->)",
    re.S,
)


def generated(as_of: dt.date) -> str:
    """`somlab conformity --as-of AS_OF --format md`, headings two levels down."""
    return re.sub(r"^#", "###", to_markdown(conformity(as_of)), flags=re.M)


def refresh(text: str) -> str:
    """The page with every generated block recomputed."""
    return BLOCK.sub(lambda m: m.group(1) + generated(parse_date(m.group(2))) + m.group(3), text)


def main(paths: list[str]) -> None:
    for name in paths:
        path = Path(name)
        path.write_text(refresh(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:] or ["docs/conformity.md"])
