"""The document register (`somlab.document/1`): official and independent documents that evidence
how a State implements the Protocol, one YAML file per document in `review/documents/`.

Each document names its publisher, date and address and stores the passages read in it, word for
word. A passage may say which provisions it bears on for which State, with the status it supports
and the reading behind it; `review init` pre-fills reviews from these (`somlab.review.prefill`),
and `review check` verifies that every quote a review takes from a passage is in its stored text.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from somlab.bundled import bundled
from somlab.errors import SomlabInputError
from somlab.law.model import normalise_space
from somlab.periods import parse_date
from somlab.yamlio import line_at, read_yaml_with_lines

SCHEMA = "somlab.document/1"
KINDS = ("law", "agreement", "judgment", "report", "official page", "treaty record", "summary")
SUPPORTED = ("implemented", "partially", "not implemented", "not applicable")
FIELDS = {
    "schema",
    "id",
    "title",
    "publisher",
    "date",
    "date_note",
    "address",
    "kind",
    "language",
    "about",
    "passages",
}
PASSAGE_FIELDS = {"id", "text", "bears_on"}
BEARING_FIELDS = {"state", "provision", "status", "reading"}


@dataclass(frozen=True)
class Bearing:
    """What a passage shows about one provision in one State: a reading, with its status."""

    state: str
    provision: str
    status: str
    reading: str


@dataclass(frozen=True)
class Passage:
    id: str  # "<document id>#<passage id>"
    text: str  # verbatim, whitespace-normalised
    bears_on: tuple[Bearing, ...]


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    publisher: str
    date: str  # ISO date of the document (judgment, signature, publication)
    date_note: str | None  # how the date was read where the document does not print one
    address: str  # URL
    kind: str
    language: str
    about: str | None  # what the document is, where its title does not say
    passages: tuple[Passage, ...]

    def cite(self) -> str:
        """How a report names it: publisher, title, date, address."""
        return f"{self.publisher}, {self.title} ({self.date}), {self.address}"


def folder() -> Path:
    return bundled("review", "documents")


def _document(data: Any, file: str, lines: dict[str, int]) -> Document:
    from somlab.review.catalogue import units

    problems: list[SomlabInputError] = []

    def fail(path: str, field: str, message: str) -> None:
        problems.append(
            SomlabInputError(message, file=file, line=line_at(lines, path), field=field)
        )

    if not isinstance(data, dict):
        raise SomlabInputError(f"expected a mapping with {sorted(FIELDS)}", file=file, line=1)
    if data.get("schema") != SCHEMA:
        fail("schema", "schema", f"expected '{SCHEMA}'")
    for name in sorted(set(data) - FIELDS):
        fail(name, name, f"unknown field; expected {sorted(FIELDS)}")
    for name in ("id", "title", "publisher", "address", "language"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            fail(name, name, "required text")
    if isinstance(data.get("address"), str) and not data["address"].startswith(
        ("http://", "https://")
    ):
        fail("address", "address", "expected the document's URL (http:// or https://)")
    date = data.get("date")
    date = date.isoformat() if isinstance(date, dt.date) else date
    try:
        parse_date(str(date))
    except ValueError:
        fail("date", "date", "expected a date YYYY-MM-DD")
    if data.get("kind") not in KINDS:
        fail("kind", "kind", f"expected one of {list(KINDS)}")
    known = {o.id for o in units()}
    passages = []
    seen: set[str] = set()
    items = data.get("passages")
    if not isinstance(items, list) or not items:
        fail("passages", "passages", "expected a list of passages read in the document")
        items = []
    for i, item in enumerate(items):
        where = f"passages[{i}]"
        if not isinstance(item, dict):
            fail(where, "passages", "expected a mapping with id, text and bears_on")
            continue
        for name in sorted(set(item) - PASSAGE_FIELDS):
            fail(f"{where}.{name}", name, f"unknown field; expected {sorted(PASSAGE_FIELDS)}")
        pid, text = str(item.get("id") or ""), item.get("text")
        if not pid or pid in seen:
            fail(f"{where}.id", "id", "each passage needs an id of its own in the document")
        seen.add(pid)
        if not isinstance(text, str) or not text.strip():
            fail(f"{where}.text", "text", "the passage's words, as read in the document")
            text = ""
        bearings = []
        for j, b in enumerate(item.get("bears_on") or []):
            at = f"{where}.bears_on[{j}]"
            if not isinstance(b, dict) or not {"state", "provision", "status", "reading"} <= set(b):
                fail(at, "bears_on", f"expected {sorted(BEARING_FIELDS)}")
                continue
            for name in sorted(set(b) - BEARING_FIELDS):
                fail(f"{at}.{name}", name, f"unknown field; expected {sorted(BEARING_FIELDS)}")
            if str(b["provision"]) not in known:
                fail(
                    f"{at}.provision",
                    "provision",
                    f"'{b['provision']}' is not a reviewed provision of the Protocol",
                )
            if b["status"] not in SUPPORTED:
                fail(f"{at}.status", "status", f"expected one of {list(SUPPORTED)}")
            bearings.append(
                Bearing(
                    str(b["state"]),
                    str(b["provision"]),
                    str(b["status"]),
                    normalise_space(str(b["reading"])),
                )
            )
        passages.append(Passage(f"{data.get('id')}#{pid}", normalise_space(text), tuple(bearings)))
    if problems:
        raise SomlabInputError(
            f"{len(problems)} problem(s) in the document", file=file, problems=problems
        )
    if Path(file).stem != data["id"]:
        raise SomlabInputError(
            f"the file is named {Path(file).stem!r}; name it after its id",
            file=file,
            line=line_at(lines, "id"),
            field="id",
        )
    return Document(
        id=data["id"],
        title=normalise_space(data["title"]),
        publisher=normalise_space(data["publisher"]),
        date=str(date),
        date_note=normalise_space(data["date_note"]) if data.get("date_note") else None,
        address=data["address"],
        kind=data["kind"],
        language=data["language"],
        about=normalise_space(data["about"]) if data.get("about") else None,
        passages=tuple(passages),
    )


def load_document(path: str | Path) -> Document:
    data, lines = read_yaml_with_lines(Path(path))
    return _document(data, str(path), lines)


@functools.lru_cache(maxsize=1)
def register() -> dict[str, Document]:
    """Every document of the register, by id."""
    return {doc.id: doc for doc in map(load_document, sorted(folder().glob("*.yaml")))}


def passages() -> dict[str, tuple[Document, Passage]]:
    """Every passage of the register by its id ('<document>#<passage>'), with its document."""
    return {p.id: (doc, p) for doc in register().values() for p in doc.passages}


def bearing_on(state: str, provision: str, as_of: str) -> list[tuple[Document, Passage, Bearing]]:
    """The passages of documents dated on or before `as_of` that bear on `provision` in `state`."""
    return [
        (doc, p, b)
        for doc in register().values()
        if doc.date <= as_of
        for p in doc.passages
        for b in p.bears_on
        if b.state == state and b.provision == provision
    ]


def quote_problem(passage_id: str, quote: str | None) -> str | None:
    """Why a citation of `passage_id` (quoting `quote`) does not resolve, or None."""
    found = passages().get(passage_id)
    if found is None:
        return f"no passage {passage_id!r} in the document register"
    if quote is not None and normalise_space(quote) not in found[1].text:
        return f"the quote is not in the text of passage {passage_id}"
    return None
