"""The register of real cases and `somlab cases`: loading, fidelity to the shared case table,
unknowns kept unknown, aggregates that match a recount, located errors and the CLI contract."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from somlab.errors import SomlabInputError
from somlab.law.assess import assess_cases
from somlab.register import commands
from somlab.register.analysis import ASSESSED, FORUM, LABELS, SOM, TIP, qualify, summarise, tally
from somlab.register.load import CATEGORIES, load_register, register_from_text

from shared_data import shared_path


@pytest.fixture(scope="module")
def register():
    return load_register()


@pytest.fixture(scope="module")
def qualified(register):
    return qualify(register)


@pytest.fixture(scope="module")
def shared():
    records = yaml.safe_load(shared_path("cases", "cases.yaml").read_text(encoding="utf-8"))
    return {r["id"]: r for r in records}


@pytest.fixture(scope="module")
def cli():
    app = typer.Typer()
    commands.register(app)
    app.command("noop", hidden=True)(lambda: None)  # keeps `cases` a named sub-command
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["cases", *args])


def test_the_register_loads_every_case_with_sources(register):
    assert len(register) == 50
    assert len({e.id for e in register}) == 50
    for e in register:
        assert e.sources and all(s.startswith(("http://", "https://")) for s in e.sources)
        assert e.charges and e.outcome.summary
        assert e.category in CATEGORIES
        assert e.case.facts.get("forum") == e.forum
        if e.date_precision != "day":
            assert e.date_note


def test_every_record_matches_the_shared_table(register, shared):
    assert {e.id for e in register} == set(shared)
    for e in register:
        record = shared[e.id]
        assert e.category == record["category"], e.id
        assert e.outcome.final_status == record["final_status"], e.id
        assert set(e.sources) <= set(record["source"]), e.id


def test_no_benefit_is_recorded_only_where_a_source_says_so(register, shared):
    for e in register:
        if e.case.get("benefit.obtained") is False:
            assert shared[e.id]["financial_benefit"]["alleged"] is False, e.id


def test_no_harm_is_never_inferred_from_silence(register):
    for e in register:
        for fact in ("harm.endangered_life_or_safety", "harm.inhuman_or_degrading_treatment"):
            assert e.case.get(fact) is not False, (e.id, fact)


@pytest.mark.parametrize(
    "case_id, unknown",
    [
        # checked by hand against ../shared/cases/cases.yaml: the sources state none of these facts
        ("it-2017-iuventa", ["benefit.obtained", "migrants.count", "migrants.irregular"]),
        ("it-2019-rackete-seawatch3", ["benefit.obtained", "migrants.count"]),
        ("fr-2016-herrou", ["benefit.obtained", "motive.humanitarian"]),
        ("eu-2023-cjeu-c460-23-kinsa", ["benefit.obtained", "motive.family_unity"]),
        ("gr-2023-samos-MA", ["benefit.obtained"]),  # "no evidence of profit" is not "no benefit"
        ("uk-2021-bani-small-boat-appeals", ["conduct.facilitated", "migrants.irregular"]),
        ("it-2022-corte-cost-63", ["actor.role", "actor.is_family_member"]),
        ("be-2017-hebergeurs-hosts", ["benefit.obtained"]),  # "none alleged" is not "none"
    ],
)
def test_facts_absent_from_the_sources_stay_unknown(register, case_id, unknown):
    entry = next(e for e in register if e.id == case_id)
    for fact in unknown:
        assert entry.case.get(fact) is None, (case_id, fact)


@pytest.mark.parametrize(
    "case_id, fact, value",
    [
        ("ch-2018-anni-lanz", "benefit.obtained", False),  # court: purely unselfish
        ("au-2009-szrhh-siev38", "benefit.obtained", False),  # SHERLOC: no benefit received
        ("it-2013-catania-boat-driver-1313", "benefit.kind", "in_kind"),  # free passage
        ("gr-2016-proem-aid-team-humanity", "migrants.count", 0),  # no one on board
        ("uk-2019-essex-lorry-deaths", "harm.deaths", 39),
    ],
)
def test_stated_facts_are_recorded(register, case_id, fact, value):
    assert next(e for e in register if e.id == case_id).case.get(fact) == value


def test_verdicts_are_the_engine_verdicts(register, qualified):
    """UN-SOM and UN-TIP verdicts recomputed directly from the engine."""
    for entry, q in zip(register, qualified):
        direct = assess_cases([entry.case], [SOM, TIP])[0]
        for code in (SOM, TIP):
            result = next((r for r in direct.results if r.jurisdiction == code), None)
            verdict = q.verdicts[code]
            if result is None or result.version is None:
                assert verdict.status != ASSESSED
            else:
                assert (verdict.offence, verdict.aggravated) == (result.offence, result.aggravated)


def test_summary_counts_agree_with_a_recount(qualified):
    summary = summarise(qualified)
    som = [q.verdicts[SOM] for q in qualified]
    assert len(summary["protocol_not_required"]["ids"]) == sum(
        v.status == ASSESSED and v.offence is False for v in som
    )
    assert len(summary["protocol_required"]["ids"]) == sum(
        v.status == ASSESSED and v.offence is True for v in som
    )
    assert len(summary["protocol_undetermined"]["ids"]) == sum(
        v.status == ASSESSED and v.offence is None for v in som
    )
    for label in LABELS:
        assert sum(summary["verdicts"][label].values()) == len(qualified)
        for group in ("by_category", "by_outcome"):
            totals = Counter()
            for g in summary[group].values():
                totals.update(g["verdicts"][label])
            assert dict(totals) == {k: v for k, v in summary["verdicts"][label].items() if v} | {
                k: 0 for k, v in summary["verdicts"][label].items() if not v and k in totals
            }
    expected = Counter(
        f
        for v in som
        if v.status == ASSESSED and v.offence is None
        for f in v.offence_missing_facts
    )
    assert {m["fact"]: m["cases"] for m in summary["missing_facts"][SOM]} == dict(expected)
    assert summary["findings"] == dict(Counter(f.kind for q in qualified for f in q.findings))


def test_undetermined_is_never_counted_as_not_an_offence(qualified):
    summary = summarise(qualified)
    undetermined = set(summary["protocol_undetermined"]["ids"])
    assert undetermined and undetermined.isdisjoint(summary["protocol_not_required"]["ids"])
    for q in qualified:
        if q.entry.id in undetermined:
            assert q.verdicts[SOM].offence is None and q.verdicts[SOM].offence_missing_facts


def test_a_forum_absent_from_the_corpus_is_not_encoded_not_innocent():
    text = _record(forum="ZZ")
    (q,) = qualify(register_from_text(text, "one.yaml"))
    assert q.verdicts[FORUM].status == "not_encoded"
    assert q.verdicts[FORUM].offence is None
    assert tally([q.verdicts[FORUM]])["not_offence"] == 0


def _record(forum: str = "IT", benefit: str = "null", category: str = "other") -> str:
    return f"""\
