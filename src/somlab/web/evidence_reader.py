"""Indicators for many concurrent requests without holding the evidence store.

Each new answer is computed on a short-lived read-only connection, so the server holds the
store's lock only for the milliseconds a query takes and `somlab data ingest` can write between
requests. Answers are cached by the store's version (identity, size and modification time of the
file and its write-ahead log): the next request after an ingest sees the new data, and an ingest
is seen whole or not at all (it is one transaction, and a reader cannot open the file while it
is written). While a writer holds the store, the last answer is served, saying so."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from pathlib import Path

from somlab.evidence.indicators import compute
from somlab.evidence.store import Store, StoreLockedError

READ_WAIT_SECONDS = 2.0  # how long a request waits for a writer before answering from the cache
CACHE_SIZE = 512


class EvidenceReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._answers: OrderedDict[str, tuple[tuple | None, dict]] = OrderedDict()
        self._lock = threading.Lock()

    def version(self) -> tuple | None:
        """What changes when the store is written; None when there is no store file."""
        stamps: list[tuple[int, int, int] | None] = []
        for path in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = path.stat()
            except (FileNotFoundError, NotADirectoryError):
                stamps.append(None)
                continue
            stamps.append((st.st_ino, st.st_size, st.st_mtime_ns))
        return None if stamps[0] is None else tuple(stamps)

    def indicator(self, name: str, **kwargs) -> dict:
        """`somlab.indicator/1` for the store's current version; raises StoreError when the store
        cannot be read and no earlier answer exists."""
        key = json.dumps([name, kwargs], sort_keys=True, default=str)
        version = self.version()
        with self._lock:
            cached = self._answers.get(key)
            if cached is not None and cached[0] == version:
                self._answers.move_to_end(key)
                return cached[1]
        try:
            with Store(self.path, read_only=True, wait=READ_WAIT_SECONDS) as store:
                result = compute(name, store, **kwargs)
        except StoreLockedError as error:
            if cached is None:
                raise
            return {
                **cached[1],
                "gaps": cached[1]["gaps"]
                + [
                    f"the store is being updated ({error}); these figures are from before the update"
                ],
            }
        with self._lock:
            if self.version() == version:  # not written meanwhile: the answer belongs to `version`
                self._answers[key] = (version, result)
                self._answers.move_to_end(key)
                while len(self._answers) > CACHE_SIZE:
                    self._answers.popitem(last=False)
        return result
