"""End to end in headless Chromium (Debian's `chromium` driven by Playwright): every page loads,
the case form asks for missing facts step by step, a jurisdiction opens, a scenario runs.
Screenshots go to test-artifacts/web/. Skipped, saying why, when no Chromium is installed."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
CHROMIUM = os.environ.get("SOMLAB_CHROMIUM") or next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.timeout(120),  # a server or a browser that does not start fails the test
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no chromium binary found (apt-get install chromium, or set SOMLAB_CHROMIUM)",
    ),
]


@pytest.fixture(scope="module")
def base_url(store_path):
    import uvicorn

    from somlab.web.app import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(store_path), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.errors = errors
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield pg
    context.close()
    assert not errors, errors


@pytest.mark.parametrize(
    "path, name",
    [
        ("/", "overview"),
        ("/laws", "laws"),
        ("/laws/IT", "law-IT"),
        ("/assess", "assess"),
        ("/evidence", "evidence"),
        ("/scenarios", "scenarios"),
        ("/cases", "cases"),
        ("/reviews", "reviews"),
    ],
)
def test_every_page_loads(page, base_url, path, name):
    page.goto(base_url + path)
    assert page.locator("h1").inner_text()
    if path in ("/evidence", "/reviews"):
        page.wait_for_selector(".chart svg", timeout=20_000)
    if path == "/assess":
        page.wait_for_selector("#verdicts .verdict")
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


ANSWERS = {
    "conduct.facilitated": ["entry"],
    "conduct.intentional": True,
    "benefit.obtained": True,
    "migrants.irregular": True,
    "migrants.nationals_or_residents": False,
    "actor.is_smuggled_migrant": False,
    "conduct.destination_state": "IT",
    "conduct.document_fraud": "none",
    "benefit.kind": "money",
}


def _answer(page, path: str) -> None:
    box = page.locator(f'.fact[data-path="{path}"]')
    kind = box.get_attribute("data-kind")
    value = ANSWERS.get(path)
    if kind == "bool":
        box.locator(f'input[value="{"true" if value else "false"}"]').check()
    elif kind == "enumlist":
        box.locator(f'input[value="{(value or [""])[0]}"]').check()
    elif kind == "enum":
        box.locator("select").select_option(index=1 if value is None else None, value=value)
    else:
        box.locator("input").fill(
            {"count": "3", "amount": "500", "country": "IT"}.get(kind, str(value))
        )


def test_case_form_step_by_step(page, base_url):
    page.goto(base_url + "/assess")
    page.locator("details.group summary").click()
    for box in page.locator("input[name=jurisdiction]").all():
        box.set_checked(box.get_attribute("value") in ("UN-SOM", "IT"))
    som = page.locator('.verdict[data-jurisdiction="UN-SOM"] h3')
    page.wait_for_function("document.querySelectorAll('#verdicts .verdict').length === 2")
    assert "undetermined" in som.inner_text()
    hidden_before = page.locator(".fact[hidden]").count()
    assert hidden_before > 0  # only the facts still needed are asked
    asked = []
    for step in range(15):
        prompts = page.locator("#next-list a").all_inner_texts()
        if "undetermined" not in som.inner_text() or not prompts:
            break
        first = page.locator("#next-list a").first
        path = first.get_attribute("data-fact")
        asked.append(path)
        first.click()
        focused = page.evaluate("document.activeElement.closest('.fact').dataset.path")
        assert focused == path
        with page.expect_response("**/api/assess**"):
            _answer(page, path)
        page.wait_for_function(
            "!document.getElementById('status').textContent.startsWith('Assessing')"
        )
        after = page.locator("#next-list a").all_inner_texts()
        assert after != prompts, f"step {step}: answering {path} did not change the questions"
        if step == 1:
            page.screenshot(path=ARTIFACTS / "assess-step.png", full_page=False)
    assert "undetermined" not in som.inner_text(), asked
    assert len(asked) == len(set(asked))
    page.screenshot(path=ARTIFACTS / "assess-decided.png", full_page=True)
    with page.expect_download() as download:
        page.locator("#download").click()
    assert download.value.suggested_filename == "my-case.yaml"


def test_form_errors_name_the_field(page, base_url):
    page.goto(base_url + "/assess")
    page.wait_for_selector("#verdicts .verdict")
    page.locator("#f-date").fill("")
    page.locator("#form-errors").wait_for(state="visible")
    assert "date" in page.locator("#form-errors").inner_text()
    assert page.locator("#f-date").get_attribute("aria-invalid") == "true"
    page.errors.remove(
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    )


def test_open_a_jurisdiction_and_sort_the_matrix(page, base_url):
    page.goto(base_url + "/laws")
    header = page.locator("#matrix thead button[data-col='0']")
    header.focus()
    page.keyboard.press("Enter")
    assert page.locator("#matrix thead th").first.get_attribute("aria-sort") == "ascending"
    page.locator("#matrix tbody a", has_text="IT").first.click()
    page.wait_for_url("**/laws/IT**")
    assert page.get_by_role("heading", name="Provisions, verbatim").is_visible()
    assert page.locator("blockquote").count() > 0


def test_run_a_small_scenario(page, base_url):
    page.goto(base_url + "/scenarios")
    page.locator("#runs").fill("2")
    page.locator("#exposure").fill("UN-SOM,IT")
    page.locator("#do-compare").check()
    page.get_by_role("button", name="Run").click()
    page.wait_for_selector("#sim-output table", timeout=90_000)
    assert "criminalised" in page.locator("#sim-output").inner_text()
    assert "variant B against A" in page.locator("#sim-output").inner_text()
    page.wait_for_selector("#sim-output .chart svg", timeout=20_000)
    page.screenshot(path=ARTIFACTS / "scenario.png", full_page=True)
    assert "?job=" in page.url  # the run has an address
    shared = page.context.new_page()
    shared.goto(page.url)
    shared.wait_for_selector("#sim-output table", timeout=30_000)
    assert "criminalised" in shared.locator("#sim-output").inner_text()
    shared.close()


def test_phone_layout_and_keyboard(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(base_url + "/assess")
    page.wait_for_selector("#verdicts .verdict")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.screenshot(path=ARTIFACTS / "assess-phone.png", full_page=False)
    context.close()
