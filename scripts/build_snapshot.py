"""Build the evidence snapshot shipped with the package (src/somlab/data/snapshot/).

Ingests the publishers' files named in SOURCES with the ordinary loaders into a scratch store,
then writes the store's tables as Parquet: the facts of every ingested file (row by row, so that
`somlab indicators trace` still points at the file's rows), the rows not used with their reasons,
and a MANIFEST.json holding, per file, the provenance row plus its licence, attribution, the
publisher's address and the raw file's sha256. Only sources whose terms allow redistribution
with attribution are listed (see docs/evidence.md, "The bundled snapshot").

Usage: python scripts/build_snapshot.py [--data ../shared/data] [--out src/somlab/data/snapshot]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/somlab/data/snapshot"

_IOM_MMP = {
    "licence": "CC BY 4.0",
    "attribution": "IOM Missing Migrants Project",
    "address": "https://missingmigrants.iom.int/downloads",
}
_EUROSTAT = {
    "licence": "Eurostat reuse policy (Commission Decision 2011/833/EU): free reuse with acknowledgement, CC BY 4.0 compatible",
    "attribution": "Source: Eurostat",
    "address": "https://ec.europa.eu/eurostat/databrowser/explore/all/popul?subtheme=migr.migr_man.migr_eil",
}
# file (under the data folder) -> terms; the data vintage is what the publisher's file covers.
SOURCES = {
    "iom_mmp_global_2014-2025/Missing_Migrants_Global_Figures_allData.xlsx": {
        **_IOM_MMP,
        "data_vintage": "IOM export of 2025-05-05",
    },
    "iom_gdidata/csv_derived/frontex.csv": {
        "licence": "Frontex: reproduction authorised provided the source is acknowledged; "
        "compilation by IOM GDI (gdidata R package, MIT licence)",
        "attribution": "Frontex, detections of illegal border-crossings; compiled by IOM Global Data Institute (gdidata)",
        "address": "https://www.frontex.europa.eu/what-we-do/monitoring-and-risk-analysis/migratory-map/",
        "data_vintage": "Frontex file of 2025-06-03",
        "note": "CSV converted from gdidata's frontex.rda (sha256 of the .rda: see raw_sha256)",
        "raw_file": "iom_gdidata/rda/frontex.rda",
    },
    "unhcr_med_arrivals_2014-2019/unhcr_arrivals_12_31.csv": {
        "licence": "CC BY 3.0 IGO (UNHCR Operational Data Portal)",
        "attribution": "UNHCR Operational Data Portal, Mediterranean situation",
        "address": "https://data.unhcr.org/en/situations/mediterranean",
        "data_vintage": "compilation of 2019-12-31",
    },
    "uk_small_boats_2018-2026/long_uk_small_boats_monthly.csv": {
        "licence": "Open Government Licence v3.0 (Home Office data); processing by The National, CC BY 4.0",
        "attribution": "Source: Home Office and Border Force, UK Government - processed by The National",
        "address": "https://www.gov.uk/government/publications/migrants-detected-crossing-the-english-channel-in-small-boats",
        "data_vintage": "provisional figures of 2026-08-21",
    },
    **{
        f"curated/{name}.csv": {
            "licence": "single figures quoted with their publisher and address (facts and short quotations; "
            "no publisher's database is copied)",
            "attribution": "each figure's publisher, as named in its row",
            "address": "each figure's row (the page it was read on)",
            "data_vintage": "figures read in publications up to 2025",
        }
        for name in (
            "libya_coast_guard_interceptions",
            "tunisia_coast_guard_interceptions",
            "italy_sea_arrivals_by_departure_country",
            "italy_scafisti_arrested",
            "frontex_facilitators_detected",
            "europol_smuggling_suspects_arrests",
            "national_smuggler_arrests_tn_el",
            "smuggling_fees_central_med",
        )
    },
    "eurostat_enforcement_2010-2016/migr_eiord_1_Data.csv": {
        **_EUROSTAT,
        "data_vintage": "Eurostat bulk download of 2017",
    },
    "eurostat_enforcement_2010-2016/migr_eiord_Data_allcitizens.csv": {
        **_EUROSTAT,
        "data_vintage": "Eurostat bulk download of 2017",
    },
    "eurostat_enforcement_2010-2016/migr_eipre_1_Data_allcitizens.csv": {
        **_EUROSTAT,
        "data_vintage": "Eurostat bulk download of 2017",
    },
    "eurostat_enforcement_2010-2016/migr_eirfs_Data_allcitizenships.csv": {
        **_EUROSTAT,
        "data_vintage": "Eurostat bulk download of 2017",
    },
    "eurostat_enforcement_2010-2016/migr_eirtn_1_Data.csv": {
        **_EUROSTAT,
        "data_vintage": "Eurostat bulk download of 2017",
    },
    "eurostat_enforcement_2010-2016/migr_eirtn_Data_allcitizens.csv": {
        **_EUROSTAT,
        "data_vintage": "Eurostat bulk download of 2017",
    },
    "eurostat_enforcement_2014-2023/migrants_illegally_present.csv": {
        **_EUROSTAT,
        "data_vintage": "Eurostat SDMX-CSV export of 2025",
    },
    "eurostat_enforcement_2014-2023/migrants_refused_entry_at_the_border.csv": {
        **_EUROSTAT,
        "data_vintage": "Eurostat SDMX-CSV export of 2025",
    },
}


def build(data: Path, out: Path) -> dict:
    from somlab.evidence.ingest import ingest, sha256_of
    from somlab.evidence.snapshot import TABLES, manifest_entry
    from somlab.evidence.store import SCHEMA_VERSION, Store

    missing = [name for name in SOURCES if not (data / name).is_file()]
    if missing:
        raise SystemExit(f"missing under {data}: {', '.join(missing)}")
    out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as scratch,
        Store(Path(scratch) / "snapshot.duckdb") as store,
    ):
        reports = ingest([data / name for name in SOURCES], store)
        files = []
        for (name, terms), _report, row in zip(SOURCES.items(), reports, store.provenance()):
            raw = data / terms.get("raw_file", name)
            files.append(
                manifest_entry(
                    row,
                    {
                        **{k: v for k, v in terms.items() if k != "raw_file"},
                        "raw_file": raw.name,
                        "raw_sha256": sha256_of(raw),
                    },
                )
            )
        for table in TABLES:
            target = out / f"{table}.parquet"
            store.connection.execute(
                f"COPY (SELECT * FROM {table} ORDER BY ALL) TO '{target}' "
                "(FORMAT PARQUET, COMPRESSION ZSTD, COMPRESSION_LEVEL 19)"
            )
    manifest = {
        "schema": "somlab.snapshot/1",
        "store_schema_version": SCHEMA_VERSION,
        "files": files,
    }
    (out / "MANIFEST.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    manifest = build(args.data, args.out)
    size = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"wrote {args.out}: {len(manifest['files'])} files, {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
