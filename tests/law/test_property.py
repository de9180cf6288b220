"""One definition, two evaluators: scalar and vectorized verdicts agree row by row, unknowns too."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from somlab.facts import FACTS, Case
from somlab.facts_table import table_from_cases
from somlab.law.conditions import bits_to_paths
from somlab.law.corpus import default_corpus
from somlab.law.model import UNDETERMINED_EARLIER
from somlab.law.scalar import evaluate
from somlab.law.vector import evaluate_versions


def _value(spec):
    unknown = st.none()
    if spec.kind == "bool":
        return unknown | st.booleans()
    if spec.kind == "enum":
        return unknown | st.sampled_from(spec.choices)
    if spec.kind == "enumlist":
        return unknown | st.lists(st.sampled_from(spec.choices), unique=True, max_size=3)
    if spec.kind == "count":
        return unknown | st.integers(0, 3)
    if spec.kind == "amount":
        return unknown | st.floats(0, 5000)
    if spec.kind == "country":
        return unknown | st.sampled_from(["IT", "GB", "FR"])
    return unknown


FACT_STRATEGY = st.fixed_dictionaries({f.path: _value(f) for f in FACTS if "." in f.path})
DATES = st.dates(dt.date(2001, 1, 1), dt.date(2026, 12, 31))


@st.composite
def cases(draw):
    n = draw(st.integers(1, 25))
    out = []
    for i in range(n):
        facts = {k: v for k, v in draw(FACT_STRATEGY).items() if v is not None}
        out.append(Case(id=f"c{i}", date=draw(DATES), facts=facts))
    return out


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=cases())
def test_scalar_and_vector_agree(batch):
    corpus = default_corpus()
    table = table_from_cases(batch)
    for code in corpus.codes():
        vec = evaluate_versions(corpus.history(code), table)
        for i, case in enumerate(batch):
            compiled = corpus.at(code, case.date)
            if compiled is None:
                first = corpus.history(code)[0].law
                undetermined = (
                    case.date < first.valid_from and first.earlier in UNDETERMINED_EARLIER
                )
                assert vec.offence_false[i] != undetermined and not vec.offence_true[i]
                assert vec.missing[i] == 0 and vec.undecided[i] == 0
                continue
            r = evaluate(compiled, case)
            off = True if vec.offence_true[i] else False if vec.offence_false[i] else None
            agg = True if vec.aggravated_true[i] else False if vec.aggravated_false[i] else None
            assert (r.offence, r.aggravated) == (off, agg), (code, case)
            assert r.missing_facts == bits_to_paths(vec.missing[i]), (code, case)
            rules = compiled.open_rules
            assert [u["id"] for u in r.undecided_by] == [
                o.rule.id for k, o in enumerate(rules) if int(vec.undecided[i]) >> k & 1
            ], (code, case)
            if r.offence is None:
                assert r.missing_facts or r.undecided_by, (
                    "an undetermined verdict names the facts that would decide or the rules not encoded"
                )
