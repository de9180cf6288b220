"""Reforms are layered on the stored law, validated like it, and change only what they say."""

from __future__ import annotations

import pytest

from somlab.errors import SomlabInputError
from somlab.facts import case_from_mapping
from somlab.law.assess import assess_one
from somlab.law.corpus import default_corpus

BASE = {
    "date": "2019-06-01",
    "actor": {"is_smuggled_migrant": False, "is_family_member": False, "in_organized_group": False},
    "conduct": {
        "facilitated": ["entry"],
        "intentional": True,
        "document_fraud": "none",
        "rescue_at_sea": False,
        "attempt_only": False,
        "organized_or_directed": False,
    },
    "migrants": {"count": 3, "children": 0, "nationals_or_residents": False, "irregular": True},
    "harm": {"endangered_life_or_safety": False},
}


def _case(**over):
    facts = {**BASE, "id": "c"}
    for group, values in over.items():
        facts[group] = {**facts.get(group, {}), **values}
    return case_from_mapping(facts)


def test_humanitarian_exemption_spares_unpaid_help_only():
    corpus = default_corpus()
    helper = _case(benefit={"obtained": False}, motive={"humanitarian": True})
    paid = _case(benefit={"obtained": True}, motive={"humanitarian": True})
    assert assess_one(corpus, helper, "AU").offence is True
    reformed = assess_one(corpus, helper, "AU+humanitarian-exemption")
    assert reformed.offence is False and reformed.exemptions == ["+humanitarian-exemption"]
    assert assess_one(corpus, paid, "AU+humanitarian-exemption").offence is True


def test_profit_element_makes_benefit_constitutive_and_keeps_unknowns():
    corpus = default_corpus()
    unpaid = _case(benefit={"obtained": False}, motive={"humanitarian": False})
    unknown = _case(motive={"humanitarian": False})
    assert assess_one(corpus, unpaid, "GB").offence is True
    assert assess_one(corpus, unpaid, "GB+profit-element").offence is False
    result = assess_one(corpus, unknown, "GB+profit-element")
    assert result.offence is None and "benefit.obtained" in result.missing_facts


def test_reform_does_not_touch_the_stored_law():
    corpus = default_corpus()
    before = [c.law.offences for c in corpus.history("AU")]
    corpus.history("AU+humanitarian-exemption")
    corpus.history("AU+profit-element")
    assert [c.law.offences for c in corpus.history("AU")] == before
    assert all(not c.law.reforms for c in corpus.history("AU"))
    assert all(c.law.reforms == ("profit-element",) for c in corpus.history("AU+profit-element"))


def test_reform_errors_are_clear():
    corpus = default_corpus()
    with pytest.raises(SomlabInputError, match="unknown reform"):
        corpus.history("IT+amnesty")
    with pytest.raises(SomlabInputError, match="applies to EU, not IT"):
        corpus.history("IT+proposal-2023")


def test_eu_proposal_requires_benefit_or_serious_harm():
    corpus = default_corpus()
    unpaid = _case(benefit={"obtained": False})
    dangerous = _case(benefit={"obtained": False}, harm={"endangered_life_or_safety": True})
    assert assess_one(corpus, unpaid, "EU").offence is True
    assert assess_one(corpus, unpaid, "EU+proposal-2023").offence is False
    assert assess_one(corpus, dangerous, "EU+proposal-2023").offence is True
    law = corpus.history("EU+proposal-2023")[0].law
    assert "not read" in law.partial and law.version.endswith("(proposal)")
