"""The indicator catalogue: an indicator is one definition, which computes, charts and is listed
without any other table naming it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from somlab.errors import SomlabNotFoundError
from somlab.evidence import catalogue as catalogue_module
from somlab.evidence.catalogue import CATALOGUE, CHARTS, Indicator, catalogue, indicator
from somlab.evidence.charts import chart_for
from somlab.evidence.indicators import compute, trace
from somlab.evidence.ingest import ingest
from somlab.evidence.measures import CountSum
from somlab.evidence.store import Store

from catalogue_entry import CHANNEL
from evidence_fixtures import fixture


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "evidence.duckdb"
    with Store(path) as handle:
        # arrivals of two publishers, interceptions and Eurostat's enforcement counts
        files = (
            "uk_small_boats_daily.csv",
            "dtm.csv",
            "interceptions.csv",
            "eurostat_eipre_latin1.csv",
        )
        ingest([fixture(name) for name in files], handle)
        yield handle


@pytest.fixture
def with_channel(monkeypatch):
    monkeypatch.setattr(catalogue_module, "CATALOGUE", (*CATALOGUE, CHANNEL))


def test_an_indicator_defined_by_one_entry_computes_and_charts(store, with_channel):
    assert catalogue()[-1]["indicator"] == "channel_crossings"
    assert CHARTS["channel_crossings"] == ("year", "month")
    result = compute("channel_crossings", store, by=list(CHARTS["channel_crossings"]))
    # the fixture: nothing on 1 January, 31 on 2 January, 10 on 1 February (2 February not yet reported)
    assert [(r["year"], r["month"], r["value"]) for r in result["rows"]] == [
        (2020, 1, 31),
        (2020, 2, 10),
    ]
    assert [s["file_name"] for s in result["sources"]] == ["uk_small_boats_daily.csv"]
    drawn = chart_for(result).to_dict()
    assert drawn["title"]["text"] == ["Small-boat crossings of the English Channel,", "2020"]
    assert [(r["period"], r["value"]) for r in drawn["data"]["values"]] == [
        ("2020-01-01", 31),
        ("2020-02-01", 10),
    ]
    rows = trace("channel_crossings", store, where={"month": 2})
    assert [(r["file"], r["field"], r["value"]) for r in rows] == [
        ("uk_small_boats_daily.csv", "migrants_arrived", 10)
    ]


def test_a_count_indicator_sums_only_its_own_measures(store, monkeypatch):
    intercepted = Indicator(
        "intercepted",
        "protect",
        "Boats intercepted",
        "persons",
        "persons intercepted",
        "Sum of interceptions.",
        "Defined in this test only.",
        measure=CountSum(("interceptions",)),
        dims=("year", "route"),
        datasets=("somlab_tidy", "iom_dtm_arrivals"),
        chart=("year",),
    )
    monkeypatch.setattr(catalogue_module, "CATALOGUE", (*CATALOGUE, intercepted))
    result = compute("intercepted", store, by=[])
    # the tidy fixture's Libyan interceptions (May, June; July has no figure), not DTM's arrivals
    assert [r["value"] for r in result["rows"]] == [2000 + 1704]
    assert (
        result["gaps"][0] == "total: 1 of 3 source cells have no value; the sum covers the others"
    )


def test_unknown_indicator_is_not_found_with_the_closest_name():
    with pytest.raises(SomlabNotFoundError) as raised:
        indicator("death_rates")
    assert raised.value.closest == "death_rate" and "dead_missing" in raised.value.known
    with pytest.raises(SomlabNotFoundError):
        compute("death_rates")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"chart": ("year", "border_type")}, "chart by"),
        ({"chart": ()}, "names its chart"),
        ({"objective": "deter"}, "objective"),
    ],
)
def test_an_incomplete_definition_is_refused(change, message):
    with pytest.raises(ValueError, match=message):
        replace(CHANNEL, **change)


def test_every_name_is_defined_once_and_every_objective_has_an_indicator():
    names = [entry.name for entry in CATALOGUE]
    assert len(set(names)) == len(names)
    assert {entry.objective for entry in CATALOGUE} == {
        "prevent",
        "prosecute",
        "protect",
        "cooperate",
    }
