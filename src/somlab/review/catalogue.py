"""The obligation catalogue: every article, paragraph and obligation-bearing subparagraph of the
Protocol (arts 1-25) with its verbatim text, strength, who it binds, objective and Review Mechanism
cluster (data in obligations.yaml; the text it quotes is the corpus's stored text of the Protocol).

Strength is read from the text by `read_strength` (the rule is below, and a test checks every entry
of obligations.yaml against it). The categories follow the UNODC Legislative Guides' division of
the Protocol's provisions into mandatory requirements, measures States Parties must consider or
endeavour to apply, and optional measures; definitions, saving clauses and the framework clauses
(the Protocol's relation to the Convention, purpose, scope and life cycle) are not duties at all.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from somlab.bundled import bundled
from somlab.errors import SomlabInputError
from somlab.law.model import normalise_space
from somlab.vocabulary import REVIEW_OBJECTIVES
from somlab.yamlio import line_at, read_yaml_with_lines

STRENGTHS = (
    "shall",
    "shall endeavour",
    "shall consider",
    "may",
    "definition",
    "saving",
    "framework",
)
OBLIGATIONS = ("shall", "shall endeavour", "shall consider")  # what the scorecard counts
CLUSTERS = {
    1: "Criminalization and jurisdiction",
    2: "Prevention, technical assistance, protection measures and other measures",
    3: "Law enforcement and judicial system",
    4: "International cooperation, mutual legal assistance and extradition",
}
EVIDENCE_KINDS = ("corpus", "indicator", "case", "document")
# Articles on the instrument itself, not on what a State does: relation with the Convention (1),
# purpose (2), scope (4), signature, entry into force, amendment, denunciation, depositary (21-25).
FRAMEWORK_ARTICLES = frozenset({1, 2, 4, 21, 22, 23, 24, 25})

_SAVING = re.compile(
    r"^Nothing in this Protocol shall|shall be without prejudice to|shall not affect"
)
# "shall" followed by these words is a weaker duty, a definition or the effect of a declaration.
_QUALIFIED = r"consider|endeavour|make every effort|mean|not be bound"
_BARE_SHALL = re.compile(rf"\bshall\b(?!\s+(?:{_QUALIFIED})\b)|\bagrees to\b")
_ENDEAVOUR = re.compile(r"\bshall (?:endeavour|make every effort)\b")
_CONSIDER = re.compile(r"\bshall consider\b")
_MAY = re.compile(r"\bmay\b(?! be necessary| have been sustained| be inflicted)")


def read_strength(text: str, article: int) -> str:
    """The strength of one provision, read from its text (with its chapeau, for a subparagraph).

    First match wins: a framework article; a definition ("shall mean"); a saving clause ("Nothing
    in this Protocol shall ...", "shall be without prejudice to", "shall not affect"); otherwise the
    strongest duty in the text: a bare "shall" (or "agrees to"), then "shall endeavour" / "shall
    make every effort", then "shall consider", then "may". So 8(1) ("may request ... shall render
    such assistance") is "shall", and 14(3) ("shall consider providing ... shall make every effort")
    is "shall endeavour". "may" inside "as may be necessary" and similar is not a permission.
    """
    text = normalise_space(text)
    if article in FRAMEWORK_ARTICLES:
        return "framework"
    if "shall mean" in text:
        return "definition"
    if _SAVING.search(text):
        return "saving"
    for strength, pattern in (
        ("shall", _BARE_SHALL),
        ("shall endeavour", _ENDEAVOUR),
        ("shall consider", _CONSIDER),
        ("may", _MAY),
    ):
        if pattern.search(text):
            return strength
    raise ValueError(f"no strength can be read from art {article}: {text[:80]!r}")


@dataclass(frozen=True)
class Obligation:
    id: str  # "6(1)(a)", "5", "12(b)"
    article: int
    title: str  # the article's heading
    text: str  # verbatim, without its own label
    chapeau: str | None  # id of the introductory words a subparagraph completes
    unit: bool  # reviewed on its own (a status per review)
    strength: str
    binds: str | None
    objective: str
    cluster: int | None
    cluster_basis: str | None  # "cited" (a stored passage lists the articles) or "inferred"
    evidence: tuple[str, ...]
    note: str | None = None

    @property
    def label(self) -> str:
        return f"art {self.id}"

    @property
    def is_obligation(self) -> bool:
        return self.strength in OBLIGATIONS

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "article": self.article,
            "title": self.title,
            "text": self.text,
            "chapeau": self.chapeau,
            "unit": self.unit,
            "strength": self.strength,
            "binds": self.binds,
            "objective": self.objective,
            "cluster": self.cluster,
            "cluster_basis": self.cluster_basis,
            "evidence": list(self.evidence),
            "note": self.note,
        }


FIELDS = {
    "id",
    "article",
    "text",
    "chapeau",
    "unit",
    "strength",
    "binds",
    "objective",
    "evidence",
    "note",
}
CLUSTER_FIELDS = {"articles", "basis", "sources", "reason"}
CLUSTER_BASES = ("cited", "inferred")


@dataclass(frozen=True)
class Cluster:
    """A Review Mechanism cluster: its articles, and the passages that state them (basis "cited")
    or, where none could be cited, the reason the assignment is inferred."""

    number: int
    title: str
    articles: tuple[int, ...]
    basis: str
    sources: tuple[str, ...]  # passage ids of the document register ('<document>#<passage>')
    reason: str | None

    def as_dict(self) -> dict:
        return {
            "cluster": self.number,
            "title": self.title,
            "articles": list(self.articles),
            "basis": self.basis,
            "sources": list(self.sources),
            "reason": self.reason,
        }


def _package_file(name: str) -> Path:
    return bundled("review", name)


def protocol_text() -> str:
    """The Protocol's authentic English text, as the corpus stores it (with its provenance header)."""
    return bundled("corpus", "texts", "UN-SOM", "un-smuggling-protocol.md").read_text(
        encoding="utf-8"
    )


def _clusters(data: dict, lines: dict[str, int], file: str) -> tuple[Cluster, ...]:
    out: list[Cluster] = []
    seen: set[int] = set()
    for number, item in (data.get("clusters") or {}).items():
        where = f"clusters.{number}"

        def fail(field: str, message: str, where: str = where) -> SomlabInputError:
            return SomlabInputError(
                message, file=file, line=line_at(lines, f"{where}.{field}"), field=field
            )

        if number not in CLUSTERS:
            raise fail("clusters", f"expected a cluster number of {sorted(CLUSTERS)}")
        unknown = set(item) - CLUSTER_FIELDS
        if unknown:
            raise fail(sorted(unknown)[0], f"unknown field; expected {sorted(CLUSTER_FIELDS)}")
        if item.get("basis") not in CLUSTER_BASES:
            raise fail("basis", f"expected one of {CLUSTER_BASES}")
        if item["basis"] == "cited" and not item.get("sources"):
            raise fail("sources", "a cited cluster names the passages that list its articles")
        if item["basis"] == "inferred" and not str(item.get("reason") or "").strip():
            raise fail("reason", "an inferred cluster says why no source could be cited")
        twice = seen & set(item.get("articles") or [])
        if twice:
            raise fail("articles", f"article {sorted(twice)[0]} is in two clusters")
        seen |= set(item["articles"])
        out.append(
            Cluster(
                number,
                CLUSTERS[number],
                tuple(item["articles"]),
                item["basis"],
                tuple(item.get("sources") or ()),
                normalise_space(item["reason"]) if item.get("reason") else None,
            )
        )
    return tuple(out)


def _obligation(
    item: dict,
    titles: dict[int, str],
    where: str,
    lines: dict[str, int],
    file: str,
    clusters: tuple[Cluster, ...],
) -> Obligation:
    def fail(field: str, message: str) -> SomlabInputError:
        return SomlabInputError(
            message, file=file, line=line_at(lines, f"{where}.{field}"), field=field
        )

    unknown = set(item) - FIELDS
    if unknown:
        raise fail(sorted(unknown)[0], f"unknown field; expected {sorted(FIELDS)}")
    if item.get("strength") not in STRENGTHS:
        raise fail("strength", f"expected one of {STRENGTHS}")
    if item.get("objective") not in REVIEW_OBJECTIVES:
        raise fail("objective", f"expected one of {REVIEW_OBJECTIVES}")
    bad = [k for k in item.get("evidence") or [] if k not in EVIDENCE_KINDS]
    if bad:
        raise fail("evidence", f"unknown evidence kind {bad[0]!r}; expected {EVIDENCE_KINDS}")
    if item.get("article") not in titles:
        raise fail("article", "expected an article number listed under 'articles'")
    cluster = next((c for c in clusters if item["article"] in c.articles), None)
    return Obligation(
        id=str(item["id"]),
        article=item["article"],
        title=titles[item["article"]],
        text=normalise_space(item["text"]),
        chapeau=item.get("chapeau"),
        unit=bool(item["unit"]),
        strength=item["strength"],
        binds=item.get("binds"),
        objective=item["objective"],
        cluster=cluster.number if cluster else None,
        cluster_basis=cluster.basis if cluster else None,
        evidence=tuple(item.get("evidence") or ()),
        note=item.get("note"),
    )


@functools.lru_cache(maxsize=1)
def _load() -> tuple[tuple[Cluster, ...], tuple[Obligation, ...]]:
    path = _package_file("obligations.yaml")
    data, lines = read_yaml_with_lines(path)
    found = _clusters(data, lines, str(path))
    return found, tuple(
        _obligation(item, data["articles"], f"obligations[{i}]", lines, str(path), found)
        for i, item in enumerate(data["obligations"])
    )


def catalogue() -> tuple[Obligation, ...]:
    """Every catalogue entry, in the Protocol's order."""
    return _load()[1]


def clusters() -> tuple[Cluster, ...]:
    """The Review Mechanism clusters with the articles each reviews and the basis for it."""
    return _load()[0]


def units() -> tuple[Obligation, ...]:
    """The entries a review gives a status to."""
    return tuple(o for o in catalogue() if o.unit)


def by_id() -> dict[str, Obligation]:
    return {o.id: o for o in catalogue()}


def find(article: str | None) -> list[Obligation]:
    """Entries of one article ("6") or one provision ("6(1)(a)", "art 6(3)"); all for None."""
    if article is None:
        return list(catalogue())
    key = article.strip().removeprefix("art").strip()
    if key.isdigit():
        found = [o for o in catalogue() if o.article == int(key)]
    else:
        found = [o for o in catalogue() if o.id == key or o.id.startswith(key + "(")]
    if not found:
        raise SomlabInputError(
            f"no article or provision {article!r} in the Protocol (arts 1-25; "
            "write e.g. 6, 6(1) or 6(1)(a))",
            field="ART",
        )
    return found


def full_text(obligation: Obligation) -> str:
    """What the strength is read from: a subparagraph with its chapeau, a chapeau with its
    subparagraphs, anything else as it stands."""
    if obligation.chapeau is not None:
        return f"{by_id()[obligation.chapeau].text} {obligation.text}"
    parts = [o.text for o in catalogue() if o.chapeau == obligation.id]
    return " ".join([obligation.text, *parts])
