"""Every chart on the evidence page offers CSV, PNG and SVG; the CSV is the indicator command's."""

from __future__ import annotations

import html
import re

import typer
from typer.testing import CliRunner

from somlab.evidence import commands


def test_every_chart_offers_downloads_and_the_csv_is_the_commands(client, store_path):
    page = client.get("/evidence").text
    links = [
        html.unescape(link)
        for link in re.findall(r'href="(/api/indicators/[^"]+format=csv)"', page)
    ]
    assert len(links) >= 5
    for fmt, kind in (("png", "image/png"), ("svg", "image/svg+xml")):
        assert f"format={fmt}" in page
        r = client.get(links[0].replace("format=csv", f"format={fmt}"))
        assert r.status_code == 200 and r.headers["content-type"] == kind
    app = typer.Typer()
    commands.register(app)
    link = next(link for link in links if link.startswith("/api/indicators/dead_missing"))
    downloaded = client.get(link)
    assert downloaded.headers["content-disposition"] == 'attachment; filename="dead_missing.csv"'
    shown = CliRunner().invoke(
        app,
        [
            "indicators",
            "show",
            "dead_missing",
            "--by",
            "year,route",
            "--format",
            "csv",
            "--store",
            str(store_path),
        ],
    )
    assert downloaded.text.strip() == shown.output.strip()


def test_a_bad_format_is_refused(client):
    r = client.get("/api/indicators/dead_missing?format=xlsx")
    assert r.status_code == 422 and r.json()["problems"][0]["field"].endswith("format")
