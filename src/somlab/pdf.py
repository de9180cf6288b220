"""Printing an HTML page to PDF with headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from somlab.errors import SomlabInputError

CHROMIUM = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def print_pdf(html: str, out: Path, field: str, missing: str) -> None:
    """Print the page to `out`, without header and footer lines, on the page size the page asks for.
    `missing` is the error shown when no Chromium is installed; `field` the field both errors name."""
    binary = next((p for p in map(shutil.which, CHROMIUM) if p), None)
    if binary is None:
        raise SomlabInputError(missing, field=field)
    with tempfile.TemporaryDirectory() as profile:
        page = Path(profile) / "page.html"
        page.write_text(html, encoding="utf-8")
        done = subprocess.run(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out.resolve()}",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    if done.returncode != 0 or not out.is_file():
        raise SomlabInputError(
            f"Chromium could not print the PDF: {done.stderr.strip()[-300:]}", field=field
        )
