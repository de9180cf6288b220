"""YAML input: an alias bomb, recursive aliases and duplicate keys are clear errors in every
reader (cases, laws, reforms, reviews, register, scenarios), never a hang or a silent choice."""

from __future__ import annotations

import re
import shutil

import pytest

from somlab import yamlio
from somlab.errors import SomlabInputError
from somlab.law.corpus import bundled_corpus_dir

from hardening_kit import assert_input_error, run

# "billion laughs": 9 levels of 9 aliases stand for 9**9 (387 million) strings, in 342 bytes
BOMB = (
    "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [f"{b}: &{b} [{','.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi")]
    )
    + "\n"
)
RECURSIVE = "a: &a [1, *a]\n"
DUPLICATE = "id: first\ndate: 2020-01-01\nid: second\n"


def test_the_bomb_is_small():
    assert len(BOMB.encode()) < 500


@pytest.mark.parametrize(
    "text, message",
    [
        (BOMB, "too large once its aliases are expanded"),
        (RECURSIVE, "recursive alias"),
        (DUPLICATE, "key 'id' appears twice in one mapping (first at line 1)"),
        ("a: " + "[" * 200 + "]" * 200 + "\n", "more than 100 levels deep"),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "malformed YAML"),
        ("n: " + "9" * 5000 + "\n", "malformed YAML"),
    ],
)
def test_parse_refuses_with_the_line(text, message):
    with pytest.raises(SomlabInputError, match=re.escape(message)) as info:
        yamlio.parse(text, "x.yaml")
    assert info.value.file == "x.yaml"


def test_aliases_within_bounds_and_merge_keys_still_read():
    data, node = yamlio.parse("base: &b {x: 1, y: 2}\none: *b\ntwo:\n  <<: *b\n  y: 3\n", "x.yaml")
    assert data == {"base": {"x": 1, "y": 2}, "one": {"x": 1, "y": 2}, "two": {"x": 1, "y": 3}}
    lines = yamlio.line_map(node)
    assert lines["base.x"] == 1 and lines["one"] == 2 and "one.x" not in lines  # shared: once


def test_line_map_walks_a_shared_node_once():
    # within the bound, 9**5 paths once expanded; the map lists the distinct nodes only
    text = BOMB.split("\n")
    _, node = yamlio.parse("\n".join(text[:5]) + "\n", "x.yaml")
    assert len(yamlio.line_map(node)) < 100


def test_condition_parser_builds_a_shared_condition_once():
    from somlab.law.conditions import parse

    leaf = {"fact": "benefit.obtained"}
    level = leaf
    for _ in range(40):  # 2**40 leaves if expanded
        level = {"any": [level, level]}
    condition = parse(level, "test")
    assert condition.items[0] is condition.items[1]


@pytest.fixture
def bomb(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    return path


@pytest.fixture
def duplicate(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text(DUPLICATE, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["bomb", "duplicate"])
def test_case_file(request, name):
    path = request.getfixturevalue(name)
    assert_input_error(run("assess", path), str(path), "line ")


@pytest.mark.parametrize("name", ["bomb", "duplicate"])
def test_review_file(request, name):
    path = request.getfixturevalue(name)
    assert_input_error(run("review", "check", path), str(path))
    assert_input_error(run("review", "report", path), str(path))


@pytest.mark.parametrize("name", ["bomb", "duplicate"])
def test_register_file(request, name):
    path = request.getfixturevalue(name)
    assert_input_error(run("cases", "--register", path), str(path))


def _corpus_with(tmp_path, law_text=None, reform_text=None):
    root = tmp_path / "corpus"
    shutil.copytree(bundled_corpus_dir() / "UN-SOM", root / "UN-SOM")
    if law_text is not None:
        (root / "XX").mkdir()
        (root / "XX" / "2020-01-01.yaml").write_text(law_text, encoding="utf-8")
    if reform_text is not None:
        (root / "reforms").mkdir()
        (root / "reforms" / "bad.yaml").write_text(reform_text, encoding="utf-8")
    return root


@pytest.mark.parametrize("text", [BOMB, DUPLICATE, RECURSIVE])
def test_law_file(tmp_path, text):
    root = _corpus_with(tmp_path, law_text=text)
    assert_input_error(run("law", "check", "--corpus", root), "XX")


@pytest.mark.parametrize("text", [BOMB, DUPLICATE])
def test_reform_file(tmp_path, text):
    root = _corpus_with(tmp_path, reform_text=text)
    assert_input_error(run("law", "check", "--corpus", root), "bad.yaml")
    assert_input_error(run("reform", "list", env={"SOMLAB_CORPUS": str(root)}), "bad.yaml")


@pytest.mark.parametrize("text", [BOMB, DUPLICATE])
def test_scenario_file(tmp_path, text):
    from somlab.sim.scenario import resolve

    folder = tmp_path / "scenario"
    shutil.copytree(resolve("central-mediterranean-2014-2019"), folder)
    (folder / "parameters.yaml").write_text(text, encoding="utf-8")
    result = run("simulate", folder, "--runs", "1", "--scheduler", "inline")
    assert_input_error(result, "parameters.yaml", "not valid YAML")
