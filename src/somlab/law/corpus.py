"""The corpus: every law version on disk, found by jurisdiction code and date.

Layout: `corpus/<CODE>/<valid_from>.yaml`, one file per version of a jurisdiction's law. The
bundled corpus ships inside the package; `SOMLAB_CORPUS` or `--corpus` points elsewhere.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from somlab.bundled import bundled
from somlab.errors import SomlabInputError, SomlabNotFoundError, raise_problems
from somlab.law.compiled import CompiledLaw, compile_law
from somlab.law.eu_layer import Membership, apply_layer, load_members
from somlab.law.model import Law, law_from_data, load_law
from somlab.law.reforms import Reform, apply_reform, load_reform
from somlab.law.treaty_status import TreatyStatus, load_status
from somlab.yamlio import read_yaml_with_lines

REFORMS_DIR = "reforms"
STATUS_DIR = "treaty-status"
MEMBER_STATES = "EU/member-states.csv"
UN_CODES = ("UN-SOM", "UN-TIP")


def bundled_corpus_dir() -> Path:
    return bundled("corpus")


def corpus_dir() -> Path:
    return Path(os.environ.get("SOMLAB_CORPUS") or bundled_corpus_dir())


@dataclass
class Corpus:
    """Law versions by jurisdiction code, loaded (and checked) the first time a code is used."""

    root: Path
    files: dict[str, list[Path]] = field(default_factory=dict)
    loaded: dict[str, list[CompiledLaw]] = field(default_factory=dict)
    _reforms: dict[str, Reform] | None = None
    _status: dict[str, TreatyStatus | None] = field(default_factory=dict)
    _members: dict[str, Membership] | None = None

    @property
    def versions(self) -> dict[str, list[CompiledLaw]]:
        return {code: self.history(code) for code in self.codes()}

    def codes(self) -> list[str]:
        """Jurisdiction codes: the two Protocols first, then EU, then states alphabetically."""
        rest = sorted(c for c in self.files if c not in UN_CODES)
        if "EU" in rest:
            rest.remove("EU")
            rest.insert(0, "EU")
        return [c for c in UN_CODES if c in self.files] + rest

    def reforms(self) -> dict[str, Reform]:
        """Bundled reforms by name."""
        if self._reforms is None:
            folder = self.root / REFORMS_DIR
            self._reforms = {p.stem: load_reform(p) for p in sorted(folder.glob("*.yaml"))}
        return self._reforms

    def member_states(self) -> dict[str, Membership]:
        """States bound by the EU facilitation Directive, and when (`EU/member-states.csv`)."""
        if self._members is None:
            path = self.root / MEMBER_STATES
            self._members = load_members(path) if path.is_file() else {}
        return self._members

    def _with_eu_layer(self, code: str, laws: list[Law]) -> list[Law]:
        """National law read subject to EU law where the State is (or may be) bound by it."""
        member = self.member_states().get(code)
        if member is None or "EU" not in self.files or laws[0].kind != "national":
            return laws
        return apply_layer(laws, member, [c.law for c in self.history("EU")])

    def treaty_status(self, code: str) -> TreatyStatus | None:
        """The table of deposits of a Protocol (`treaty-status/<CODE>.csv`), if the corpus has one."""
        if code not in self._status:
            path = self.root / STATUS_DIR / f"{code}.csv"
            first = self.history(code)[0].law
            self._status[code] = (
                load_status(path, code, first.valid_from) if path.is_file() else None
            )
        return self._status[code]

    def bound(self, code: str, state: str | None, date: dt.date) -> bool | None:
        """Whether the treaty `code` is in force for `state` on `date` (None: not known)."""
        status = self.treaty_status(code)
        if status is None:
            return None
        return status.bound(state.split("+")[0] if state else None, date)

    def _reformed(self, code: str) -> list[CompiledLaw]:
        base_code, name = code.split("+", 1)
        reform = self.reforms().get(name)
        if reform is None:
            raise SomlabNotFoundError("reform", name, self.reforms(), field="jurisdiction")
        if not reform.applies(base_code):
            raise SomlabInputError(
                f"reform {name!r} applies to {', '.join(reform.applies_to or [])}, not {base_code}",
                field="jurisdiction",
            )
        self.history(base_code)  # checks the base law first
        laws = []
        for path in self.files[base_code]:
            data, _ = read_yaml_with_lines(path)
            law = law_from_data(
                apply_reform(data, reform, base_code), f"{path} + {reform.file}", root=self.root
            )
            law.reforms = (reform.name,)
            laws.append(law)
        laws = self._with_eu_layer(base_code, sorted(laws, key=lambda x: x.valid_from))
        return [compile_law(law) for law in laws]

    def history(self, code: str) -> list[CompiledLaw]:
        """Every version of `code` (or of `CODE+reform`), oldest first."""
        if code not in self.loaded:
            if "+" in code:
                self.loaded[code] = self._reformed(code)
                return self.loaded[code]
            if code not in self.files:
                raise SomlabNotFoundError("jurisdiction", code, self.codes(), field="jurisdiction")
            laws = self._with_eu_layer(code, _load_code(code, self.files[code]))
            self.loaded[code] = [compile_law(law) for law in laws]
        return self.loaded[code]

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
            problems.append(
                SomlabInputError(
                    f"{code}: version {a.version} (from {a.valid_from}, to {a.valid_to or 'open'}) "
                    f"overlaps version {b.version} (from {b.valid_from}); set valid_to",
                    file=a.file,
                    field="valid_to",
                )
            )
    return problems


def _load_code(code: str, paths: list[Path]) -> list[Law]:
    """The versions of one jurisdiction, checked; all problems are reported together."""
    problems: list[SomlabInputError] = []
    laws: list[Law] = []
    for path in paths:
        try:
            law = load_law(path)
        except SomlabInputError as exc:
            problems.extend(exc.problems or [exc])
            continue
        if law.code != code:
            problems.append(
                SomlabInputError(
                    f"code {law.code!r} does not match its folder {code!r}",
                    file=str(path),
                    field="code",
                )
            )
            continue
        laws.append(law)
    laws.sort(key=lambda law: law.valid_from)
    problems.extend(_check_periods(code, laws))
    raise_problems(problems, f"the {code} law files")
    return laws


def open_corpus(root: Path | None = None) -> Corpus:
    """The corpus at `root`; law files are read when their jurisdiction is first used."""
    root = Path(root) if root else corpus_dir()
    files: dict[str, list[Path]] = {}
    for path in _law_files(root):
        files.setdefault(path.parent.name, []).append(path)
    return Corpus(root=root, files=files)


def load_corpus(root: Path | None = None) -> Corpus:
    """Open the corpus and load every jurisdiction and every reform, applied to each law it
    applies to, now; all problems are reported together."""
    corpus = open_corpus(root)
    if not corpus.files:
        raise SomlabInputError(
            "no law files in the corpus folder (expected CODE/YYYY-MM-DD.yaml)",
            file=str(corpus.root),
        )
    problems: list[SomlabInputError] = []

    def collect(check, *args) -> None:
        try:
            check(*args)
        except SomlabInputError as exc:
            problems.extend(exc.problems or [exc])

    for code in corpus.codes():
        found = len(problems)
        collect(corpus.history, code)
        if len(problems) > found:
            continue  # its treaty status and member states read the same files again
        if code in UN_CODES:
            collect(corpus.treaty_status, code)
        if code == "EU":
            collect(corpus.member_states)
    reform_files = sorted((corpus.root / REFORMS_DIR).glob("*.yaml"))
    for path in reform_files:
        collect(load_reform, path)
    if not problems and reform_files:
        for name, reform in corpus.reforms().items():
            for code in reform.applies_to or corpus.codes():
                if code not in corpus.files:
                    problems.append(
                        SomlabInputError(
                            f"applies_to names {code!r}, which is not in the corpus",
                            file=reform.file,
                            field="applies_to",
                        )
                    )
                    continue
                collect(corpus.history, f"{code}+{name}")
    raise_problems(problems, f"the corpus at {corpus.root}")
    return corpus


@lru_cache(maxsize=4)
def _cached(root: str) -> Corpus:
    return open_corpus(Path(root))


def default_corpus() -> Corpus:
    return _cached(str(corpus_dir()))
