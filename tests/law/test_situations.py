"""Case-file tests of the corpus: every file in situations/ states facts and the expected verdict.

Each case is run through both evaluators (scalar with trace, vectorized) and both must give the
expected verdict. File format:

    jurisdiction: IT            # code (or CODE+reform)
    base: {date: 2020-01-01, actor: {...}, ...}   # facts shared by the cases (deep-merged)
    cases:
      - name: commercial smuggler, all elements met
        facts: {benefit: {obtained: true}}
        expect: {offence: true, aggravated: false, exemptions: [...], missing_facts: [...]}
        # undecided_by: [ids of the unencoded rules that leave the verdict open]
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from somlab.facts import case_from_mapping, merge_facts
from somlab.facts_table import table_from_cases
from somlab.law.conditions import bits_to_paths
from somlab.law.corpus import default_corpus
from somlab.law.scalar import evaluate
from somlab.law.vector import evaluate_versions

HERE = Path(__file__).parent / "situations"
EXPECT_KEYS = {
    "offence",
    "aggravated",
    "exemptions",
    "optional_exemptions",
    "missing_facts",
    "provisions",
    "aggravations",
    "undecided_by",
}


def _collect():
    for path in sorted(HERE.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            yield pytest.param(
                doc["jurisdiction"], doc.get("base", {}), case, id=f"{path.stem}:{case['name']}"
            )


@pytest.mark.parametrize("code,base,spec", list(_collect()))
def test_situation(code, base, spec):
    assert set(spec["expect"]) <= EXPECT_KEYS, (
        f"unknown expect keys {set(spec['expect']) - EXPECT_KEYS}"
    )
    facts = merge_facts(base, spec.get("facts"))
    facts.setdefault("id", spec["name"])
    case = case_from_mapping(facts, file=spec["name"])
    corpus = default_corpus()
    compiled = corpus.at(code, case.date)
    result = evaluate(compiled, case) if compiled else None
    vec = evaluate_versions(corpus.history(code), table_from_cases([case]))
    vec_offence = True if vec.offence_true[0] else False if vec.offence_false[0] else None
    vec_aggravated = True if vec.aggravated_true[0] else False if vec.aggravated_false[0] else None
    expect = spec["expect"]
    if "offence" in expect:
        assert vec_offence is expect["offence"], "vectorized offence"
        if result:
            assert result.offence is expect["offence"], _explain(result)
    if "aggravated" in expect:
        assert vec_aggravated is expect["aggravated"], "vectorized aggravated"
        if result:
            assert result.aggravated is expect["aggravated"], _explain(result)
    if result is None:
        return
    assert sorted(bits_to_paths(vec.missing[0])) == sorted(result.missing_facts)
    rules = [o.rule.id for k, o in enumerate(compiled.open_rules) if int(vec.undecided[0]) >> k & 1]
    assert rules == [u["id"] for u in result.undecided_by]
    if "undecided_by" in expect:
        assert rules == expect["undecided_by"], _explain(result)
    for key in ("exemptions", "optional_exemptions", "missing_facts", "provisions", "aggravations"):
        if key in expect:
            assert sorted(getattr(result, key)) == sorted(expect[key]), _explain(result)


def _explain(result) -> str:
    lines = [f"{s.kind} {s.rule} {s.provision}: {s.test} = {s.value}" for s in result.trace]
    return "\n".join(
        [
            f"offence={result.offence} aggravated={result.aggravated} "
            f"exemptions={result.exemptions} missing={result.missing_facts} "
            f"undecided_by={result.undecided_by}",
            *lines,
        ]
    )
