"""Facts the register records from what its sources establish (not at sea, no rescue, minors in
the actor's care, non-profit help, humanitarian aim, movement inside a State): each is explained
in the record's `fact_notes`, and each decides a forum verdict that would otherwise stay open."""

from __future__ import annotations

import dataclasses
import re

import pytest

from somlab.errors import SomlabInputError
from somlab.register.analysis import FORUM, SOM, qualify
from somlab.register.load import load_register, register_from_text
from somlab.register.render import open_reason

# facts the shared case table has no field for: every record that sets one says why
EXPLAINED = (
    "conduct.at_sea",
    "conduct.rescue_at_sea",
    "migrants.minors_in_actor_care",
    "actor.non_profit_organisation",
)


@pytest.fixture(scope="module")
def register():
    return {e.id: e for e in load_register()}


def _without(entry, *paths):
    """The record with these facts made unknown again."""
    facts = {k: v for k, v in entry.case.facts.items() if k not in paths}
    return dataclasses.replace(entry, case=dataclasses.replace(entry.case, facts=facts, memo={}))


def _forum(entry):
    (q,) = qualify([entry])
    return q.verdicts[FORUM]


def test_every_fact_of_the_explained_kinds_has_its_reason(register):
    for e in register.values():
        for path in EXPLAINED:
            if e.case.get(path) is not None:
                assert path in e.fact_notes, (e.id, path)
        if e.case.get("motive.humanitarian") is False:
            assert "motive.humanitarian" in e.fact_notes, e.id


def test_every_fact_note_explains_a_set_fact_and_names_its_publisher(register):
    notes = [(e.id, path, text) for e in register.values() for path, text in e.fact_notes.items()]
    assert len(notes) >= 60
    for case_id, path, text in notes:
        assert register[case_id].case.get(path) is not None, (case_id, path)
        assert re.search(r"\([^)]*[A-Za-z][^)]*\)", text), (case_id, path, text)


@pytest.mark.parametrize(
    "case_id, code, removed, kind",
    [
        # on land: a car stopped at the Swiss border is no rescue at sea, so the unencoded general
        # defences (necessity, duty to rescue) are out of scope and the conviction's offence holds
        ("ch-2018-anni-lanz", "CH", ("conduct.at_sea", "conduct.rescue_at_sea"), "defence"),
        # a crew member recruited by the organisers of a smuggling voyage is not rescuing anyone
        ("au-2010-magaming", "AU", ("conduct.rescue_at_sea",), "defence"),
        # a fee-charging consultancy is no non-profit helper, so (a)(1)(C) is out of scope
        ("us-2013-sineneng-smith", "US", ("actor.non_profit_organisation",), "exemption"),
    ],
)
def test_a_recorded_fact_takes_the_case_out_of_an_unencoded_rule(
    register, case_id, code, removed, kind
):
    """With the fact the verdict is firm; without it an unencoded rule of that kind (a defence
    of necessity or rescue, the US (a)(1)(C) exemption) could change it, so it is open."""
    entry = register[case_id]
    firm = _forum(entry)
    assert (firm.code, firm.offence, firm.offence_undecided_by) == (code, True, ())
    open_ = _forum(_without(entry, *removed))
    assert open_.offence is None
    assert any(u["kind"] == kind for u in open_.offence_undecided_by), open_.offence_undecided_by


@pytest.mark.parametrize(
    "case_id, removed",
    [
        # paying passengers aged 15 to 44 are not minors in the smugglers' actual care (Kinsa)
        ("uk-2019-essex-lorry-deaths", "migrants.minors_in_actor_care"),
        ("it-2023-cutro-shipwreck-scafisti", "migrants.minors_in_actor_care"),
        # a court's finding of exorbitant fees excludes a humanitarian aim (IT c.p. art 54 scope)
        ("it-2023-cutro-shipwreck-scafisti", "motive.humanitarian"),
        # Vietnamese migrants smuggled into Britain are not its nationals or residents
        ("be-2019-essex-lorry-bruges", "migrants.nationals_or_residents"),
    ],
)
def test_a_recorded_fact_decides_a_commercial_smuggling_verdict(register, case_id, removed):
    entry = register[case_id]
    assert _forum(entry).offence is True
    open_ = _forum(_without(entry, removed))
    assert open_.offence is None and removed in open_.offence_missing_facts


def test_a_pilot_who_pleaded_duress_is_outside_the_rescue_defence(register):
    """Bah took the helm of a smuggling crossing; his defence was duress, not rescue. With that
    fact the s 25BA rescue provisions no longer keep the verdict open; it stays open only on
    s 25A, whose scope turns on the number of persons (about 43 to 45, not recorded)."""
    entry = register["uk-2022-ibrahima-bah"]
    firm = _forum(entry)
    assert firm.offence is None and firm.offence_missing_facts == ("migrants.count",)
    assert [u["provision"][:6] for u in firm.offence_undecided_by] == ["s 25A "]
    open_ = _forum(_without(entry, "conduct.rescue_at_sea"))
    assert "conduct.rescue_at_sea" in open_.offence_missing_facts


def test_a_father_crossing_with_his_son_is_outside_the_entry_offence_under_kinsa(register):
    entry = register["gr-2020-samos-father-N"]
    assert entry.case.get("migrants.minors_in_actor_care") is True
    assert _forum(entry).offence is False
    assert _forum(_without(entry, "migrants.minors_in_actor_care")).offence is None


def test_driving_inside_france_is_movement_not_an_entry_under_the_protocol(register):
    entry = register["fr-2016-mannoni"]
    assert entry.case.get("conduct.facilitated") == ["movement"]
    (q,) = qualify([entry])
    assert q.verdicts[SOM].offence is False


def test_an_open_forum_verdict_says_why(register):
    for q in qualify(register.values()):
        v = q.verdicts[FORUM]
        if v.status == "assessed" and v.offence is None:
            reason = open_reason(v)
            assert v.offence_undecided_by or v.offence_missing_facts, q.entry.id
            assert reason and all(f in reason for f in v.offence_missing_facts)
            assert all(u["provision"] in reason for u in v.offence_undecided_by)
        else:
            assert open_reason(v) == ""


def test_a_fact_note_on_an_unset_fact_is_a_located_error():
    text = """\
- id: it-2019-test
  title: A test case
  category: other
  forum: IT
  date: 2019-06-29
  date_precision: day
  facts:
    conduct: {facilitated: [entry], at_sea: false}
  fact_notes:
    conduct.at_sea: A drive by car (Example News).
    conduct.rescue_at_sea: Not a rescue (Example News).
  outcome: {final_status: null, summary: Not known., decided: null}
  charges: [Facilitation]
  sources: [https://example.org/case]
  confidence: low
"""
    with pytest.raises(SomlabInputError) as err:
        register_from_text(text, "notes.yaml")
    rendered = err.value.render()
    assert "notes.yaml, line 11, field 'fact_notes.conduct.rescue_at_sea'" in rendered
    assert "conduct.at_sea'" not in rendered
