"""The evidence store: one DuckDB file, versioned schema, a provenance row per ingested file."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Sequence
from operator import attrgetter
from pathlib import Path

import duckdb
import pyarrow as pa

from somlab.errors import SomlabError
from somlab.evidence.loaders.base import Loaded, count_reasons, record_columns

SCHEMA_VERSION = 2

# Each migration takes the schema from version (index) to version (index + 1). Append, never edit.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE provenance (
            file_id INTEGER PRIMARY KEY, file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL UNIQUE,
            source VARCHAR NOT NULL, vintage VARCHAR NOT NULL, rows_read INTEGER NOT NULL,
            rows_loaded INTEGER NOT NULL, rows_rejected INTEGER NOT NULL, rejections JSON NOT NULL,
            warnings JSON NOT NULL, encoding VARCHAR, ingested_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE row_issues (
            file_id INTEGER NOT NULL, row_number INTEGER NOT NULL, field VARCHAR, severity VARCHAR NOT NULL,
            reason VARCHAR NOT NULL)""",
        """CREATE TABLE incidents (
            file_id INTEGER NOT NULL, row_number INTEGER NOT NULL, dataset VARCHAR NOT NULL,
            grain VARCHAR NOT NULL, incident_id VARCHAR, incident_type VARCHAR, date DATE,
            year INTEGER NOT NULL, month INTEGER, route VARCHAR, region VARCHAR, country VARCHAR,
            cause VARCHAR, dead INTEGER, missing INTEGER, dead_missing INTEGER NOT NULL, survivors INTEGER)""",
        """CREATE TABLE counts (
            file_id INTEGER NOT NULL, row_number INTEGER NOT NULL, field VARCHAR NOT NULL,
            dataset VARCHAR NOT NULL, grain VARCHAR NOT NULL, measure VARCHAR NOT NULL,
            year INTEGER NOT NULL, month INTEGER, route VARCHAR, region VARCHAR, country VARCHAR,
            nationality VARCHAR, border_type VARCHAR, value BIGINT, flag VARCHAR)""",
        # For each dataset, grain and year: the file whose data reach furthest (a later export of a
        # publisher's database supersedes earlier ones; vintages are revisions, not additions).
        """CREATE TABLE current_files (
            dataset VARCHAR NOT NULL, grain VARCHAR NOT NULL, year INTEGER NOT NULL, file_id INTEGER NOT NULL,
            PRIMARY KEY (dataset, grain, year))""",
    ),
    (
        # Figures read in published reports, kept as published (conflicting figures side by side).
        """CREATE TABLE published_figures (
            file_id INTEGER NOT NULL, row_number INTEGER NOT NULL, series VARCHAR NOT NULL, geo VARCHAR,
            departure_country VARCHAR, year INTEGER NOT NULL, month INTEGER, period_type VARCHAR NOT NULL,
            as_of DATE, value BIGINT, value_low BIGINT NOT NULL, value_high BIGINT NOT NULL, unit VARCHAR,
            publisher VARCHAR NOT NULL, address VARCHAR NOT NULL, quote VARCHAR, note VARCHAR)""",
    ),
)


# How long opening a store waits for another process's lock (another ingest, a report) to go.
LOCK_WAIT_SECONDS = 30.0


class StoreError(SomlabError, RuntimeError):
    """A store that cannot be opened or read: the message names the file and what to do."""


class StoreVersionError(StoreError):
    pass


class StoreLockedError(StoreError):
    pass


class StoreMissingError(StoreError, FileNotFoundError):
    pass


def _lock_holder(message: str) -> str:
    found = re.search(r"held in (.+?) \(PID (\d+)\)", message)
    return f"process {found.group(2)} ({Path(found.group(1)).name})" if found else "another process"


