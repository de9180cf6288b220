"""`somlab data fetch` against a local HTTP server serving a fixture."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from somlab.evidence.fetch import DOWNLOADS, FetchError, fetch
from somlab.evidence.ingest import ingest
from somlab.evidence.store import Store

from evidence_fixtures import FIXTURES


@pytest.fixture(scope="module")
def server():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(FIXTURES))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_official_addresses_are_https_publisher_sites():
    assert DOWNLOADS["iom_mmp"].url.startswith("https://missingmigrants.iom.int/")
    assert all(
        d.url.startswith("https://ec.europa.eu/eurostat/")
        for n, d in DOWNLOADS.items()
        if n.startswith("eurostat")
    )


def test_fetch_downloads_and_ingests(server, tmp_path):
    path = fetch("eurostat_migr_eirfs", dest=tmp_path, url=f"{server}/eurostat_eirfs_sdmx.csv")
    assert path.read_bytes() == (FIXTURES / "eurostat_eirfs_sdmx.csv").read_bytes()
    with Store(tmp_path / "s.duckdb") as handle:
        (report,) = ingest([path], handle, DOWNLOADS["eurostat_migr_eirfs"].source)
    assert report.rows_loaded == 2


def test_fetch_failure_saves_nothing(server, tmp_path):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch("iom_mmp", dest=tmp_path, url=f"{server}/absent.xlsx")
    assert list(tmp_path.iterdir()) == []
