"""An indicator defined by one catalogue entry and nothing else, for the tests that check that such
an entry computes, charts, is listed by the API and is drawn on the evidence page."""

from __future__ import annotations

from somlab.evidence.catalogue import Indicator
from somlab.evidence.measures import CountSum

CHANNEL = Indicator(
    "channel_crossings",
    "prevent",
    "Small-boat crossings of the English Channel",
    "persons",
    "migrants detected arriving in small boats",
    "Sum of the UK Home Office's daily counts.",
    "Defined in the tests only.",
    measure=CountSum(("arrivals",)),
    dims=("year", "month", "route"),
    datasets=("uk_small_boats",),
    chart=("year", "month"),
)
