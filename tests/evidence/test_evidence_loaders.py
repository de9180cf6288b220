"""Loaders: vintages recognised from headers, bad input handled deliberately and counted."""

from __future__ import annotations

import io

import openpyxl
import pytest

from somlab.evidence.errors import DataFileError
from somlab.evidence.loaders import detect_source, dtm, eurostat, frontex, mmp, uk_small_boats
from somlab.evidence.reading import read_table

from evidence_fixtures import fixture


def load(name: str):
    table = read_table(fixture(name))
    module = detect_source(table)
    return module, module.load(table)


def test_mmp_vintages_are_recognised_from_the_header():
    assert load("mmp_2024.csv")[1].vintage == "global-2021"
    module, loaded = load("mmp_2020_old.csv")
    assert (module.NAME, loaded.vintage) == ("iom_mmp", "snapshot-2020")
    routes = {record.route for record in loaded.incidents}
    assert routes == {
        "Eastern Mediterranean",
        "Western Africa / Atlantic route to the Canary Islands",
    }


def test_mmp_bad_rows_are_rejected_with_reasons():
    _, loaded = load("mmp_2024.csv")
    assert loaded.rows_read == 9
    assert loaded.reasons() == {
        "Incident Year: no usable incident date, year or month": 1,
        "Total Number of Dead and Missing: negative count": 1,
        "Incident ID: duplicate incident (first at row 4)": 1,
        "totals row": 1,
    }
    assert len(loaded.incidents) == 5
    warnings = loaded.warning_reasons()
    assert warnings["Incident Date: unparseable date, year and month used"] == 1
    assert warnings["Minimum Estimated Number of Missing: negative count, read as unknown"] == 1
    kept = {record.incident_id: record for record in loaded.incidents}
    assert (kept["2017.MMP004"].year, kept["2017.MMP004"].month) == (2017, 2)  # from the columns
    assert kept["2017.MMP007"].missing is None and kept["2017.MMP007"].dead_missing == 19


def test_wrong_separator_is_detected():
    _, comma = load("mmp_2025.csv")
    _, semicolon = load("mmp_2025_semicolon.csv")
    assert (
        [r.dead_missing for r in semicolon.incidents]
        == [r.dead_missing for r in comma.incidents]
        == [50, 15, 7]
    )


def test_unknown_header_lists_the_columns_it_could_not_map():
    table = read_table(fixture("mmp_renamed_column.csv"))
    with pytest.raises(DataFileError) as error:
        mmp.load(table)
    message = str(error.value)
    assert "mmp_renamed_column.csv, row 1" in message
    assert "Dead or Missing (total)" in message and "Total Number of Dead and Missing" in message


def test_header_of_no_source_is_an_error(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("alpha,beta\n1,2\n")
    with pytest.raises(DataFileError, match="no known source recognises this header.*alpha"):
        detect_source(read_table(path))


def test_latin1_eurostat_with_aggregates_breakdowns_and_not_available():
    table = read_table(fixture("eurostat_eipre_latin1.csv"))
    assert table.encoding == "cp1252"
    loaded = eurostat.load(table)
    assert loaded.vintage == "appsso-eipre"
    facts = {(r.country, r.nationality, r.year): (r.value, r.flag) for r in loaded.counts}
    assert facts[("PT", None, 2015)] == (4750, None)
    assert facts[("PT", "ST", 2015)] == (1405, "d")  # São Tomé decoded, thousands separator read
    assert facts[("PT", "AF", 2015)] == (None, None)  # ':' kept as missing, not zero
    assert facts[("PT", None, 2016)] == (None, None)
    assert loaded.reasons() == {
        "GEO: aggregate area row": 1,
        "CITIZEN: aggregate citizenship row": 1,
        "SEX: breakdown row (SEX=Males)": 1,
    }


def test_sdmx_csv_keeps_totals_only():
    loaded = eurostat.load(read_table(fixture("eurostat_eirfs_sdmx.csv")))
    assert {(r.measure, r.country, r.value, r.flag) for r in loaded.counts} == {
        ("refused_entry", "AT", 460, None),
        ("refused_entry", "GR", 4865, "b"),
    }
    assert loaded.rejected_rows == 2


def test_frontex_routes_harmonised_and_bad_rows_counted():
    loaded = frontex.load(read_table(fixture("frontex.csv")))
    assert {r.route for r in loaded.counts} == {
        "Central Mediterranean",
        "Eastern Mediterranean",
        "Western Mediterranean",
    }
    assert {r.nationality for r in loaded.counts} == {"NG", "ER", "SY", "XK", "OOO"}
    assert loaded.reasons() == {"n: negative count": 1, "t: missing or unparseable month": 1}


def test_dtm_spain_aggregate_rejected_and_na_kept_missing():
    loaded = dtm.load(read_table(fixture("dtm.csv")))
    assert loaded.reasons() == {"geo: aggregate row (Spain = ESP-WMR + ESP-WAAR)": 1}
    malta = [r for r in loaded.counts if r.country == "MT"]
    assert malta[0].value is None


def test_uk_empty_days_are_zero_until_the_last_report():
    loaded = uk_small_boats.load(read_table(fixture("uk_small_boats_daily.csv")))
    assert [r.value for r in loaded.counts] == [0, 31, 10]
    assert loaded.reasons() == {"migrants_arrived: after the last reported period": 1}


def _xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    rows = read_table(fixture("mmp_2025.csv"))
    sheet.append(rows.header)
    for row in rows.rows:
        sheet.append([float(v) if v.replace(".", "", 1).isdigit() else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_is_read_like_csv(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(_xlsx_bytes())
    loaded = mmp.load(read_table(path))
    assert [r.dead_missing for r in loaded.incidents] == [50, 15, 7]
    assert loaded.incidents[0].year == 2016  # float 2016.0 read as a year


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_damaged_xlsx_is_one_clear_error(tmp_path, damage):
    data = _xlsx_bytes()
    path = tmp_path / "export.xlsx"
    path.write_bytes(
        data[: len(data) // 2] if damage == "truncated" else b"PK\x03\x04" + b"\x00garbage" * 50
    )
    with pytest.raises(DataFileError, match="export.xlsx: not a readable spreadsheet"):
        read_table(path)


def test_utf16_and_binary_files(tmp_path):
    utf16 = tmp_path / "utf16.csv"
    utf16.write_text(fixture("frontex.csv").read_text(), encoding="utf-16")
    assert read_table(utf16).encoding == "utf-16"
    assert len(frontex.load(read_table(utf16)).counts) == 5
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"route,n\x00\x00\x01\x02")
    with pytest.raises(DataFileError, match="binary content"):
        read_table(binary)
