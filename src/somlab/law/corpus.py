"""The corpus: every law version on disk, found by jurisdiction code and date.

Layout: `corpus/<CODE>/<valid_from>.yaml`, one file per version of a jurisdiction's law. The
bundled corpus ships inside the package; `SOMLAB_CORPUS` or `--corpus` points elsewhere.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from somlab.errors import SomlabInputError
from somlab.law.compiled import CompiledLaw, compile_law
from somlab.law.model import Law, load_law

REFORMS_DIR = "reforms"
UN_CODES = ("UN-SOM", "UN-TIP")


def bundled_corpus_dir() -> Path:
    return Path(str(resources.files("somlab") / "corpus"))


def corpus_dir() -> Path:
    return Path(os.environ.get("SOMLAB_CORPUS") or bundled_corpus_dir())


@dataclass
class Corpus:
    root: Path
    versions: dict[str, list[CompiledLaw]] = field(default_factory=dict)

    def codes(self) -> list[str]:
        """Jurisdiction codes: the two Protocols first, then EU, then states alphabetically."""
        rest = sorted(c for c in self.versions if c not in UN_CODES)
        if "EU" in rest:
            rest.remove("EU")
            rest.insert(0, "EU")
        return [c for c in UN_CODES if c in self.versions] + rest

    def history(self, code: str) -> list[CompiledLaw]:
        if code not in self.versions:
            raise SomlabInputError(f"unknown jurisdiction {code!r}; known: {', '.join(self.codes())}",
                                   field="jurisdiction")
        return self.versions[code]

    def at(self, code: str, date: dt.date) -> CompiledLaw | None:
        """The version of `code` in force on `date`, or None."""
        for compiled in self.history(code):
            if compiled.law.in_force(date):
                return compiled
        return None


def _law_files(root: Path) -> list[Path]:
    if not root.is_dir():
        raise SomlabInputError("corpus folder not found", file=str(root))
    return sorted(p for p in root.glob("*/*.yaml") if p.parent.name != REFORMS_DIR)


def _check_periods(code: str, laws: list[Law]) -> list[SomlabInputError]:
    problems = []
    for a, b in zip(laws, laws[1:]):
        if a.valid_to is None or a.valid_to > b.valid_from:
            problems.append(SomlabInputError(
                f"{code}: version {a.version} (from {a.valid_from}, to {a.valid_to or 'open'}) "
                f"overlaps version {b.version} (from {b.valid_from}); set valid_to", file=a.file,
                field="valid_to"))
    return problems


def load_corpus(root: Path | None = None) -> Corpus:
    """Load and check every law file; all problems are reported together."""
    root = Path(root) if root else corpus_dir()
    problems: list[SomlabInputError] = []
    laws: dict[str, list[Law]] = {}
    for path in _law_files(root):
        try:
            law = load_law(path)
        except SomlabInputError as exc:
            problems.extend(exc.problems or [exc])
            continue
        if law.code != path.parent.name:
            problems.append(SomlabInputError(
                f"code {law.code!r} does not match its folder {path.parent.name!r}", file=str(path),
                field="code"))
            continue
        laws.setdefault(law.code, []).append(law)
    for code, items in laws.items():
        items.sort(key=lambda law: law.valid_from)
        problems.extend(_check_periods(code, items))
    if problems:
        raise SomlabInputError(f"{len(problems)} problem(s) in the corpus at {root}",
                               problems=problems)
    return Corpus(root=root, versions={c: [compile_law(x) for x in v] for c, v in laws.items()})


@lru_cache(maxsize=4)
def _cached(root: str) -> Corpus:
    return load_corpus(Path(root))


def default_corpus() -> Corpus:
    return _cached(str(corpus_dir()))
