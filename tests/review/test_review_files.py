"""Review files: validation errors name file, line and field; citations resolve."""

from pathlib import Path

import pytest

from somlab.errors import SomlabInputError
from somlab.review.catalogue import by_id
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
    assert (problem.file, problem.line, problem.field) == (str(path), 8, "evidence")
    assert "without evidence" in problem.message


def test_unknown_status_provision_and_document_without_quote(tmp_path):
    path = _write(tmp_path, "  '16(3)':\n    status: done\n"
                            "  '99':\n    status: unknown\n"
                            "  '19(1)':\n    status: implemented\n    evidence:\n"
                            "    - kind: document\n      title: A report\n      where: somewhere\n"
                            "      quote: ''\n")
    found = {(p.line, p.field) for p in _problems(path)}
    assert (8, "status") in found            # 'done' is not a status
    assert (9, "entries") in found           # '99' is not a provision
    assert (17, "quote") in found            # a document is cited with its words


def test_every_example_is_valid_and_every_non_unknown_status_has_evidence():
    assert len(EXAMPLES) >= 2
    for path in EXAMPLES:
        review = load_review(path)
        check(review)
        assert review.reviewer == "somlab example (computed)"
        for key, entry in review.entries.items():
            assert entry.status in STATUSES
            if entry.status != "unknown":
                assert entry.evidence, (path, key)
            if by_id()[key].cluster != 1:
                assert entry.status == "unknown", (path, key)  # no evidence in the project sets one


def test_citations_that_do_not_resolve_are_reported(tmp_path):
    path = _write(tmp_path, "  '6(1)(a)':\n    status: implemented\n    evidence:\n"
                            "    - kind: corpus\n      law: GB\n      as_of: 2024-06-01\n"
                            "      provision: GB s 99\n"
                            "    - kind: corpus\n      law: GB\n      as_of: 2024-06-01\n"
                            "      provision: GB s 25(1)\n"
                            "      conformity: {key: covers_protocol_offences.6(1)(a), value: false}\n"
                            "    - kind: indicator\n      name: no_such_indicator\n      query: {}\n"
                            "    - kind: indicator\n      name: dead_missing\n"
                            "      query: {by: [planet]}\n"
                            "    - kind: case\n      id: xx-0000-none\n")
    problems = unresolved(load_review(path))
    messages = " | ".join(p.message for p in problems)
    assert len(problems) == 5
    assert "not a provision" in messages and "gives covers_protocol_offences.6(1)(a) = True" in messages
    assert "unknown indicator" in messages and "no dimension 'planet'" in messages
    assert "no case 'xx-0000-none'" in messages
    assert [p.line for p in problems] == [10, 14, 19, 22, 25]
