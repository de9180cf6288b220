"""An indicator defined by one catalogue entry is served by the API and drawn on the evidence page
(no table of the web layer names it)."""

from __future__ import annotations

import pytest

from somlab.evidence import catalogue as catalogue_module
from somlab.evidence.catalogue import CATALOGUE
from catalogue_entry import CHANNEL


@pytest.fixture
def with_channel(monkeypatch):
    monkeypatch.setattr(catalogue_module, "CATALOGUE", (*CATALOGUE, CHANNEL))


def test_the_api_lists_and_computes_an_indicator_defined_by_one_entry(client, with_channel):
    listed = client.get("/api/indicators").json()["indicators"]
    assert listed[-1]["indicator"] == "channel_crossings"
    result = client.get("/api/indicators/channel_crossings", params={"by": "year,month"}).json()
    assert [(r["year"], r["month"], r["value"]) for r in result["rows"]] == [
        (2020, 1, 31),
        (2020, 2, 10),
    ]


def test_the_evidence_page_draws_an_indicator_defined_by_one_entry(client, with_channel):
    html = client.get("/evidence").text
    figure = next(f for f in html.split('<figure class="figure"')[1:] if "English Channel" in f)
    assert 'class="chart"' in figure and "uk_small_boats_daily.csv" in figure
