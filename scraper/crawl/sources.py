"""The discovery steps of a site's crawl: its sitemaps, feeds, WordPress REST API and CMS Sekolahku "load more"
pages, each read through the `fetch` it is given and yielding the leads found (scraper/crawl/discover.py parses
them). The loop decides which leads to queue; a step never calls back into it.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import urljoin

from scraper.crawl import discover
from scraper.crawl.discover import Lead
from scraper.crawl.fetch import FetchResult
from scraper.crawl.urls import normalize_url
from scraper.sites import same_site

Fetch = Callable[..., Awaitable[FetchResult | None]]   # the loop's fetch: logged, None once the budget is spent
HasBudget = Callable[[], bool]
NoteOffSite = Callable[[str], None]                    # told each off-site URL a source names (never fetched)

ANY_TYPE: tuple[str, ...] = ()
MAX_SITEMAPS = 50              # sitemap files read per site and run (nested indexes included)
MAX_FEEDS = 3                  # feeds read per site and run
MAX_REST_PAGES = 50            # 100 posts each
MAX_AJAX_PAGES = 100           # CMS Sekolahku "load more" pages per category


async def sitemap_leads(fetch: Fetch, has_budget: HasBudget, off_site: NoteOffSite, *, home: str, site_url: str,
                        from_robots: list[str], cms: str | None) -> AsyncIterator[Lead]:
    """The pages of the site's sitemaps: those robots.txt names (nested indexes followed), else the first of
    the usual locations that answers."""
    todo = discover.sitemap_candidates(home, from_robots, cms)
    fallbacks = not from_robots
    done = 0
    while todo and done < MAX_SITEMAPS and has_budget():
        url = normalize_url(todo.pop(0)) or ""
        if not same_site(url, site_url):
            off_site(url)
            continue
        result = await fetch(url, kind="sitemap", accept=ANY_TYPE, conditional=False)
        done += 1
        if result is None or not result.ok:
            continue
        pages, children = discover.parse_sitemap(result.content)
        if fallbacks and (pages or children):
            todo = [u for u in todo if "sitemap" not in u]   # the first sitemap that answers is enough
            fallbacks = False
        todo.extend(c for c in children if not re.search(r"users|post_tag|author", c))
        for lead in pages:
            yield lead


async def feed_leads(fetch: Fetch, has_budget: HasBudget, off_site: NoteOffSite, *, home: str, site_url: str,
                     declared: list[str], cms: str | None) -> AsyncIterator[Lead]:
    """The entries of the feeds the home page declares, else of the CMS's default feed."""
    for url in discover.feed_candidates(home, declared, cms)[:MAX_FEEDS]:
        url = normalize_url(url) or ""
        if not same_site(url, site_url):
            off_site(url)
            continue
        if not has_budget():
            continue
        result = await fetch(url, kind="feed", accept=ANY_TYPE)
        if result is not None and result.ok:
            for lead in discover.parse_feed(result.content, url):
                yield lead


async def rest_api_leads(fetch: Fetch, has_budget: HasBudget, *, home: str,
                         api_root: str | None) -> AsyncIterator[Lead]:
    """The posts the WordPress REST API lists, page after page, with their category names."""
    api_root = api_root or urljoin(home, "wp-json/")
    result = await fetch(discover.wp_rest_url(api_root, "wp/v2/categories"), kind="api", accept=ANY_TYPE,
                         conditional=False)
    categories = discover.parse_wp_categories(result.content) if result is not None and result.ok else {}
    for number in range(1, MAX_REST_PAGES + 1):
        if not has_budget():
            return
        result = await fetch(discover.wp_rest_url(api_root, "wp/v2/posts", number), kind="api", accept=ANY_TYPE,
                             conditional=False)
        if result is None or not result.ok:
            return
        for lead in discover.parse_wp_posts(result.content, categories):
            yield lead
        if number >= int(result.headers.get("x-wp-totalpages", "1") or 1):
            return


async def sekolahku_leads(fetch: Fetch, has_budget: HasBudget, *, home: str,
                          listing: discover.SekolahkuListing) -> AsyncIterator[Lead]:
    """CMS Sekolahku shows 10 posts per category; the rest come from its AJAX "load more" POST."""
    if not listing.category_slug:
        return
    for number in range(2, min(listing.total_pages, MAX_AJAX_PAGES) + 1):
        if not has_budget():
            return
        url, form = discover.sekolahku_page_request(home, listing.category_slug, number)
        result = await fetch(url, kind=None, method="POST", data=form, accept=ANY_TYPE,
                             headers={"X-Requested-With": "XMLHttpRequest"})
        leads = discover.parse_sekolahku_rows(result.content, home, listing.category) \
            if result is not None and result.ok else []
        if not leads:
            return
        for lead in leads:
            yield lead

