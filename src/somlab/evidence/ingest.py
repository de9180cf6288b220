"""Ingest files into the store: detect the source, load, and write them in one transaction
(`ingest`), or walk folders and write each recognised file in its own transaction (`ingest_each`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from somlab.evidence.errors import DataFileError
from somlab.evidence.loaders import detect_source, source_named
from somlab.evidence.loaders.base import Loaded
from somlab.evidence.reading import read_table
from somlab.evidence.store import Store

# What a folder walk never offers to the loaders: documentation and the formats no loader reads.
DATA_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods"}


@dataclass
class IngestReport:
    file: str
    sha256: str
    status: str  # "ingested", "already ingested" or "skipped"
    source: str = ""
    vintage: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rejections: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    file_id: int | None = None
    figures: int = 0  # published figures kept as published
    reason: str = ""  # why a file was skipped
    path: Path | None = None


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
            raise DataFileError(path, "no such file")
        sha = sha256_of(path)
        known = store.file_with_sha(sha)
        if known is not None or sha in seen:
            reports.append(
                IngestReport(
                    path.name, sha, "already ingested", file_id=known[0] if known else None
                )
            )
            continue
        seen.add(sha)
        loaded, encoding = _load(path, source)
        report = _ingested(path, sha, loaded)
        reports.append(report)
        pending.append((report, (path.name, sha, loaded, encoding)))
    if pending:
        file_ids = store.add_files([item for _, item in pending])
        for (report, _), file_id in zip(pending, file_ids):
            report.file_id = file_id
    return reports


def _ingested(path: Path, sha: str, loaded: Loaded) -> IngestReport:
    return IngestReport(
        path.name,
        sha,
        "ingested",
        loaded.source,
        loaded.vintage,
        loaded.rows_read,
        loaded.facts_loaded,
        loaded.rejected_rows,
        loaded.reasons(),
        loaded.warning_reasons(),
        figures=len(loaded.figures),
        path=path,
    )


def _load(path: Path, source: str | None) -> tuple[Loaded, str | None]:
    table = read_table(path)
    module = source_named(source) if source else detect_source(table)
    loaded = module.load(table)
    if not loaded.facts_loaded and not loaded.figures:
        raise DataFileError(path, f"no usable rows (rejected: {loaded.reasons()})")
    return loaded, table.encoding


def files_to_ingest(paths: list[Path]) -> list[tuple[Path, bool]]:
    """(file, named) for each path: a named file as given, a folder walked in name order (hidden
    files and folders left out)."""
    out = []
    for path in map(Path, paths):
        if path.is_dir():
            out += [
                (found, False)
                for found in sorted(path.rglob("*"))
                if found.is_file()
                and not any(part.startswith(".") for part in found.relative_to(path).parts)
            ]
        else:
            out.append((path, True))
    return out


def ingest_each(
    paths: list[Path],
    store_path: Path | None,
    source: str | None = None,
    progress=lambda report: None,
) -> list[IngestReport]:
    """Walk folders and ingest every file in its own transaction, opening the store only to
    check and to write, so that readers (the dashboard) see each file appear whole. A folder's
    file that no loader recognises, or that cannot be read, is skipped with the reason. Files
    named one by one are all read before anything is written: one that fails raises its
    DataFileError and nothing is ingested."""
    entries = files_to_ingest(paths)
    named = [path for path, is_named in entries if is_named]
    for path in named:
        if not path.is_file():
            raise DataFileError(path, "no such file")
    shas = {path: sha256_of(path) for path in named}
    with Store(store_path) as store:
        known = {path for path, sha in shas.items() if store.file_with_sha(sha) is not None}
    prepared = {path: _load(path, source) for path in named if path not in known}
    reports = []
    for path, is_named in entries:
        report = _ingest_one(path, is_named, store_path, source, shas.get(path), prepared.get(path))
        reports.append(report)
        progress(report)
    return reports


def _ingest_one(
    path: Path,
    named: bool,
    store_path: Path | None,
    source: str | None,
    sha: str | None,
    prepared: tuple | None,
) -> IngestReport:
    if not named and path.suffix.lower() not in DATA_SUFFIXES:
        return IngestReport(
            path.name,
            "",
            "skipped",
            reason=f"not a table file ({path.suffix or 'no suffix'})",
            path=path,
        )
    sha = sha or sha256_of(path)
    if prepared is None:
        with Store(store_path) as store:
            known = store.file_with_sha(sha)
        if known is not None:
            return IngestReport(path.name, sha, "already ingested", file_id=known[0], path=path)
        try:
            prepared = _load(path, source)
        except DataFileError as error:
            return IngestReport(path.name, sha, "skipped", reason=error.reason, path=path)
    loaded, encoding = prepared
    report = _ingested(path, sha, loaded)
    with Store(store_path) as store:
        known = store.file_with_sha(
            sha
        )  # this file, twice on the command line or from another process
        if known is not None:
            return IngestReport(path.name, sha, "already ingested", file_id=known[0], path=path)
        (report.file_id,) = store.add_files([(path.name, sha, loaded, encoding)])
    return report
