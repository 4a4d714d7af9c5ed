"""The frontier on its own (what to fetch next, no I/O) and the one-way arrows between the crawl's modules."""

from __future__ import annotations

import ast
from pathlib import Path

from scraper.config import SiteConfig
from scraper.crawl.fetch import FetchResult
from scraper.crawl.frontier import Frontier
from scraper.crawl.long_tail import LISTINGS_FIRST

SCRAPER = Path(__file__).resolve().parents[1] / "scraper"
SITE = SiteConfig(name="SMA Contoh", url="http://sma.test/")


def imported_modules(path: Path) -> set[str]:
    """The modules a source file imports (absolute names; `from x import y` gives x and x.y)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_single_machine_crawl_never_imports_the_distributed_one() -> None:
    offenders = {path.name for path in (SCRAPER / "crawl").glob("*.py")
                 if any(name.startswith("scraper.distributed") for name in imported_modules(path))}
    assert offenders == set()


def test_discovery_and_page_handling_never_call_back_into_the_loop() -> None:
    for name in ("frontier", "sources", "long_tail", "pages", "discover", "listings", "entry"):
        assert "scraper.crawl.run" not in imported_modules(SCRAPER / "crawl" / f"{name}.py"), name


def test_articles_are_fetched_before_listings_and_off_site_links_never() -> None:
    frontier = Frontier(SITE, run_id=1, revisit_days=30)
    assert frontier.consider("http://sma.test/category/berita/", kind="listing") == "new"
    assert frontier.consider("http://sma.test/2026/11/lomba-pramuka/", kind="article") == "new"
    assert frontier.consider("http://sma.test/2026/11/lomba-pramuka/", kind="article") == "known"
    assert frontier.consider("http://elsewhere.test/post/") is None
    order = [task.url for task in iter(frontier.next_task, None)]
    assert order == ["http://sma.test/2026/11/lomba-pramuka/", "http://sma.test/category/berita/"]
    assert {row["url"] for row in frontier.take_rows()} == set(order)
    assert frontier.take_rows() == []


def test_a_page_reached_under_another_name_this_run_is_not_fetched_again() -> None:
    frontier = Frontier(SITE, run_id=7, revisit_days=30)
    frontier.consider("http://sma.test/?p=12", kind="article")
    frontier.consider("http://sma.test/2026/11/upacara/", kind="article")
    fetched = FetchResult(url="http://sma.test/?p=12", final_url="http://sma.test/2026/11/upacara/", status=200)
    frontier.fetched("http://sma.test/?p=12", fetched, None)
    frontier.mark_alias("http://sma.test/2026/11/upacara/", "http://sma.test/?p=12", fetched)
    assert [task.url for task in iter(frontier.next_task, None)] == ["http://sma.test/?p=12"]


def test_listings_go_first_once_reordered_and_a_page_found_to_be_a_listing_moves_up() -> None:
    frontier = Frontier(SITE, run_id=1, revisit_days=30)
    frontier.consider("http://sma.test/2026/11/upacara/", kind="article")
    frontier.consider("http://sma.test/profil/", kind="page")
    frontier.consider("http://sma.test/category/berita/", kind="listing")
    frontier.reorder(LISTINGS_FIRST)
    frontier.requeue("http://sma.test/profil/", "listing", force=False)
    order = [task.url for task in iter(frontier.next_task, None)]
    assert order == ["http://sma.test/category/berita/", "http://sma.test/profil/", "http://sma.test/2026/11/upacara/"]
    assert frontier.known["http://sma.test/profil/"]["kind"] == "listing"


def test_categories_named_by_listings_add_to_those_an_earlier_run_kept() -> None:
    """A run resumed after a kill may not read again the listing that named a category: the kept one stays."""
    frontier = Frontier(SITE, run_id=2, revisit_days=30)
    post = "http://sma.test/2026/11/lomba-pramuka/"
    frontier.remember({post: {"url": post, "kind": "article", "done": 0, "categories_hint": ["Prestasi"]}})
    frontier.consider(post, kind="article", categories=["Berita"])
    assert frontier.categories(post) == ["Prestasi", "Berita"]
    assert [row["categories_hint"] for row in frontier.take_rows() if row["url"] == post] == [["Prestasi", "Berita"]]


def test_a_feed_entry_without_a_date_marks_a_post_and_never_hides_a_dated_hint() -> None:
    from scraper.crawl.discover import Lead

    frontier = Frontier(SITE, run_id=1, revisit_days=30)
    dateless, dated = "http://sma.test/2026/11/tanpa-tanggal/", "http://sma.test/2026/11/bertanggal/"
    frontier.consider_lead(Lead(dateless, "feed"))
    hint = frontier.discovery_date(dateless)
    assert hint is not None and hint.lists_posts and hint.published == ""
    frontier.consider_lead(Lead(dated, "feed", published="Mon, 02 Nov 2026 08:00:00 +0700"))
    frontier.consider_lead(Lead(dated, "api"))
    assert frontier.discovery_date(dated).published == "Mon, 02 Nov 2026 08:00:00 +0700"
    assert Lead(dateless, "sitemap").date_hint() is None and Lead(dateless, "link").date_hint() is None