- id: it-2019-test
  title: A test case
  category: {category}
  forum: {forum}
  date: 2019-06-29
  date_precision: day
  facts:
    conduct: {{facilitated: [entry], intentional: true}}
    migrants: {{count: 2, nationals_or_residents: false, irregular: true}}
    benefit:
      obtained: {benefit}
  outcome: {{final_status: null, summary: Not known., decided: null}}
  charges: [Facilitation]
  sources: [https://example.org/case]
  confidence: low
"""


def test_unknown_benefit_leaves_the_protocol_verdict_open():
    (q,) = qualify(register_from_text(_record(), "one.yaml"))
    assert q.verdicts[SOM].offence is None
    assert "benefit.obtained" in q.verdicts[SOM].offence_missing_facts


def test_a_bad_register_names_file_line_and_field(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(_record(benefit="maybe", category="pirates"), encoding="utf-8")
    with pytest.raises(SomlabInputError) as err:
        load_register(bad)
    text = err.value.render()
    assert str(bad) in text
    assert "line 3, field 'category'" in text and "pirates" in text
    assert "line 11, field 'facts.benefit.obtained'" in text and "maybe" in text


def test_missing_fields_and_duplicates_are_reported(tmp_path: Path):
    record = _record()
    text = record + record.replace("  sources: [https://example.org/case]\n", "")
    with pytest.raises(SomlabInputError) as err:
        register_from_text(text, "dup.yaml")
    rendered = err.value.render()
    assert "dup.yaml, line 16, field 'sources': required field is missing" in rendered
    with pytest.raises(SomlabInputError, match="duplicate id"):
        register_from_text(record + record, "dup.yaml")


def test_a_rough_date_needs_a_note():
    text = _record().replace("date_precision: day", "date_precision: year")
    with pytest.raises(SomlabInputError, match="field 'date_precision'.*date_note"):
        register_from_text(text, "r.yaml")


def test_cli_json_contract(cli):
    res = cli("--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["schema"] == "somlab.cases/1"
    assert len(doc["cases"]) == 50
    for case in doc["cases"]:
        assert {
            "id",
            "title",
            "forum",
            "date",
            "category",
            "outcome",
            "verdicts",
            "findings",
        } <= set(case)
        assert set(case["verdicts"]) == {"UN-SOM", "UN-TIP", "forum"}
        for v in case["verdicts"].values():
            assert {"offence", "aggravated", "missing_facts", "status"} <= set(v)
    assert {
        "cases",
        "protocol_not_required",
        "protocol_undetermined",
        "verdicts",
        "missing_facts",
        "by_category",
        "by_outcome",
        "findings",
    } <= set(doc["summary"])


def test_cli_filters(cli):
    res = cli("--forum", "GB", "--category", "migrant_driver", "--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["cases"] and all(
        c["forum"] == "GB" and c["category"] == "migrant_driver" for c in doc["cases"]
    )
    assert doc["summary"]["cases"] == len(doc["cases"])


@pytest.mark.parametrize("fmt", ["table", "md", "csv"])
def test_cli_text_formats(cli, fmt):
    res = cli("--category", "ngo_sar", "--format", fmt)
    assert res.exit_code == 0, res.output
    assert "it-2017-iuventa" in res.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--category", "pirates"], "unknown category"),
        (["--forum", "XX"], "no case with forum"),
        (["--format", "pdf"], ""),
    ],
)
def test_cli_bad_input_exits_2(cli, args, message):
    res = cli(*args)
    assert res.exit_code == 2
    assert message in res.output


def test_cli_bad_register_file_exits_2(cli, tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(_record(category="pirates"), encoding="utf-8")
    res = cli("--register", str(bad))
    assert res.exit_code == 2
    assert "field 'category'" in res.output
