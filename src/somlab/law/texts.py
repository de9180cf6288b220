"""Stored verbatim texts: every quote of a law file checked against the text its source stores.

A law version's source may name a stored text (`text: texts/<CODE>/<slug>.md`, relative to the
corpus folder): a header (publisher, document, address, version, completeness), a line starting
with `---`, then the text exactly as read. Each quote of a rule (element, exception, aggravation, cited provision,
penalty) must occur in the stored text of its provision's source. Elisions in a quote ("[...]",
"[…]", "(…)", "…") stand for omitted words: the fragments between them must occur in that order.
Quotes that cannot be verified are listed with the reason; none is silently passed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from somlab.law.model import Aggravation, Law, Offence, normalise_space

HEADER_END = "---"
ELISION = re.compile(r"\[\s*(?:\.\.\.|…)\s*\]|\(\s*(?:\.\.\.|…)\s*\)|…")
# typographic variants of one character (mirrors render quotation marks and apostrophes
# differently), read as the same character when comparing
SAME_CHARACTER = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "\u00a0": " ",
        "\u202f": " ",
    }
)


@dataclass(frozen=True)
class Quote:
    """One quote of a law version: where it is, the provision it quotes, and its words."""

    law: Law
    where: str  # e.g. "offences[facilitation-entry].elements[intent]"
    provision: str
    text: str


@dataclass(frozen=True)
class Unverified:
    """A quote that could not be checked against a stored text, and why."""

    file: str
    version: str
    where: str
    provision: str
    reason: str

    def render(self) -> str:
        return f"{self.file}: {self.version} {self.where} ({self.provision}): {self.reason}"


def comparable(text: str) -> str:
    return normalise_space(text.translate(SAME_CHARACTER).replace("''", '"'))


def stored_body(path: Path) -> str:
    """The verbatim part of a stored text: everything after the first line starting with `---`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.startswith(HEADER_END):
            return "\n".join(lines[i + 1 :])
    return ""


def _penalty_quote(law: Law, where: str, rule: Offence | Aggravation) -> Iterator[Quote]:
    """The quote of a rule's penalty, if it states one: in the rule's provision unless the penalty
    names its own."""
    if rule.penalty:
        yield Quote(
            law, f"{where}.penalty", rule.penalty.provision or rule.provision, rule.penalty.quote
        )


def quotes(law: Law) -> Iterator[Quote]:
    """Every quote a law version makes: the text of each provision, and each rule's quote of it."""
    for pid, p in law.provisions.items():
        yield Quote(law, f"provisions[{pid}]", pid, p.text)
    for o in law.offences:
        for e in o.elements:
            yield Quote(law, f"offences[{o.id}].elements[{e.id}]", e.provision, e.quote)
        yield from _penalty_quote(law, f"offences[{o.id}]", o)
    for x in law.exceptions:
        yield Quote(law, f"exceptions[{x.id}]", x.provision, x.quote)
    for a in law.aggravations:
        yield Quote(law, f"aggravations[{a.id}]", a.provision, a.quote)
        yield from _penalty_quote(law, f"aggravations[{a.id}]", a)
    for i, c in enumerate(law.cited):
        yield Quote(law, f"cited[{i}]", c.provision, c.quote)


def found_in(quote: str, body: str) -> bool:
    """Whether the quote's fragments (split at elisions) occur in the body, in order."""
    position = 0
    fragments = [f.strip(" ;,.") for f in ELISION.split(comparable(quote))]
    for fragment in (f for f in fragments if f):
        at = body.find(fragment, position)
        if at < 0:
            return False
        position = at + len(fragment)
    return True


class StoredTexts:
    """The stored texts under a corpus folder, each read once."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._bodies: dict[str, str | None] = {}

    def body(self, relative: str) -> str | None:
        if relative not in self._bodies:
            path = self.root / relative
            self._bodies[relative] = comparable(stored_body(path)) if path.is_file() else None
        return self._bodies[relative]

    def check(self, quote: Quote) -> str | None:
        """None when the quote is verified, otherwise the reason it is not."""
        law = quote.law
        provision = law.provisions.get(quote.provision)
        if provision is None:
            return f"provision {quote.provision!r} is not in the file"
        source = law.sources.get(provision.source)
        if source is None or not source.text:
            return f"source {provision.source!r} has no stored text"
        body = self.body(source.text)
        if body is None:
            return f"stored text {source.text} not found"
        if not body:
            return f"stored text {source.text} has no line starting with '---' to end its header"
        if not found_in(quote.text, body):
            return f"quote not found in the stored text {source.text}: {quote.text!r}"
        return None


def _relative(file: str | None, root: Path) -> str:
    if not file:
        return "?"
    try:
        return str(Path(file).resolve().relative_to(Path(root).resolve()))
    except ValueError:
        return file


def verify(laws: list[Law], root: Path) -> tuple[int, list[Unverified]]:
    """How many quotes are verified against stored texts, and the ones that are not."""
    texts = StoredTexts(root)
    verified, unverified = 0, []
    for law in laws:
        for q in quotes(law):
            reason = texts.check(q)
            if reason is None:
                verified += 1
            else:
                unverified.append(
                    Unverified(_relative(law.file, root), law.version, q.where, q.provision, reason)
                )
    return verified, unverified
