"""The observatory out of the box, in headless Chromium: `somlab serve` on an empty store (no
shared data folder anywhere near) shows real figures from the bundled snapshot, with sources and
the period their data cover; an ingest while serving shows without a restart; every page at 1366
and 390 px wide without sideways scroll. Screenshots go to test-artifacts/web/ (or to the folder
in $SOMLAB_SCREENSHOTS, e.g. docs/img). Skipped, saying why, when no Chromium is installed."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from webstore import EVIDENCE_FIXTURES

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("SOMLAB_SCREENSHOTS") or ROOT / "test-artifacts" / "web")
CHROMIUM = os.environ.get("SOMLAB_CHROMIUM") or next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no chromium binary found (apt-get install chromium, or set SOMLAB_CHROMIUM)",
    ),
]
PAGES = [
    ("/", "overview"),
    ("/laws", "laws"),
    ("/laws/IT", "law-IT"),
    ("/laws/IT/reform/humanitarian-exemption", "reform"),
    ("/assess", "assess"),
    ("/cases", "cases"),
    ("/evidence", "evidence"),
    ("/evidence?route=Central%20Mediterranean", "evidence-central-med"),
    ("/scenarios", "scenarios"),
    ("/reviews", "reviews"),
    ("/reviews/IT-2019-06-01", "review-IT"),
    ("/cases/it-2017-iuventa", "case"),
    ("/api/docs", "api-docs"),
]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """`somlab serve` started as a new user would, from a folder with no shared data beside it."""
    home = tmp_path_factory.mktemp("fresh-home")
    store = home / "store" / "evidence.duckdb"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "PYTHONPATH": str(ROOT / "src"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "somlab.cli", "serve", "--port", "0", "--store", str(store)],
        cwd=home,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    for line in proc.stdout:
        lines.append(line)
        found = re.search(r"serving on (http://\S+?)/ ", line)
        if found:
            break
    else:
        pytest.fail("somlab serve did not start: " + "".join(lines))
    host, port = found.group(1).removeprefix("http://").split(":")
    deadline = time.time() + 60
    while time.time() < deadline:  # the address is printed before the app has started
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield found.group(1), store, "".join(lines)
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def test_first_start_fills_the_store_and_the_overview_shows_real_figures(fresh, browser):
    url, _, output = fresh
    assert "filled the empty store" in output and "bundled snapshot" in output
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(url + "/")
    for objective in ("prevent", "prosecute", "protect"):
        card = page.locator(f'section[aria-labelledby="h-{objective}"]')
        figures = card.locator("ul.figures strong").all_inner_texts()
        assert figures and all(re.search(r"\d", f) for f in figures), (objective, figures)
        sources = card.locator(".indicator .source").all_inner_texts()
        assert sources and all("Source:" in s and " data " in s for s in sources), sources
    assert "the latest complete year in the store" in page.locator("main").inner_text()
    page.goto(url + "/evidence?route=Central%20Mediterranean")
    row = page.locator("#fig-dead_missing tbody tr", has_text="2016").first
    cells = [c.strip() for c in row.locator("td").all_text_contents()]
    assert cells == ["2016", "4,574", "complete"], cells  # the route is the page's filter
    page.close()


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("path, name", PAGES)
def test_every_page_fits_its_width(fresh, browser, path, name, width):
    url, _, _ = fresh
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page = context.new_page()
    page.goto(url + path)
    if path.startswith("/evidence") or path == "/reviews":
        page.wait_for_selector(".chart svg", timeout=30_000)
    if path == "/assess":
        page.wait_for_selector("#verdicts .verdict")
    overflow = page.evaluate("document.documentElement.scrollWidth") - width
    page.screenshot(path=SHOTS / f"{name}-{width}.jpg", full_page=True, quality=45)
    if (name, width) == ("overview", 1366):  # the README's picture: the first screen
        page.screenshot(path=SHOTS / "overview.png")
    context.close()
    assert overflow <= 1, f"{path} scrolls sideways by {overflow} px at {width} px"


def _verdicts(page) -> dict[str, str]:
    page.wait_for_function("!document.getElementById('status').textContent.startsWith('Assessing')")
    return {
        card.get_attribute("data-jurisdiction"): card.locator(".verdict-word").inner_text()
        for card in page.locator("#verdicts .verdict").all()
    }


def test_a_case_survives_a_reload_and_defaults_to_the_forums_laws(fresh, browser):
    url, _, _ = fresh
    page = browser.new_page()
    page.goto(url + "/assess")
    page.wait_for_selector("#verdicts .verdict")
    assert set(_verdicts(page)) == {"UN-SOM", "UN-TIP"}  # no forum yet: the two Protocols
    page.locator('.fact[data-path="forum"] input').fill("IT")
    page.wait_for_function("document.querySelectorAll('#verdicts .verdict').length === 4")
    page.locator("#only-needed").uncheck()
    page.locator('.fact[data-path="benefit.obtained"] input[value="true"]').check()
    page.locator('.fact[data-path="conduct.intentional"] input[value="true"]').check()
    with page.expect_response("**/api/assess**"):
        page.locator('.fact[data-path="conduct.facilitated"] input[value="entry"]').check()
    before = _verdicts(page)
    assert set(before) == {"UN-SOM", "UN-TIP", "IT", "EU"}
    address = page.url
    assert "forum=IT" in address and "benefit.obtained=true" in address
    page.reload()
    page.wait_for_selector("#verdicts .verdict")
    assert _verdicts(page) == before and page.url == address
    shared = browser.new_page()  # a shared link: a new page with only the address
    shared.goto(address)
    shared.wait_for_selector("#verdicts .verdict")
    assert _verdicts(shared) == before
    assert shared.locator('.fact[data-path="benefit.obtained"] input[value="true"]').is_checked()


# last: it adds a fixture file to the store that the screenshots above show untouched
def test_an_ingest_while_serving_shows_without_a_restart(fresh, browser):
    url, store, _ = fresh
    page = browser.new_page()
    page.goto(url + "/evidence")
    assert "dtm.csv" not in page.locator("#fig-arrivals figcaption .source").inner_text()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "somlab.cli",
            "data",
            "ingest",
            str(EVIDENCE_FIXTURES / "dtm.csv"),
            "--store",
            str(store),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    page.reload()
    assert "dtm.csv" in page.locator("#fig-arrivals figcaption .source").inner_text()
    page.close()