def connect(
    path: Path, *, read_only: bool, wait: float = LOCK_WAIT_SECONDS
) -> duckdb.DuckDBPyConnection:
    """A connection to the store file; a lock held by another process is waited for up to `wait`
    seconds; every other failure is a StoreError saying what is wrong with the file."""
    if path.is_dir():
        raise StoreError(
            f"{path} is a folder, not a store file; give a file such as {path / 'evidence.duckdb'}"
        )
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as error:
            message = str(error)
            if "Could not set lock" in message:
                if time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                raise StoreLockedError(
                    f"{path} is in use by {_lock_holder(message)}, which holds it for writing (another "
                    f"`somlab data ingest`?); waited {wait:.0f} s; try again when it has finished"
                ) from None
            if "Permission denied" in message or "Read-only file system" in message:
                raise StoreError(
                    f"{path} cannot be opened for writing (permission denied or a read-only "
                    "file system); choose another store with --store"
                ) from None
            raise StoreError(
                f"{path} is not a readable somlab store ({message.removeprefix('IO Error: ')}); "
                "move it aside and ingest again, or choose another store with --store"
            ) from None
        except duckdb.Error as error:
            raise StoreError(
                f"{path} is not a readable somlab store ({error}); move it aside and "
                "ingest again, or choose another store with --store"
            ) from None


def default_store_path() -> Path:
    """$SOMLAB_STORE, else evidence.duckdb in the user's data directory."""
    override = os.environ.get("SOMLAB_STORE")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("somlab")) / "evidence.duckdb"


