"""Conformity profiles against every comparable cell of ../shared/cases/comparative_*.csv.

The cells, the profile keys they map to and the explanation of each disagreement are in
comparative_cells.yaml. Run with `-s` to see the list of agreements and disagreements.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
import yaml

from somlab.conformity.profile import FLAT_KEYS, conformity
from somlab.law.corpus import default_corpus

from shared_data import shared_path

CELLS = Path(__file__).with_name("comparative_cells.yaml")
CAUSES = {"table_age", "law_change", "partial_encoding", "different_reading"}
KEYS = {f"{k}.{s}" if s else k for k, s in FLAT_KEYS}
MIN_COMPARED = 0.95  # (agreements + explained) / comparable: the target
MIN_AGREED = 0.80  # agreements / comparable: 43 of 50 cells agree today (86%)


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _key_value(profile: dict, key: str):
    head, _, sub = key.partition(".")
    return profile[head][sub] if sub else profile[head]


def _where(cell: dict) -> str:
    return f"{cell['table']} {cell['country']} / {cell['row']} / {cell['column']}"


@pytest.fixture(scope="module")
def data() -> dict:
    return yaml.safe_load(CELLS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def outcome(data) -> dict[str, list]:
    """Each cell as agreed / explained / unexplained / stale / not_comparable, with details."""
    corpus = default_corpus()
    dates = sorted({_date(c["as_of"]) for c in data["cells"]})
    profiles = {
        d: {j["jurisdiction"]: j for j in conformity(d, corpus=corpus)["jurisdictions"]}
        for d in dates
    }
    out: dict[str, list] = {
        k: []
        for k in ("agreed", "explained", "unexplained", "stale", "undetermined", "not_comparable")
    }
    for cell in data["cells"]:
        code, as_of = cell["code"], _date(cell["as_of"])
        if code not in corpus.codes():
            out["not_comparable"].append((cell, f"no corpus entry for {code}"))
            continue
        profile = profiles[as_of].get(code)
        if profile is None:
            first = corpus.history(code)[0].law.valid_from
            out["not_comparable"].append(
                (cell, f"no version of {code} in force on {as_of} (encoded from {first})")
            )
            continue
        found = {k: _key_value(profile, k) for k in cell["expect"]}
        differ = {
            k: (v, found[k])
            for k, v in cell["expect"].items()
            if found[k] is not None and found[k] is not v
        }
        unknown = [k for k, v in found.items() if v is None]
        if differ:
            detail = ", ".join(f"{k}: table {t}, profile {p}" for k, (t, p) in differ.items())
            out["explained" if "explained" in cell else "unexplained"].append((cell, detail))
        elif unknown:
            unread = "; ".join(u["provision"] for u in profile["unencoded"]) or "?"
            out["undetermined"].append(
                (
                    cell,
                    f"{', '.join(unknown)} undetermined in "
                    f"{profile['version']} (not encoded: {unread})",
                )
            )
        else:
            out["stale" if "explained" in cell else "agreed"].append((cell, profile["version"]))
    out["not_comparable"] += [(c, c["reason"]) for c in data["not_comparable"]]
    return out


def test_cells_quote_the_tables_and_list_every_cell(data):
    listed = Counter(
        (c["table"], c["country"], c["row"], c["column"])
        for c in data["cells"] + data["not_comparable"]
    )
    assert max(listed.values()) == 1, [k for k, n in listed.items() if n > 1]
    expected = set()
    for table, columns in data["columns"].items():
        with shared_path("cases", table).open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        head = rows[0]
        for row in rows[1:]:
            record = dict(zip(head, row))
            for column in columns:
                if record[column].strip():
                    key = (table, row[0], row[1], column)
                    expected.add(key)
                    entry = next(
                        (
                            c
                            for c in data["cells"] + data["not_comparable"]
                            if (c["table"], c["country"], c["row"], c["column"]) == key
                        ),
                        None,
                    )
                    assert entry is not None, f"cell not listed: {key}"
                    assert entry["value"] == record[column], f"value differs from the table: {key}"
    assert set(listed) == expected, set(listed) - expected


def test_cells_map_to_profile_keys(data):
    for cell in data["cells"]:
        assert cell["expect"], _where(cell)
        for key, value in cell["expect"].items():
            assert key in KEYS, f"{_where(cell)}: unknown profile key {key}"
            assert isinstance(value, bool), f"{_where(cell)}: {key} must be true or false"
        if "explained" in cell:
            assert cell.get("cause") in CAUSES, f"{_where(cell)}: cause one of {sorted(CAUSES)}"
            assert len(cell["explained"]) > 40, _where(cell)
        _date(cell["as_of"])
    for cell in data["not_comparable"]:
        assert cell["reason"], _where(cell)


def _summary(outcome) -> str:
    comparable = sum(len(outcome[k]) for k in ("agreed", "explained", "unexplained", "stale"))
    lines = [
        f"comparable cells: {comparable}; agreements {len(outcome['agreed'])}, explained "
        f"disagreements {len(outcome['explained'])}, unexplained "
        f"{len(outcome['unexplained'])}, stale explanations {len(outcome['stale'])}; "
        f"undetermined by the profile {len(outcome['undetermined'])}; "
        f"not comparable {len(outcome['not_comparable'])}"
    ]
    for cell, version in outcome["agreed"]:
        lines.append(f"  agree       {_where(cell)} ({version} on {cell['as_of']})")
    for cell, detail in outcome["explained"]:
        lines.append(f"  explained   {_where(cell)}: {detail} [{cell['cause']}]")
    for cell, detail in outcome["unexplained"]:
        lines.append(f"  UNEXPLAINED {_where(cell)} on {cell['as_of']}: {detail}")
    for cell, _ in outcome["stale"]:
        lines.append(f"  STALE       {_where(cell)}: agrees now; remove its explanation")
    for cell, reason in outcome["undetermined"]:
        lines.append(f"  undetermined {_where(cell)}: {reason}")
    for cell, reason in outcome["not_comparable"]:
        lines.append(f"  n/c         {_where(cell)}: {reason}")
    return "\n".join(lines)


def test_profiles_agree_with_the_tables(outcome):
    summary = _summary(outcome)
    print(summary)
    agreed, explained = len(outcome["agreed"]), len(outcome["explained"])
    comparable = agreed + explained + len(outcome["unexplained"]) + len(outcome["stale"])
    assert not outcome["unexplained"], summary
    assert not outcome["stale"], summary
    assert comparable > 0
    assert (agreed + explained) / comparable >= MIN_COMPARED, summary
    assert agreed / comparable >= MIN_AGREED, summary


# --- aggregates.md: headline counts across EU Member States ------------------------------------

EU_2014 = {
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GB",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
}
CARRERA_2016 = {"DE", "ES", "FR", "GB", "GR", "HU", "IT", "NL"}  # the states the IOM page names


def _states(as_of: dt.date, codes: set[str]) -> list[dict]:
    corpus = default_corpus()
    doc = conformity(as_of, sorted(codes & set(corpus.codes())), corpus)
    return doc["jurisdictions"]


def _share(states: list[dict], key: str, value: bool) -> tuple[int, int]:
    """How many states have `value` for `key`, of those where the profile determines it."""
    values = [_key_value(s, key) for s in states]
    return values.count(value), len(values) - values.count(None)


def test_aggregates_compare_with_fra_2014():
    """FRA 2014 (via ECRE): no express profit requirement in 24 MS for entry and 13 for stay;
    a humanitarian exemption at entry in about a quarter of the 28 MS."""
    states = _states(dt.date(2014, 4, 1), EU_2014)
    entry = _share(states, "benefit_required.entry", False)
    stay = _share(states, "benefit_required.stay", False)
    humanitarian = _share(states, "humanitarian_exempt.entry", True)
    print(
        f"EU states encoded on 2014-04-01: {sorted(s['jurisdiction'] for s in states)}; of those "
        f"the profile determines, no profit element for entry {entry[0]}/{entry[1]} (FRA 24/28), "
        f"for stay {stay[0]}/{stay[1]} (FRA 13/28); humanitarian exemption at entry "
        f"{humanitarian[0]}/{humanitarian[1]} (FRA about 7/28)"
    )
    assert entry[1] and stay[1] and humanitarian[1]
    # as in FRA: most states have no profit element for entry, fewer lack it for stay, and a
    # minority exempts humanitarian help at entry
    assert entry[0] / entry[1] > 0.5
    assert entry[0] / entry[1] >= stay[0] / stay[1]
    assert humanitarian[0] / humanitarian[1] < 0.5


def test_aggregates_compare_with_carrera_2016():
    """IOM 2016 (Carrera 2016): of the states studied, only Greek and Spanish law have the
    humanitarian clause for those who assist persons in distress (entry)."""
    states = _states(dt.date(2016, 1, 1), CARRERA_2016)
    exempt = {s["jurisdiction"] for s in states if s["humanitarian_exempt"]["entry"] is True}
    print(
        f"humanitarian_exempt.entry on 2016-01-01 among {sorted(s['jurisdiction'] for s in states)}: "
        f"{sorted(exempt)} (IOM: GR, ES; GR art. 30 is not encoded)"
    )
    assert "ES" in exempt and exempt <= {"GR", "ES"}
