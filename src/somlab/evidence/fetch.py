"""Download data sets from their publishers' official addresses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from somlab.errors import SomlabError, SomlabNotFoundError


@dataclass(frozen=True)
class Download:
    source: str
    url: str
    filename: str
    description: str


_EUROSTAT = "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/{table}?format=SDMX-CSV&compressed=false"
DOWNLOADS = {
    "iom_mmp": Download(
        "iom_mmp",
        "https://missingmigrants.iom.int/sites/g/files/tmzbdl601/files/report-migrant-incident/"
        "Missing_Migrants_Global_Figures_allData.xlsx",
        "Missing_Migrants_Global_Figures_allData.xlsx",
        "IOM Missing Migrants Project, all incidents since 2014 (xlsx export)",
    ),
    **{
        f"eurostat_{table}": Download(
            "eurostat_enforcement",
            _EUROSTAT.format(table=table),
            f"{table}.csv",
            f"Eurostat {table} (SDMX-CSV, codes)",
        )
        for table in ("migr_eipre", "migr_eirfs", "migr_eiord", "migr_eirtn")
    },
}


class FetchError(SomlabError, RuntimeError):
    pass


def default_download_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("somlab")) / "downloads"


def fetch(
    name: str, *, dest: Path | None = None, url: str | None = None, timeout: float = 120.0
) -> Path:
    """Download `name` (a key of DOWNLOADS) to dest/DATE_filename; `url` replaces the official address."""
    import httpx

    try:
        download = DOWNLOADS[name]
    except KeyError:
        raise SomlabNotFoundError("download", name, DOWNLOADS) from None
    address = url or download.url
    folder = dest or default_download_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{dt.date.today():%Y-%m-%d}_{download.filename}"
    partial = target.with_name(target.name + ".part")
    try:
        with httpx.stream(
            "GET",
            address,
            follow_redirects=True,
            timeout=timeout,
            headers={"User-Agent": "somlab (open observatory; +https://pypi.org/project/somlab)"},
        ) as response:
            if response.status_code != 200:
                raise FetchError(
                    f"{address} answered HTTP {response.status_code}; nothing was saved"
                )
            with partial.open("wb") as handle:
                for chunk in response.iter_bytes():
                    handle.write(chunk)
    except httpx.HTTPError as error:
        partial.unlink(missing_ok=True)
        raise FetchError(f"could not download {address}: {error}") from error
    if partial.stat().st_size == 0:
        partial.unlink()
        raise FetchError(f"{address} returned an empty file; nothing was saved")
    partial.replace(target)
    return target
