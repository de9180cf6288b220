"""Evidence rules per obligation kind: what review init pre-fills and why the rest stays unknown."""

import datetime as dt

import pytest

from somlab.review.catalogue import units
from somlab.review.compute import init_review
from somlab.review.prefill import combine, prefilled, rules


def test_every_reviewed_provision_has_exactly_one_rule():
    covered = [p for r in rules().rules for p in r.provisions]
    assert sorted(covered) == sorted(o.id for o in units())


@pytest.mark.parametrize(
    "statuses,expected",
    [
        (["implemented"], "implemented"),
        (["implemented", "implemented"], "implemented"),
        (["implemented", "not implemented"], "partially"),
        (["partially", "not implemented"], "partially"),
        (["not implemented", "not implemented"], "not implemented"),
        (["not applicable", "implemented"], "unknown"),
    ],
)
def test_passages_combine_into_one_status(statuses, expected):
    assert combine(statuses) == expected


def test_assistance_at_sea_in_italy_is_partial_from_rescue_and_obstruction():
    entry = prefilled("IT", "16(3)", "2019-06-01")
    cited = {e["passage"] for e in entry.evidence if e["kind"] == "document"}
    assert cited == {"it-navy-mare-nostrum-2014#results", "fra-ngo-sar-2018#states"}
    assert entry.status == "partially" and entry.computed
    [deaths] = [e for e in entry.evidence if e["kind"] == "indicator"]
    assert deaths["name"] == "dead_missing"
    assert deaths["query"] == {
        "by": ["year"],
        "to": "2019",
        "where": {"route": "Central Mediterranean"},
    }


def test_an_obligation_without_evidence_stays_unknown_and_says_why():
    entry = prefilled("GB", "8(6)", "2024-06-01")
    assert entry.status == "unknown" and entry.evidence == []
    assert entry.notes[0].startswith("Unknown:") and "designation" in entry.notes[0]


def test_a_document_dated_after_the_review_is_not_used():
    assert prefilled("GR", "16(3)", "2013-12-31").status == "unknown"


def test_init_fills_the_profile_unknowns_from_documents_and_keeps_the_profile_citation():
    review, _ = init_review("GB", dt.date(2024, 6, 1), "test", dt.date(2026, 1, 1))
    entry = review.entry("6(2)(a)")
    assert entry.status == "implemented"
    assert [e["kind"] for e in entry.evidence] == ["document"]
    assert any(n.startswith("Not computed") for n in entry.notes)
    assert review.entry("6(1)(a)").evidence[0]["kind"] == "corpus"  # cluster 1 as computed


def test_reinit_keeps_the_reviewers_observations_on_a_computed_entry():
    review, _ = init_review("IT", dt.date(2019, 6, 1), "test", dt.date(2026, 1, 1))
    review.entries["16(3)"].suggestions = ["Exempt rescue at sea."]
    again, kept = init_review("IT", dt.date(2019, 6, 1), "test", dt.date(2026, 1, 1), review)
    assert again.entry("16(3)").suggestions == ["Exempt rescue at sea."]
    assert again.entry("16(3)").status == "partially" and kept == []
