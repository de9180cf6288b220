"""One loader per source. Each module has NAME, TITLE, PUBLISHER, URL, VINTAGES and load(table)."""

from __future__ import annotations

from types import ModuleType

from somlab.errors import SomlabNotFoundError
from somlab.evidence.errors import DataFileError
from somlab.evidence.loaders import (
    dtm,
    eurostat,
    frontex,
    mmp,
    published,
    tidy,
    uk_small_boats,
    unhcr,
)
from somlab.evidence.loaders.base import match_score
from somlab.evidence.reading import RawTable

SOURCES: dict[str, ModuleType] = {
    module.NAME: module
    for module in (mmp, frontex, dtm, unhcr, eurostat, uk_small_boats, tidy, published)
}


def source_named(name: str) -> ModuleType:
    try:
        return SOURCES[name]
    except KeyError:
        raise SomlabNotFoundError("source", name, SOURCES) from None


def detect_source(table: RawTable) -> ModuleType:
    """The source one of whose vintages matches the header (the most specific match wins)."""
    best, best_score = None, -1
    for module in SOURCES.values():
        for vintage in module.VINTAGES:
            score = match_score(table.header, vintage)
            if score > best_score:
                best, best_score = module, score
    if best is None:
        raise DataFileError(
            table.path,
            f"no known source recognises this header; columns it could not map: {table.header}",
            row=1,
            hint=f"name the source with --source ({', '.join(SOURCES)})",
        )
    return best
