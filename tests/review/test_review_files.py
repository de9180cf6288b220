"""Review files: validation errors name file, line and field; citations resolve."""

from pathlib import Path

import pytest

from somlab.errors import SomlabInputError
from somlab.review.catalogue import by_id, units
from somlab.review.citations import check, unresolved
from somlab.review.files import STATUSES, load_review

EXAMPLES = sorted((Path(__file__).parents[2] / "src/somlab/review/examples").glob("*.yaml"))

HEAD = """schema: somlab.review/1
state: GB
as_of: 2024-06-01
reviewer: test
date: 2025-01-01
entries:
"""


def _write(tmp_path, body: str) -> Path:
    path = tmp_path / "review.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def _problems(path: Path) -> list[SomlabInputError]:
    with pytest.raises(SomlabInputError) as info:
        load_review(path)
    return info.value.problems or [info.value]


def test_status_without_evidence_is_refused_with_line_and_field(tmp_path):
    path = _write(tmp_path, "  '16(3)':\n    status: implemented\n")
    [problem] = _problems(path)
    assert (problem.file, problem.line, problem.field) == (str(path), 8, "entries.16(3).status")
    assert "without evidence" in problem.message


def test_unknown_status_provision_and_document_without_passage(tmp_path):
    path = _write(
        tmp_path,
        "  '16(3)':\n    status: done\n"
        "  '99':\n    status: unknown\n"
        "  '19(1)':\n    status: implemented\n    evidence:\n"
        "    - kind: document\n      title: A report\n      quote: ''\n",
    )
    found = {(p.line, p.field) for p in _problems(path)}
    cited = "entries.19(1).evidence[0]"
    assert (8, "entries.16(3).status") in found  # 'done' is not a status
    assert (9, "entries.99") in found  # '99' is not a provision
    assert (14, f"{cited}.passage") in found  # a document is cited by a passage of the register
    assert (15, f"{cited}.title") in found  # the register, not the review, names the document
    assert (16, f"{cited}.quote") in found  # a quote, where given, is words relied on


def test_the_three_examples_are_reviewed_in_full():
    """Italy, Greece and the United Kingdom: every status backed by evidence that resolves, at least
    half of the 54 obligations with a status, an unknown always saying why, and observations."""
    assert sorted(load_review(p).state for p in EXAMPLES) == ["GB", "GR", "IT"]
    for path in EXAMPLES:
        review = load_review(path)
        check(review)
        obligations = [o for o in units() if o.is_obligation]
        assert len(obligations) == 54
        known = [o.id for o in obligations if review.entry(o.id).status != "unknown"]
        assert len(known) >= 27, (path, len(known))
        for key, entry in review.entries.items():
            assert entry.status in STATUSES
            if entry.status != "unknown":
                assert entry.evidence, (path, key)
            elif by_id()[key].is_obligation:
                assert any(n.startswith(("Unknown", "Not computed")) for n in entry.notes), (
                    path,
                    key,
                )
        observed = {
            name
            for e in review.entries.values()
            for name in ("gaps", "good_practices", "suggestions", "assistance_needs")
            if getattr(e, name)
        }
        assert observed >= {"gaps", "suggestions"}, path


def test_citations_that_do_not_resolve_are_reported(tmp_path):
    path = _write(
        tmp_path,
        "  '6(1)(a)':\n    status: implemented\n    evidence:\n"
        "    - kind: corpus\n      law: GB\n      as_of: 2024-06-01\n"
        "      provision: GB s 99\n"
        "    - kind: corpus\n      law: GB\n      as_of: 2024-06-01\n"
        "      provision: GB s 25(1)\n"
        "      conformity: {key: covers_protocol_offences.6(1)(a), value: false}\n"
        "    - kind: indicator\n      name: no_such_indicator\n      query: {}\n"
        "    - kind: indicator\n      name: dead_missing\n"
        "      query: {by: [planet]}\n"
        "    - kind: case\n      id: xx-0000-none\n",
    )
    problems = unresolved(load_review(path))
    messages = " | ".join(p.message for p in problems)
    assert len(problems) == 5
    assert (
        "not a provision" in messages
        and "gives covers_protocol_offences.6(1)(a) = True" in messages
    )
    assert "unknown indicator" in messages and "no dimension 'planet'" in messages
    assert "no case 'xx-0000-none'" in messages
    assert [p.line for p in problems] == [10, 14, 19, 22, 25]
