"""Ingest files into the store: detect the source, load, and write all files in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from somlab.evidence.errors import SomlabInputError
from somlab.evidence.loaders import detect_source, source_named
from somlab.evidence.reading import read_table
from somlab.evidence.store import Store


@dataclass
class IngestReport:
    file: str
    sha256: str
    status: str  # "ingested" or "already ingested"
    source: str = ""
    vintage: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rejections: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    file_id: int | None = None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ingest(paths: list[Path], store: Store, source: str | None = None) -> list[IngestReport]:
    """Load every file first, then write them together: a file that fails leaves the store as it was.
    A file whose sha256 is already in the store is reported and not loaded again."""
    reports: list[IngestReport] = []
    pending = []
    seen: set[str] = set()
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise SomlabInputError(path, "no such file")
        sha = sha256_of(path)
        known = store.file_with_sha(sha)
        if known is not None or sha in seen:
            reports.append(IngestReport(path.name, sha, "already ingested", file_id=known[0] if known else None))
            continue
        seen.add(sha)
        table = read_table(path)
        module = source_named(source) if source else detect_source(table)
        loaded = module.load(table)
        if not loaded.records:
            raise SomlabInputError(path, f"no usable rows (rejected: {loaded.reasons()})")
        report = IngestReport(
            path.name, sha, "ingested", loaded.source, loaded.vintage, loaded.rows_read, len(loaded.records),
            loaded.rejected_rows, loaded.reasons(), loaded.warning_reasons(),
        )
        reports.append(report)
        pending.append((report, (path.name, sha, loaded, table.encoding)))
    if pending:
        file_ids = store.add_files([item for _, item in pending])
        for (report, _), file_id in zip(pending, file_ids):
            report.file_id = file_id
    return reports
