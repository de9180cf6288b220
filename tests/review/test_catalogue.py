"""The obligation catalogue against the Protocol's text."""

import re

import pytest

from somlab.errors import SomlabInputError
from somlab.law.model import normalise_space
from somlab.review.catalogue import (
    by_id,
    catalogue,
    clusters,
    find,
    full_text,
    protocol_text,
    read_strength,
    units,
)
from somlab.review.documents import passages, quote_problem


def _numbered_paragraphs() -> set[str]:
    """Every article, and every numbered paragraph, read from the stored text independently."""
    body = protocol_text().split("Have agreed as follows:")[1].split("IN WITNESS WHEREOF")[0]
    found, article, numbered = set(), None, False
    for line in body.splitlines():
        heading = re.match(r"^### Article\s+(\d+)", line)
        if heading:
            if article is not None and not numbered:
                found.add(article)
            article, numbered = heading.group(1), False
            continue
        paragraph = re.match(r"^(\d+)\.\s", line)
        if paragraph and article is not None:
            found.add(f"{article}({paragraph.group(1)})")
            numbered = True
    if not numbered:
        found.add(article)
    return found


def test_every_article_and_numbered_paragraph_is_catalogued():
    expected = _numbered_paragraphs()
    assert len({p.split("(")[0] for p in expected}) == 25
    assert expected <= set(by_id())
    assert {o.article for o in catalogue()} == set(range(1, 26))


def test_texts_are_verbatim_substrings_of_the_protocol():
    source = normalise_space(protocol_text())
    for o in catalogue():
        assert o.text and o.text in source, o.id


def test_subparagraphs_follow_their_chapeau_and_chapeaux_are_not_units():
    ids = by_id()
    for o in catalogue():
        if o.chapeau is not None:
            assert ids[o.chapeau].unit is False and o.id.startswith(o.chapeau + "(")
    assert {"6(1)(a)", "6(1)(b)", "6(1)(c)", "6(2)(a)", "6(3)(b)", "9(1)(a)", "12(b)", "3(a)"} <= {
        o.id for o in units()
    }
    assert "10(1)(a)" not in ids  # a topic list inside one obligation, kept in 10(1)'s text
    assert "(a) Embarkation and destination points" in ids["10(1)"].text


def test_strength_of_every_entry_is_the_rule_applied_to_its_text():
    for o in catalogue():
        assert read_strength(full_text(o), o.article) == o.strength, o.id


# Read by hand from the treaty text (the operative verb of the paragraph).
HAND_VERIFIED = {
    "3(a)": "definition",  # "shall mean"
    "5": "shall",  # "Migrants shall not become liable"
    "6(1)(a)": "shall",  # chapeau: "Each State Party shall adopt"
    "6(3)(b)": "shall",
    "6(4)": "saving",  # "Nothing in this Protocol shall prevent"
    "8(1)": "shall",  # "may request ... The States Parties so requested shall render"
    "8(2)": "may",  # "may so notify ... The flag State may authorize"
    "8(7)": "shall",  # "may board ... that State Party shall take appropriate measures"
    "11(1)": "shall",  # "shall strengthen, to the extent possible"
    "11(5)": "shall consider",
    "14(3)": "shall endeavour",  # "shall consider providing ... shall make every effort"
    "17": "shall consider",
    "18(1)": "shall",  # "Each State Party agrees to facilitate and accept"
    "18(2)": "shall consider",
    "18(6)": "may",
    "18(7)": "saving",  # "shall be without prejudice to any right"
    "19(1)": "saving",
    "19(2)": "shall",
    "20(1)": "shall endeavour",
    "20(3)": "may",  # "may ... declare"; "shall not be bound" is its effect
    "22(1)": "framework",
}


@pytest.mark.parametrize("provision,strength", sorted(HAND_VERIFIED.items()))
def test_strength_hand_verified_sample(provision, strength):
    assert by_id()[provision].strength == strength


def test_cluster_one_is_cited_from_a_passage_that_lists_its_articles():
    cluster1 = {o.article for o in catalogue() if o.cluster == 1}
    assert cluster1 == {3, 5, 6}
    assert all(o.cluster_basis == "cited" for o in catalogue() if o.cluster == 1)
    [one] = [c for c in clusters() if c.number == 1]
    texts = [passages()[s][1].text for s in one.sources]
    assert any("Articles 3, 5 and 6 of the Smuggling of Migrants Protocol" in t for t in texts)
    assert all(o.cluster is None and not o.unit for o in catalogue() if o.strength == "framework")


def test_every_reviewed_article_cites_its_cluster_or_says_why_it_is_inferred():
    for o in units():
        assert o.cluster is not None, o.id
    for c in clusters():
        for source in c.sources:
            assert quote_problem(source, None) is None, (c.number, source)
        if c.basis == "cited":
            assert c.sources and c.reason is None
        else:
            assert c.basis == "inferred" and len(c.reason) > 40


def test_a_cluster_without_source_or_reason_is_refused(tmp_path, monkeypatch):
    import yaml

    from somlab.review import catalogue as module

    original = module._package_file("obligations.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    data["clusters"][2].pop("reason")
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "obligations.yaml").write_text(
        yaml.safe_dump(data, sort_keys=False), encoding="utf-8"
    )
    monkeypatch.setattr(module, "_package_file", lambda name: folder / name)
    module._load.cache_clear()
    try:
        with pytest.raises(SomlabInputError) as info:
            module.catalogue()
        assert info.value.field == "reason" and info.value.line is not None
    finally:
        module._load.cache_clear()


def test_find_article_and_provision():
    assert [o.id for o in find("6(3)")] == ["6(3)", "6(3)(a)", "6(3)(b)"]
    assert [o.id for o in find("art 13")] == ["13"]
    with pytest.raises(SomlabInputError, match="no article or provision"):
        find("26")
