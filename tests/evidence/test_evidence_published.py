"""Figures published in reports: kept as published with publisher and address, conflicts side by
side; the Libyan full years feed the death-rate base with interceptions."""

from __future__ import annotations

from somlab.evidence.indicators import compute
from somlab.evidence.ingest import ingest
from somlab.evidence.snapshot import load_snapshot
from somlab.evidence.store import Store

from evidence_fixtures import fixture


def test_figures_are_kept_as_published_with_their_address(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        (report,) = ingest([fixture("published_interceptions.csv")], store)
        figures = compute("interceptions", store)
        fees = compute("smuggling_fees", store)
        counted = store.connection.execute(
            "SELECT year, value, flag FROM counts WHERE measure = 'interceptions' ORDER BY year"
        ).fetchall()
    assert report.rows_rejected == 1 and "no publisher or no address" in next(
        iter(report.rejections)
    )
    by_year = {}
    for row in figures["rows"]:
        by_year.setdefault((row["series"], row["year"]), []).append(
            (row["value"], row["publisher"], row["address"])
        )
    # both 2020 figures stay, each with its publisher and address
    assert by_year[("libya_intercepted_returned", 2020)] == [
        (11891, "IOM", "https://example.org/iom-2020"),
        (11259, "Libyan Coast Guard", "https://example.org/lcg-2020"),
    ]
    ytd = next(r for r in figures["rows"] if r["series"] == "libya_intercepted_returned_ytd")
    assert ytd["as_of"] == "2021-06-30" and ytd["coverage"]["complete"] is False
    (fee,) = fees["rows"]
    assert (fee["value"], fee["value_low"], fee["value_high"]) == (None, 5000, 8000)
    # one figure per full year is counted, the preferred publisher's; year-to-date never is
    assert counted == [(2016, 14332, "UNHCR"), (2020, 11891, "IOM")]


def test_central_mediterranean_rates_on_every_base_from_the_snapshot(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        load_snapshot(store)
        rows = compute("death_rate", store, by=["year"], where={"route": "Central Mediterranean"})[
            "rows"
        ]
    rates = {(r["year"], r["base"]): r for r in rows}
    # 2017: 2,853 dead and missing; UNHCR arrivals (Italy, Malta); 15,358 intercepted (UNHCR)
    assert {base for (year, base) in rates if year == 2017} == {
        "arrival",
        "arrival_interception",
        "departure",
    }
    assert rates[(2017, "arrival")]["value"] > rates[(2017, "arrival_interception")]["value"]
    assert rates[(2022, "arrival")]["arrivals_from"] == "italy_sea_arrivals_total"


def test_the_cli_lists_figures_one_by_one_with_publisher_and_address(tmp_path):
    from somlab.evidence.render import to_table

    with Store(tmp_path / "s.duckdb") as store:
        ingest([fixture("published_interceptions.csv")], store)
        text = to_table(compute("interceptions", store))
    assert "2020  libya_intercepted_returned  LY  11,891 (persons; calendar_year)" in text
    assert "      Libyan Coast Guard: https://example.org/lcg-2020" in text
    assert (
        "2021  libya_intercepted_returned_ytd  LY  15,000 (persons; partial_year to 2021-06-30)"
        in text
    )
