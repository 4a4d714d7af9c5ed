"""The archive in a real headless chromium: `warta serve` as a subprocess on 127.0.0.1, driven by Playwright."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browse_sample import BJM, BPN, make_sample_archive
from datasette.utils import tilde_encode
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from ui_sample import HOSTILE_URL, add_captures, add_school_data

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
# Debian's chromium, not a browser Playwright downloads; flags keep it offline, quiet and runnable as root.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--no-proxy-server",
]
STARTUP_SECONDS = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(process: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"warta serve exited with {process.returncode}: {process.stderr.read()}")
        try:
            if httpx.get(url, trust_env=False, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail(f"warta serve did not answer {url} within {STARTUP_SECONDS}s")


@pytest.fixture(scope="module")
def served_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of `warta serve` running on the sample archive (with its captures beside it, where `warta serve`
    looks by default), as a user would start it."""
    db = make_sample_archive(tmp_path_factory.mktemp("served") / "archive.db")
    add_captures(db)
    add_school_data(db)
    port = free_port()
    command = [sys.executable, "-m", "scraper", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(process, f"{base}/-/versions.json")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium not found on PATH: run `bash scripts/test-deps.sh` (Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def save_screenshot(page: Page, name: str, capsys: pytest.CaptureFixture) -> Path:
    """Keep what the user saw in test-artifacts/ and print its path even when pytest captures output."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    with capsys.disabled():
        print(f"\nscreenshot: {path}")
    assert path.stat().st_size > 10_000
    return path


def submit_search(page: Page, field: str, term: str, *, expected_rows: int) -> Locator:
    """Type `term` into the form field and press Enter, as a user would; returns the result rows."""
    page.fill(field, term)
    page.press(field, "Enter")
    page.wait_for_url(f"**={term}**")
    rows = page.locator("table.rows-and-columns tbody tr")
    expect(rows).to_have_count(expected_rows)
    return rows


def expect_source_link(row: Locator, title: str, href: str) -> None:
    """The row's title is a link to the school's page."""
    link = row.locator("td.col-title a")
    expect(link).to_contain_text(title)
    assert link.get_attribute("href") == href


def test_search_the_articles_table_in_a_browser(served_archive: str, browser: Browser, capsys) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{served_archive}/archive/articles")
    expect(page.locator("h1")).to_contain_text("articles")
    expect(page.locator("table.rows-and-columns tbody tr")).to_have_count(5)

    rows = submit_search(page, "input#_search", "lomba", expected_rows=1)
    expect_source_link(rows.first, "Siswa Juara Lomba LKS Tingkat Provinsi", f"https://{BPN}/2025/lks/")
    expect(page.locator(".facet-info[data-column='site']")).to_contain_text(BPN)
    save_screenshot(page, "datasette-search.png", capsys)

    # The row page shows the article as one record: label / value lines, the body with its paragraphs.
    rows.first.locator("td.col-url a").click()
    record = page.locator("table.warta-record")
    expect(record.locator("tr", has=page.locator("th", has_text="published_source"))).to_contain_text("label")
    expect(record.locator("td.col-body")).to_contain_text("Tiga siswa meraih juara")
    save_screenshot(page, "datasette-article.png", capsys)


def test_stemmed_search_form_in_a_browser(served_archive: str, browser: Browser, capsys) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{served_archive}/archive")
    page.click("text=Search all schools (Indonesian stemming)")
    rows = submit_search(page, "input[name=term]", "menandatangani", expected_rows=3)
    expect_source_link(rows.first, "Penandatanganan MoU", f"https://{BPN}/2025/mou-pama/")
    save_screenshot(page, "datasette-stemmed-search.png", capsys)


def watch_requests(page: Page) -> list[str]:
    """Every URL the page asks for from now on (documents, images, styles, anything)."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    return requested


def other_hosts(requested: list[str], base: str) -> list[str]:
    return [url for url in requested if not url.startswith(f"{base}/")]


def drawn_bars(page: Page) -> list[dict]:
    """The chart's bars as the browser laid them out: label, value and rendered height in pixels."""
    return page.eval_on_selector_all(
        "svg.warta-chart rect.warta-bar",
        "bars => bars.map(bar => ({label: bar.dataset.label, value: Number(bar.dataset.value),"
        " height: bar.getBoundingClientRect().height}))")


def test_a_school_page_in_a_browser(served_archive: str, browser: Browser, capsys) -> None:
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    requested = watch_requests(page)
    page.goto(f"{served_archive}/archive/sites")
    page.click(f"text={BJM}")
    school = page.locator("section.warta-school")
    expect(school.locator("h2")).to_have_text("SMK Negeri 5 Banjarmasin")
    expect(school).to_contain_text("NPSN 30304567")
    expect(school.locator("p.warta-state")).to_contain_text("compromised")
    bars = drawn_bars(page)
    assert sum(bar["value"] for bar in bars) == 2
    assert all(bar["height"] > 20 for bar in bars if bar["value"]), bars  # drawn, not only in the markup
    expect(school.locator("ul.warta-latest li")).to_have_count(2)
    save_screenshot(page, "ui-school-page.png", capsys)
    assert not other_hosts(requested, served_archive)


def test_a_chart_in_a_browser(served_archive: str, browser: Browser, capsys) -> None:
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    requested = watch_requests(page)
    page.goto(f"{served_archive}/archive")
    page.click("nav.warta-chart-links >> text=Chart: articles per month")
    page.fill("input[name=site]", "")
    page.press("input[name=topic]", "Enter")
    page.wait_for_selector("svg.warta-chart")
    bars = drawn_bars(page)
    assert sum(bar["value"] for bar in bars) == 5 and len(bars) > 24  # 2023-03 to now, silent months as 0
    tallest = max(bars, key=lambda bar: bar["value"])
    assert tallest["height"] > 100, tallest
    save_screenshot(page, "ui-chart-articles-per-month.png", capsys)
    page.goto(f"{served_archive}/archive/sites_by_state")
    assert {bar["label"]: bar["value"] for bar in drawn_bars(page)} == {"ok": 1, "compromised": 1, "parked": 1}
    save_screenshot(page, "ui-chart-sites-by-state.png", capsys)
    assert not other_hosts(requested, served_archive)


def test_an_archived_copy_in_a_browser(served_archive: str, browser: Browser, capsys) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    requested = watch_requests(page)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    # From the article's row page, as a reader would get there.
    page.goto(f"{served_archive}/archive/articles/{tilde_encode(HOSTILE_URL)}")
    page.click("text=Open the archived copy")
    page.wait_for_url("**/-/capture?url=*")
    banner = page.locator("header.warta-banner")
    expect(banner).to_contain_text("Archived copy")
    expect(banner).to_contain_text("2025-07-01T08:00:00Z")
    expect(banner.locator("a.warta-live")).to_have_attribute("href", HOSTILE_URL)
    expect(page.locator("main h1")).to_have_text("Siswa Juara Lomba LKS Tingkat Provinsi")
    page.locator("main h1").click()   # its onclick would retitle the page, were it kept
    page.wait_for_timeout(1500)       # time for a meta refresh or a late script, were any kept
    assert page.title() == "Archived: Siswa Juara Lomba LKS Tingkat Provinsi – SMKN 7 Balikpapan"
    assert "/-/capture?url=" in page.url
    # The image the archive holds is shown from the archive; the others are placeholders of this server.
    widths = page.eval_on_selector_all("main img", "images => images.map(image => image.naturalWidth)")
    assert widths == [120, 160, 160, 160], widths
    save_screenshot(page, "ui-archived-copy.png", capsys)
    assert not other_hosts(requested, served_archive), other_hosts(requested, served_archive)
    assert not [text for text in console if "Content Security Policy" in text], console