def _migrate(con: duckdb.DuckDBPyConnection, version: int) -> None:
    """Take the schema from `version` to SCHEMA_VERSION in one transaction."""
    if version == SCHEMA_VERSION:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)"
        )
        for statements in MIGRATIONS[version:]:
            for statement in statements:
                con.execute(statement)
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def _create(path: Path, wait: float) -> None:
    """Make a new store appear whole: migrated in a file of its own, then linked into place. A
    process killed meanwhile leaves no store at `path`; of two processes creating it at once, the
    first link wins and the other opens that store. Where links are not supported, the store is
    created in place (and migrated when opened)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.creating")
    partial.unlink(missing_ok=True)
    try:
        connection = connect(partial, read_only=False, wait=wait)
        try:
            _migrate(connection, 0)
        finally:
            connection.close()
        os.link(partial, path)
    except (OSError, StoreError, duckdb.Error):
        pass  # another process linked its store first, or no link here: the store is created in place
    finally:
        partial.unlink(missing_ok=True)


class Store:
    """A DuckDB connection with the evidence schema migrated to the current version."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        wait: float = LOCK_WAIT_SECONDS,
    ) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        if read_only and not self.path.exists():
            raise StoreMissingError(
                f"no evidence store at {self.path}; run `somlab data ingest FILE...` first"
            )
        if not read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    f"cannot create the folder of {self.path} ({error.strerror})"
                ) from None
            if not self.path.exists():
                _create(self.path, wait)
        self.connection = connect(self.path, read_only=read_only, wait=wait)
        try:
            self._check_version(read_only)
        except BaseException:
            self.connection.close()
            raise

    def _check_version(self, read_only: bool) -> None:
        try:
            version = self.schema_version()
        except duckdb.Error as error:
            raise StoreError(
                f"{self.path} is not a readable somlab store ({error}); move it aside and "
                "ingest again, or choose another store with --store"
            ) from None
        if version > SCHEMA_VERSION:
            raise StoreVersionError(
                f"{self.path} has schema version {version}, newer than this somlab ({SCHEMA_VERSION}); "
                "upgrade somlab, or choose another store with --store"
            )
        if read_only and version < SCHEMA_VERSION:
            raise StoreVersionError(
                f"{self.path} has schema version {version}, older than this somlab ({SCHEMA_VERSION}); "
                f"run `somlab data status --store {self.path}` once to migrate it"
            )
        if not read_only:
            _migrate(self.connection, version)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()

    def _value(self, sql: str) -> object:
        """The single value of a query that always returns one row."""
        row = self.connection.execute(sql).fetchone()
        assert row is not None, sql
        return row[0]

    def schema_version(self) -> int:
        if not self._value(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
        ):
            return 0
        return int(str(self._value("SELECT value FROM meta WHERE key = 'schema_version'")))

    def file_with_sha(self, sha256: str) -> tuple | None:
        return self.connection.execute(
            "SELECT file_id, file_name, ingested_at FROM provenance WHERE sha256 = ?", [sha256]
        ).fetchone()

    def add_files(self, items: list[tuple[str, str, Loaded, str | None]]) -> list[int]:
        """Insert (file name, sha256, loaded, encoding) items in one transaction; all or nothing."""
        con = self.connection
        con.execute("BEGIN TRANSACTION")
        try:
            file_ids = []
            for file_name, sha256, loaded, encoding in items:
                file_id = int(
                    str(self._value("SELECT coalesce(max(file_id), 0) + 1 FROM provenance"))
                )
                con.execute(
                    "INSERT INTO provenance VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())",
                    [
                        file_id,
                        file_name,
                        sha256,
                        loaded.source,
                        loaded.vintage,
                        loaded.rows_read,
                        loaded.facts_loaded,
                        loaded.rejected_rows,
                        json.dumps(count_reasons(loaded.rejected)),
                        json.dumps(count_reasons(loaded.warnings)),
                        encoding,
                    ],
                )
                for table, records in (
                    ("incidents", loaded.incidents),
                    ("counts", loaded.counts),
                    ("published_figures", loaded.figures),
                ):
                    if records:
                        self._insert_records(file_id, table, records)
                issues = [
                    (file_id, row, field, "rejected", reason)
                    for row, field, reason in loaded.rejected
                ]
                issues += [
                    (file_id, row, field, "warning", reason)
                    for row, field, reason in loaded.warnings
                ]
                if issues:
                    self._insert_issues(issues)
                file_ids.append(file_id)
            self.refresh_current_files()
            con.execute("COMMIT")
            return file_ids
        except Exception:
            con.execute("ROLLBACK")
            raise

    def _insert_records(self, file_id: int, table: str, records: Sequence[object]) -> None:
        """Write one file's records (all of one record type) to their table, a column at a time."""
        columns = record_columns(type(records[0]))
        batch = pa.table({name: list(map(attrgetter(name), records)) for name in columns})
        self.connection.register("records_batch", batch)
        self.connection.execute(
            f"INSERT INTO {table} (file_id, {', '.join(columns)}) "
            f"SELECT {int(file_id)}, {', '.join(columns)} FROM records_batch"
        )
        self.connection.unregister("records_batch")

    def _insert_issues(self, issues: list[tuple]) -> None:
        columns = ("file_id", "row_number", "field", "severity", "reason")
        batch = pa.table({name: list(values) for name, values in zip(columns, zip(*issues))})
        self.connection.register("issues_batch", batch)
        self.connection.execute("INSERT INTO row_issues SELECT * FROM issues_batch")
        self.connection.unregister("issues_batch")

    def refresh_current_files(self) -> None:
        con = self.connection
        con.execute("DELETE FROM current_files")
        con.execute(
            """
            INSERT INTO current_files
            WITH per_file AS (
                SELECT dataset, grain, year, file_id FROM incidents GROUP BY ALL
                UNION ALL SELECT dataset, grain, year, file_id FROM counts GROUP BY ALL),
            reach AS (
                SELECT file_id, max(year * 100 + coalesce(month, 12)) AS reach FROM (
                    SELECT file_id, year, month FROM incidents UNION ALL SELECT file_id, year, month FROM counts)
                GROUP BY file_id)
            SELECT dataset, grain, year, arg_max(file_id, reach::BIGINT * 100000 + file_id)
            FROM per_file JOIN reach USING (file_id)
            GROUP BY dataset, grain, year
            """
        )

    def provenance(self) -> list[dict]:
        cursor = self.connection.execute("SELECT * FROM provenance ORDER BY file_id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
