"""EU law over national law: the Kinsa ruling read into the offences of bound Member States."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from somlab.errors import SomlabInputError
from somlab.facts import case_from_mapping
from somlab.facts_table import table_from_cases
from somlab.law.assess import assess_one
from somlab.law.corpus import default_corpus
from somlab.law.eu_layer import load_members
from somlab.law.vector import evaluate_versions

KINSA = "CJEU C-460/23 Kinsa (3 June 2025)"
# the facts of C-460/23: a mother brings her daughter and orphaned niece in on false passports
MOTHER = {
    "actor": {
        "role": "family_member",
        "is_smuggled_migrant": True,
        "is_family_member": True,
        "in_organized_group": False,
        "public_official": False,
    },
    "conduct": {
        "facilitated": ["entry"],
        "intentional": True,
        "document_fraud": "possessed",
        "attempt_only": False,
        "organized_or_directed": False,
        "at_sea": False,
        "rescue_at_sea": False,
    },
    "migrants": {
        "count": 3,
        "children": 2,
        "nationals_or_residents": False,
        "irregular": True,
        "minors_in_actor_care": True,
    },
    "benefit": {"obtained": False},
    "motive": {"humanitarian": False, "family_unity": True},
    "harm": {
        "endangered_life_or_safety": False,
        "inhuman_or_degrading_treatment": False,
        "deaths": 0,
        "serious_injury": False,
    },
}


def _case(date: str, **over) -> object:
    facts = {**MOTHER, "id": "k", "date": date}
    for group, values in over.items():
        facts[group] = {**facts[group], **values}
    return case_from_mapping(facts)


def _both(code: str, case) -> tuple:
    corpus = default_corpus()
    scalar = assess_one(corpus, case, code)
    vec = evaluate_versions(corpus.history(code), table_from_cases([case]))
    vector = True if vec.offence_true[0] else False if vec.offence_false[0] else None
    assert scalar.offence is vector, code
    return scalar


@pytest.mark.parametrize("code", ["IT", "FR", "ES", "GR", "NL", "DE", "SE"])
def test_bound_member_states_may_not_criminalise_bringing_in_minors_in_ones_care(code):
    result = _both(code, _case("2023-06-01"))
    assert result.offence is False and KINSA in result.exemptions


def test_a_state_not_bound_keeps_its_own_law_and_an_unknown_one_is_open():
    denmark = _both("DK", _case("2016-06-01"))
    assert denmark.offence is True  # Denmark is not bound by the Directive (recital 8)
    britain = _both("GB", _case("2019-06-01"))
    assert britain.offence is None
    assert [u["id"] for u in britain.undecided_by] == ["eu-kinsa-precludes-national-offences"]
    after_exit = _both("GB", _case("2021-06-01"))
    assert not any(u["id"].startswith("eu-") for u in after_exit.undecided_by)


def test_the_layer_applies_from_the_transposition_deadline():
    corpus = default_corpus()
    starts = [c.law.valid_from for c in corpus.history("IT")]
    assert dt.date(2004, 12, 5) in starts  # the 2002 wording is cut where the layer begins
    assert _both("IT", _case("2004-12-04")).offence is True
    assert _both("IT", _case("2004-12-05")).offence is False


def test_helping_the_stay_too_is_not_the_conduct_the_court_described():
    result = _both("FR", _case("2023-06-01", conduct={"facilitated": ["entry", "stay"]}))
    assert KINSA not in result.exemptions


def test_the_layer_is_added_on_load_never_written_into_the_national_file():
    from somlab.law.model import load_law

    corpus = default_corpus()
    layered = corpus.at("IT", dt.date(2019, 6, 1)).law
    stored = load_law(Path(layered.file))
    assert "EU C-460/23 Kinsa" in layered.provisions
    assert "EU C-460/23 Kinsa" not in stored.provisions
    assert {e.id for e in layered.exceptions} - {e.id for e in stored.exceptions} == {
        "eu-kinsa-precludes-national-offences"
    }


def test_a_bad_member_state_row_names_row_and_field(tmp_path):
    path = tmp_path / "member-states.csv"
    path.write_text(
        "state,status,bound_from,bound_to,source_title,source_href,retrieved,note\n"
        "IT,maybe,2004-12-05,,EU Monitor,https://example.org,2026-12-04,\n"
    )
    with pytest.raises(SomlabInputError) as err:
        load_members(path)
    assert err.value.row == 2 and err.value.field == "status"
