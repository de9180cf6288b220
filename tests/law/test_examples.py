"""The bundled example cases (real cases retold in somlab's words) and their Protocol verdicts."""

from __future__ import annotations

import pytest

from somlab.facts import load_cases
from somlab.law.assess import assess_cases
from somlab.law.commands import example_files

# (UN-SOM offence, UN-SOM aggravated, UN-TIP offence) as the Protocols read the facts
EXPECTED = {
    "family-car-crossing": (False, False, False),  # no benefit; art 5 for her own entry
    "free-passage-pilot": (True, True, False),  # free passage is a benefit; danger to life
    "mountain-volunteer": (False, False, False),  # humanitarian help without benefit
    "rescue-ship-captain": (False, False, False),  # rescue without benefit
    "sealed-trailer": (True, True, False),  # paid smuggling, deaths; no exploitation purpose
    "unknown-benefit-driver": (None, False, False),  # the benefit is not established
}


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.stem)
def test_example_protocol_verdicts(path):
    (case,) = load_cases(path)
    (a,) = assess_cases([case], ["UN-SOM", "UN-TIP"])
    som, tip = a.result("UN-SOM"), a.result("UN-TIP")
    assert (som.offence, som.aggravated, tip.offence) == EXPECTED[case.id]
    if som.offence is None:
        assert "benefit.obtained" in som.missing_facts


def test_every_example_has_an_expectation():
    assert {p.stem for p in example_files()} == set(EXPECTED)
