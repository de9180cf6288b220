"""The conformity mechanism: the Protocol's own profile, reforms, agreement with `assess`, dated
changes of a law, and the `somlab conformity` command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import typer
from typer.testing import CliRunner

import somlab
from somlab.conformity import commands
from somlab.conformity.battery import load_battery
from somlab.conformity.diff import reform_diff
from somlab.conformity.profile import FLAT_KEYS, conformity, flat_value

DAY = dt.date(2025, 1, 1)
EXEMPTIONS = (
    "benefit_required",
    "humanitarian_exempt",
    "rescue_at_sea_exempt",
    "smuggled_migrant_exempt",
    "family_exempt",
)
PROFILE_KEYS = {
    "jurisdiction",
    "version",
    *EXEMPTIONS,
    "aggravations",
    "covers_protocol_offences",
    "deviations",
}
DEVIATION_KEYS = {"article", "kind", "conduct", "provisions", "detail"}


def _flat(profile: dict) -> dict:
    return {f"{k}.{s}" if s else k: flat_value(profile, k, s) for k, s in FLAT_KEYS}


def _profile(code: str, day: dt.date) -> dict:
    return next(j for j in conformity(day, [code])["jurisdictions"] if j["jurisdiction"] == code)


@pytest.fixture(scope="module")
def doc() -> dict:
    return conformity(DAY)


def test_the_protocol_conforms_to_itself(doc):
    un = next(j for j in doc["jurisdictions"] if j["jurisdiction"] == "UN-SOM")
    assert un["deviations"] == []
    keys = _flat(un)
    assert all(keys[k] is True for k in keys if k.split(".")[0] in EXEMPTIONS)
    assert all(un["covers_protocol_offences"].values())
    assert un["aggravations"]["endangerment"] and un["aggravations"]["inhuman_treatment"]


def test_humanitarian_exemption_reform_flips_the_humanitarian_and_rescue_keys():
    day = dt.date(2016, 6, 1)
    before = _flat(_profile("GB", day))
    # rescue at sea is open before the reform: the general defences of the criminal law (necessity)
    # are declared unencoded for rescue cases
    assert before["humanitarian_exempt.entry"] is False and before["rescue_at_sea_exempt"] is None
    diff = reform_diff("GB+humanitarian-exemption", day)
    changed = {k["key"]: (k["before"], k["after"]) for k in diff["changed_keys"]}
    assert changed == {
        "humanitarian_exempt.entry": (False, True),
        "humanitarian_exempt.transit": (False, True),
        "humanitarian_exempt.stay": (False, True),
        "rescue_at_sea_exempt": (None, True),
    }
    assert diff["deviations_after"] == diff["deviations_before"] - 3
    assert {c["id"] for c in diff["changed_cases"]} >= {"humanitarian-entry", "rescue-at-sea"}


def test_profit_element_reform_makes_the_benefit_required():
    assert _profile("GB", DAY)["benefit_required"] == {
        "entry": False,
        "transit": False,
        "stay": False,
    }
    assert _profile("GB+profit-element", DAY)["benefit_required"] == {
        "entry": True,
        "transit": True,
        "stay": True,
    }
    diff = reform_diff("GB+profit-element", DAY)
    assert {"benefit_required.entry", "benefit_required.transit", "benefit_required.stay"} <= {
        k["key"] for k in diff["changed_keys"]
    }


def _not(value: bool | None) -> bool | None:
    return None if value is None else not value


def _all3(values: list) -> bool | None:
    return False if False in values else True if all(v is True for v in values) else None


def test_profile_keys_agree_with_assess_on_the_battery(doc):
    battery = load_battery()
    profiles = {j["jurisdiction"]: j for j in doc["jurisdictions"]}
    covered: dict[tuple[str, str], list] = {}
    for case_id, role, facts in zip(battery.ids, battery.roles, battery.facts):
        kind, _, target = role.partition(":")
        verdicts = somlab.assess({**facts, "id": case_id, "date": DAY.isoformat()}, list(profiles))
        for result in next(iter(verdicts)).results:
            profile = profiles[result.jurisdiction]
            where = f"{result.jurisdiction} on {case_id}"
            if kind == "decides":  # an exemption-style key: true when the case is no offence
                head, _, sub = target.partition(".")
                key = profile[head][sub] if sub else profile[head]
                assert key is _not(result.offence), where
            elif kind == "covers":
                covered.setdefault((result.jurisdiction, target), []).append(result.offence)
            else:
                aggravated = (
                    True
                    if target in result.aggravations
                    else None
                    if target in result.aggravations_open
                    else False
                )
                assert profile["aggravations"][target] is aggravated, where
    assert covered
    for (code, paragraph), offences in covered.items():
        assert profiles[code]["covers_protocol_offences"][paragraph] is _all3(offences), (
            f"{code} on {paragraph}"
        )


@pytest.mark.parametrize(
    "code, change, keys",
    [
        # recodification: L. 823-3 read in its 2021 wording (loi n° 2024-42 only added a paragraph);
        # before it, the aggravations of L. 622-5 were not read (open); 5° (minors) has no fact
        (
            "FR",
            dt.date(2021, 5, 1),
            {
                "aggravations.endangerment": True,
                "aggravations.inhuman_treatment": True,
                "aggravations.organized_group": True,
                "aggravations.children": None,
            },
        ),
        # L. 94/2009: three or more persons acting together aggravates comma 1 (in 2002 it was an
        # alternative form of the comma 3 offence)
        ("IT", dt.date(2009, 8, 8), {"aggravations.organized_group": True}),
        # Law 5038/2023: arts 24-25 not read, every key opens
        (
            "GR",
            dt.date(2023, 4, 1),
            {
                "benefit_required.entry": None,
                "benefit_required.transit": None,
                "benefit_required.stay": None,
                "humanitarian_exempt.entry": None,
                "humanitarian_exempt.transit": None,
                "humanitarian_exempt.stay": None,
                "family_exempt": None,
                "aggravations.endangerment": None,
                "aggravations.inhuman_treatment": None,
                "aggravations.organized_group": None,
                "aggravations.children": None,
                "aggravations.death": None,
                "covers_protocol_offences.6(1)(a)": None,
                "covers_protocol_offences.6(1)(b)": None,
                "covers_protocol_offences.6(1)(c)": None,
            },
        ),
    ],
)
def test_as_of_follows_the_dated_versions(code, change, keys):
    """The day before a new version and its first day differ in exactly the keys it changes."""
    before = _flat(_profile(code, change - dt.timedelta(days=1)))
    after = _flat(_profile(code, change))
    assert {k for k in before if before[k] != after[k]} == set(keys)
    assert {k: after[k] for k in keys} == keys


@pytest.fixture(scope="module")
def cli():
    app = typer.Typer()
    commands.register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_json_output_follows_the_schema(cli):
    res = cli("conformity", "--as-of", "2025-01-01", "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["schema"] == "somlab.conformity/1" and out["as_of"] == "2025-01-01"
    for profile in out["jurisdictions"]:
        assert PROFILE_KEYS <= set(profile), profile["jurisdiction"]
        for key in ("benefit_required", "humanitarian_exempt"):
            assert set(profile[key]) == {"entry", "transit", "stay"}
        for deviation in profile["deviations"]:
            assert DEVIATION_KEYS <= set(deviation)
            assert deviation["provisions"], deviation
    gb = next(p for p in out["jurisdictions"] if p["jurisdiction"] == "GB")
    # s. 25BA(3)(a) (delivery to the UK when not the nearest place of safety) is not encoded
    assert gb["rescue_at_sea_exempt"] is None and gb["family_exempt"] is False
    assert "s-25BA-3-a-delivery" in {u["id"] for u in gb["unencoded"]}


@pytest.mark.parametrize("fmt", ["csv", "md", "table"])
def test_other_formats(cli, fmt):
    res = cli("conformity", "--as-of", "2016-06-01", "--format", fmt, "-j", "UN-SOM,FR")
    assert res.exit_code == 0, res.output
    assert "FR" in res.stdout
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(res.stdout)))
        assert [r["jurisdiction"] for r in rows] == ["UN-SOM", "FR"]
        fr = _flat(_profile("FR", dt.date(2016, 6, 1)))
        assert {k: rows[1][k] for k in fr} == {
            k: "" if v is None else str(v).lower() for k, v in fr.items()
        }
    if fmt == "md":
        assert res.stdout.startswith(
            "# Conformity with the Smuggling of Migrants Protocol, as of 2016-06-01"
        )


@pytest.mark.parametrize(
    "as_of, message",
    [
        ("2016-13-01", "expected a date YYYY-MM-DD"),
        ("yesterday", "expected a date YYYY-MM-DD"),
        ("2003-01-01", "the Protocol is not in force on 2003-01-01"),
    ],
)
def test_bad_as_of_exits_2_with_a_message(cli, as_of, message):
    res = cli("conformity", "--as-of", as_of)
    assert res.exit_code == 2
    assert message in res.output and "Traceback" not in res.output
