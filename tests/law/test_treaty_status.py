"""Entry into force of the Protocols per State (art 22), from the table of deposits."""

from __future__ import annotations

import datetime as dt

import pytest

from somlab.errors import SomlabInputError
from somlab.facts import case_from_mapping
from somlab.law.assess import assess_cases
from somlab.law.corpus import default_corpus
from somlab.law.treaty_status import load_status

PAID_ENTRY = {
    "actor": {"is_smuggled_migrant": False, "is_family_member": False},
    "conduct": {
        "facilitated": ["entry"],
        "intentional": True,
        "document_fraud": "none",
        "attempt_only": False,
        "organized_or_directed": False,
        "rescue_at_sea": False,
    },
    "migrants": {
        "count": 5,
        "nationals_or_residents": False,
        "irregular": True,
        "minors_in_actor_care": False,
    },
    "benefit": {"obtained": True, "exceeds_costs": True},
    "motive": {"humanitarian": False},
}


def test_a_state_is_bound_thirty_days_after_its_deposit():
    status = default_corpus().treaty_status("UN-SOM")
    # Austria deposited on 30 November 2007; its own notice says in force on 30 December 2007
    assert status.bound_from("AT") == dt.date(2007, 12, 30)
    assert status.bound("AT", dt.date(2007, 12, 29)) is False
    assert status.bound("AT", dt.date(2007, 12, 30)) is True


def test_an_early_deposit_counts_from_the_protocols_own_entry_into_force():
    status = default_corpus().treaty_status("UN-SOM")
    early = [
        p.state
        for p in status.parties.values()
        if p.deposit and p.deposit + dt.timedelta(days=30) < status.in_force
    ]
    assert early, "the table has deposits made before the Protocol entered into force"
    assert all(status.bound_from(s) == dt.date(2004, 1, 28) for s in early)


def test_before_the_protocols_entry_into_force_no_state_is_bound_and_unknown_stays_unknown():
    status = default_corpus().treaty_status("UN-SOM")
    assert status.bound("AT", dt.date(2003, 6, 1)) is False
    assert status.bound("ZZ", dt.date(2019, 6, 1)) is None  # absent: unknown, not a non-party
    assert status.bound(None, dt.date(2019, 6, 1)) is None


def test_the_result_says_whether_the_protocol_binds_the_forum():
    corpus = default_corpus()
    before = case_from_mapping({**PAID_ENTRY, "id": "a", "date": "2007-12-01", "forum": "AT"})
    after = case_from_mapping({**PAID_ENTRY, "id": "b", "date": "2008-01-15", "forum": "AT"})
    (a, b) = assess_cases([before, after], ["UN-SOM"], corpus)
    assert a.result("UN-SOM").offence is True  # the Protocol's definition, flagged
    assert a.result("UN-SOM").to_dict()["in_force_for_forum"] is False
    assert b.result("UN-SOM").to_dict()["in_force_for_forum"] is True
    assert b.result("UN-SOM").to_dict()["in_force_for_forum_from"] == "2007-12-30"


def test_no_protocol_based_finding_against_a_state_not_known_to_be_bound():
    corpus = default_corpus()
    # a migrant steering the boat for the other passengers without benefit: an offence under
    # Greek art 29(5) (no benefit element), beyond the Protocol's offence
    own = {
        **PAID_ENTRY,
        "actor": {"is_smuggled_migrant": True, "is_family_member": False},
        "migrants": {
            "count": 30,
            "children": 0,
            "nationals_or_residents": False,
            "irregular": True,
        },
        "benefit": {"obtained": False},
    }
    day = dt.date(2019, 6, 1)
    unknown = [
        c for c in ("IT", "GB", "US", "AU", "NL", "BE") if corpus.bound("UN-SOM", c, day) is None
    ]
    if not unknown:
        pytest.skip("every state of the corpus has a known deposit")
    other = unknown[0]
    greek = assess_cases(
        [case_from_mapping({**own, "id": "gr", "date": day.isoformat(), "forum": "GR"})],
        ["GR", other],
        corpus,
    )[0]
    assert corpus.bound("UN-SOM", "GR", day) is True
    assert greek.result("GR").offence is True
    kinds = {(f.jurisdiction, f.kind) for f in greek.findings}
    assert ("GR", "criminalised_beyond_protocol") in kinds
    assert not any(j == other for j, _ in kinds)


def test_a_bad_table_names_row_and_field(tmp_path):
    path = tmp_path / "UN-SOM.csv"
    path.write_text(
        "state,participant,signature,action,deposit,source_title,source_href,retrieved,note\n"
        "AT,Austria,,ratification,2007-13-30,RIS,https://example.org,2026-12-04,\n"
    )
    with pytest.raises(SomlabInputError) as err:
        load_status(path, "UN-SOM", dt.date(2004, 1, 28))
    assert err.value.row == 2 and err.value.field == "deposit"
