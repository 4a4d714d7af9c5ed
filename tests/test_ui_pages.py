"""Charts, chart links and the school page through the real Datasette app, on a sample archive whose schools have
registry identity, site states and topics; and the offline rule: no page refers to an asset on another host."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from archive_samples import make_article
from browse_sample import BJM, BPN, SMD, make_sample_archive
from datasette.utils import tilde_encode
from ui_sample import HOSTILE_URL, MOU_URL, add_captures, add_school_data

from archive.charts import Bar, bar_chart, category_bars, month_bars
from archive.db import open_archive
from archive.serve import build_datasette, load_metadata
from archive.store import save_articles

BAR = re.compile(r'<rect class="warta-bar"[^>]*data-label="([^"]*)" data-value="(\d+)"')
# Anything a page would load by itself: scripts, stylesheets, images, frames, fonts, preloads.
ASSET = re.compile(r"""<(?:script|link|img|iframe|source|embed)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)""",
                   re.IGNORECASE)


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory):
    path = make_sample_archive(tmp_path_factory.mktemp("ui") / "archive.db")
    add_captures(path)
    add_school_data(path)
    return build_datasette(path)


def get(ds, path: str):
    response = asyncio.run(ds.client.get(path))
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    return response


def bars(html: str) -> dict[str, int]:
    return {label: int(value) for label, value in BAR.findall(html)}


def school_page(host: str) -> str:
    return f"/archive/sites/{tilde_encode(host)}"


def test_articles_per_month_is_charted_for_all_a_school_and_a_topic(ds) -> None:
    everything = bars(get(ds, "/archive/articles_per_month?" + urlencode({"site": "", "topic": ""})).text)
    assert sum(everything.values()) == 5
    # The months between the old Samarinda article and the recent ones are there as silent (0) bars.
    assert everything["2023-03"] == 1 and everything["2023-04"] == 0
    months = list(everything)
    assert months == sorted(months) and len(months) > 24
    school = bars(get(ds, "/archive/articles_per_month?" + urlencode({"site": SMD, "topic": ""})).text)
    assert school == {"2023-03": 1}
    topic = bars(get(ds, "/archive/articles_per_month?" + urlencode({"site": "", "topic": "kerja-sama"})).text)
    assert sum(topic.values()) == 2 and topic["2023-03"] == 1
    both = bars(get(ds, "/archive/articles_per_month?" + urlencode({"site": BPN, "topic": "kerja-sama"})).text)
    assert list(both.values()) == [1]


def test_sites_by_state_is_charted(ds) -> None:
    assert bars(get(ds, "/archive/sites_by_state").text) == {"ok": 1, "compromised": 1, "parked": 1}


def test_a_query_that_is_not_a_chart_has_no_chart(ds) -> None:
    assert not bars(get(ds, "/archive/quiet_schools").text)


def test_the_database_and_tables_link_to_every_chart(ds) -> None:
    charts = load_metadata()["plugins"]["warta"]["charts"]
    for path in ("/archive", "/archive/articles", "/archive/sites"):
        html = get(ds, path).text
        assert 'class="warta-chart-links"' in html, path
        for name in charts:
            assert f'href="/archive/{name}"' in html, (path, name)


def test_the_school_page_shows_identity_state_timeline_and_latest_articles(ds) -> None:
    html = get(ds, school_page(BJM)).text
    school = html.split('<section class="warta-school">', 1)[1].split("</section>", 1)[0]
    assert "<h2>SMK Negeri 5 Banjarmasin</h2>" in school
    assert "NPSN 30304567 · SMK · negeri" in school and "Kota Banjarmasin, Kalimantan Selatan" in school
    assert "State: <strong>compromised</strong> since 2025-06-20T02:00:00Z: injected gambling spam" in school
    assert sum(bars(school).values()) == 2
    latest = re.findall(r"<li>(\d{4}-\d\d-\d\d): <a href=\"([^\"]+)\"", school)
    assert [url for _, url in latest] == [f"https://{BJM}/read/198/ppdb", f"https://{BJM}/read/199/kunjungan"]
    assert f'href="/-/capture?{urlencode({"url": f"https://{BJM}/read/198/ppdb"})}"' in school


def test_an_articles_school_links_to_the_school_page_when_the_archive_knows_it(ds, tmp_path: Path) -> None:
    assert f'<a class="warta-school-link" href="{school_page(BPN)}">{BPN}</a>' in get(ds, "/archive/articles").text
    db = open_archive(tmp_path / "archive.db")
    save_articles(db, [make_article(url="https://lain.sch.id/berita/1", site="lain.sch.id")])
    db.close()
    html = get(build_datasette(tmp_path / "archive.db"), "/archive/articles").text
    assert "lain.sch.id" in html and "warta-school-link" not in html


def test_the_articles_of_one_school_show_its_timeline(ds) -> None:
    assert sum(bars(get(ds, f"/archive/articles?site={BJM}").text).values()) == 2
    assert not bars(get(ds, "/archive/articles").text)  # the whole archive's chart is a link, not on every page


def test_the_school_page_of_an_unknown_host_is_datasettes_404(ds) -> None:
    response = asyncio.run(ds.client.get(school_page("nowhere.sch.id")))
    assert response.status_code == 404


def test_the_article_row_page_links_its_archived_copy(ds) -> None:
    html = get(ds, f"/archive/articles/{tilde_encode(MOU_URL)}").text
    assert f'<a href="/-/capture?{urlencode({"url": MOU_URL})}">Open the archived copy</a>' in html


@pytest.mark.parametrize("path", [
    "/", "/archive", "/archive/articles", "/archive/sites", school_page(BPN),
    f"/archive/articles/{tilde_encode(MOU_URL)}",
    "/archive/articles_per_month?site=&topic=", "/archive/sites_by_state", "/archive/search_schools?term=mou",
    "/-/capture?" + urlencode({"url": HOSTILE_URL}),
])
def test_no_page_loads_anything_from_another_host(ds, path: str) -> None:
    html = get(ds, path).text
    # Datasette's own <link rel="alternate"> names this server absolutely (localhost, for the test client).
    external = [url for url in ASSET.findall(html)
                if re.match(r"(?:[a-z]+:)?//", url, re.IGNORECASE) and urlsplit(url).hostname != "localhost"]
    assert not external, external
    assert "@import" not in html


def test_every_asset_of_the_plugin_is_served(ds) -> None:
    for path in ("/-/warta.css", "/-/warta-capture.css", "/-/warta-no-image.svg"):
        get(ds, path)


def test_month_bars_fill_silent_months_and_ignore_stray_values() -> None:
    rows = [("2024-11", 2), ("2025-02", 1), (None, 7), ("2025-13", 3), ("garbage", 1)]
    assert month_bars(rows) == [Bar("2024-11", 2), Bar("2024-12", 0), Bar("2025-01", 0), Bar("2025-02", 1)]
    assert len(month_bars([("1970-01", 1), ("2099-12", 1)])) == 600


def test_a_chart_escapes_its_labels_and_says_when_it_is_empty() -> None:
    svg = str(bar_chart(category_bars([("<script>x</script>", 3), (None, 1)]), title="t", unit="n", months=False))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and 'data-label="(none)"' in svg
    assert "Nothing to chart" in bar_chart([], title="t", unit="n", months=True)


def test_the_charts_work_on_a_published_immutable_copy(ds, tmp_path: Path) -> None:
    path = Path(ds.databases["archive"].path)
    published = build_datasette(path, immutable=True)
    assert not published.databases["archive"].is_mutable
    assert sum(bars(get(published, "/archive/articles_per_month?site=&topic=").text).values()) == 5
    assert "warta-school" in get(published, school_page(SMD)).text


def test_the_full_text_indexes_own_tables_are_not_counted(ds) -> None:
    # Counting FTS5's data table reads the whole index in one step no time limit interrupts.
    tables = {table["name"]: table["count"] for table in get(ds, "/archive.json").json()["tables"]}
    assert tables["articles"] == 5 and tables["sites"] == 3 and tables["fetches"] == 7
    for name in ("articles_fts", "articles_fts_data", "articles_fts_idx", "articles_fts_docsize",
                 "articles_fts_config", "articles_stem_fts", "articles_stem_fts_data"):
        assert tables[name] is None, name
