"""The crawl loop: per site robots → home → sitemaps → feeds → WordPress REST → listings → bounded link following,
then fetch, extract and store each article candidate, with the state kept in the archive (README "Crawling").

Incremental: a URL already done is fetched again only when a source says it changed (REST `modified`, sitemap
`lastmod`, feed `updated`), when it is a first listing page (home, categories: re-read with conditional GET),
when a listing that showed something new links to it (pagination), or when it is older than `revisit_days`.
"""

from __future__ import annotations

import asyncio
import hashlib
import heapq
import itertools
import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from archive import crawl_state
from archive.store import save_articles
from scraper.config import Config, SiteConfig
from scraper.crawl import discover
from scraper.crawl.capture import WarcWriter
from scraper.crawl.fetch import Fetcher, FetchResult, HostSession, utc_now_iso
from scraper.crawl.guard import ip_literal_problem
from scraper.crawl.lock import CrawlLock
from scraper.crawl.long_tail import COMPLETE_SOURCES, LongTail
from scraper.crawl.report import CrawlReport, SiteReport
from scraper.crawl.site_state import SPAM_KIND, SiteEvidence, is_spam
from scraper.crawl.urls import (
    guess_kind,
    is_first_listing_page,
    is_pagination,
    normalize_url,
    trap_reason,
)
from scraper.crawl.writer import ArchiveWorker
from scraper.extract import DateHint, extract_page
from scraper.extract.site_profile import SiteProfile, learn
from scraper.sites import same_site

log = logging.getLogger(__name__)

ANY_TYPE: tuple[str, ...] = ()
MAX_SITEMAPS = 50              # sitemap files read per site and run (nested indexes included)
MAX_REST_PAGES = 50            # 100 posts each
MAX_AJAX_PAGES = 100           # CMS Sekolahku "load more" pages per category
MAX_ATTEMPTS = 3               # runs in a row a URL may fail transiently before it is given up
TRANSIENT = re.compile(r"timeout|HTTP 5\d\d|HTTP 429|connection|reset|refused|network|unreachable", re.I)
# Queue priorities: article candidates first, so a capped crawl spends its budget on news.
PRIORITY = {"article": 0, "listing": 1, "page": 2}


@dataclass(order=True, slots=True)
class Task:
    """One page to fetch; ordered by priority then discovery order."""

    priority: int
    seq: int
    url: str = field(compare=False)
    force: bool = field(default=False, compare=False)


ProgressCallback = Callable[[str, SiteReport], None]


def run_crawl(config: Config, *, db_path: Path | None = None, site_names: Sequence[str] = (),
              on_progress: ProgressCallback | None = None, transport: Any = None) -> CrawlReport:
    """Crawl the selected sites of `config` into the archive (`db_path` or `[archive] path`), holding the
    archive's lock; returns the run report (also stored in crawl_runs). Raises CrawlLockedError at once when
    another crawl runs on the same archive."""
    sites = config.select_sites(list(site_names))
    db_path = Path(db_path or config.archive.path)
    with CrawlLock(db_path):
        archive = ArchiveWorker(db_path)
        try:
            return asyncio.run(_crawl_sites(archive, config, sites, on_progress, transport))
        finally:
            archive.close()


async def _crawl_sites(archive: ArchiveWorker, config: Config, sites: Sequence[SiteConfig],
                       on_progress: ProgressCallback | None, transport: Any) -> CrawlReport:
    run_id = await archive.call(crawl_state.begin_run, [s.host for s in sites], utc_now_iso())
    reports = [SiteReport(host=s.host, name=s.name) for s in sites]
    config.archive.captures.mkdir(parents=True, exist_ok=True)
    with WarcWriter(config.archive.captures) as capture:
        async with Fetcher(config.crawl, capture=capture, transport=transport) as fetcher:
            # `hosts_in_parallel` workers take the sites in turn: a registry of thousands of schools costs no
            # waiting coroutine per site, and memory follows the workers, not the list.
            todo = iter(zip(sites, reports, strict=True))

            async def worker() -> None:
                for site, report in todo:
                    await crawl_site(SiteCrawler(archive, config, site, fetcher.session(site), run_id, report,
                                                 on_progress))

            await asyncio.gather(*(worker() for _ in range(min(config.crawl.hosts_in_parallel, len(sites)))))
    report = CrawlReport(run_id, reports)
    await archive.call(crawl_state.end_run, run_id, status="ok" if report.ok else "errors",
                       finished_at=utc_now_iso(), summary=report.summary())
    return report


async def crawl_site(crawler: SiteCrawler) -> None:
    """Run one site's crawl to its end: an unexpected error fails that site only; logs its report line and
    sends the `done` progress event (shared by the single-machine run and the distributed workers)."""
    report = crawler.report
    try:
        await crawler.crawl()
    except Exception as exc:        # a bug or bad data on one site must not stop the others
        log.exception("%s: crawl stopped by an unexpected error", crawler.site.host)
        report.failed = f"unexpected error: {exc!r}"
    await crawler.archive.call(crawl_state.set_site_state, crawler.site.host, *crawler.evidence.state(),
                               utc_now_iso())
    await crawler.session.aclose()
    log.info("%s", report.line())
    if crawler.on_progress:
        crawler.on_progress("done", report)


class SiteCrawler:
    """Crawls one site: discovery, then the queue of pages, bounded by `max_pages_per_site`."""

    def __init__(self, archive: ArchiveWorker, config: Config, site: SiteConfig, session: HostSession,
                 run_id: int, report: SiteReport, on_progress: ProgressCallback | None) -> None:
        self.archive, self.site, self.session, self.run_id, self.report = archive, site, session, run_id, report
        self.crawl_config = config.crawl
        self.on_progress = on_progress
        self.home = normalize_url(site.url) or site.url
        self.cms = site.cms
        self.known: dict[str, dict[str, Any]] = {}
        self.hints: dict[str, list[str]] = {}          # url → categories named by listings/REST
        self.date_hints: dict[str, DateHint] = {}       # url → publication date a feed/REST/sitemap gave this run
        self.earlier_date_hints: dict[str, DateHint] = {}   # … and the one kept from earlier runs
        self.profile = SiteProfile()                    # the site's template and date order, learned from its pages
        self.queue: list[Task] = []
        self.scheduled: set[str] = set()
        self.revalidate: set[str] = set()               # done before, fetched again: conditional GET
        self.pending_rows: dict[str, dict[str, Any]] = {}
        self.counter = itertools.count()
        self.now = datetime.now(UTC)
        self.includes = [re.compile(p) for p in site.include]
        self.excludes = [re.compile(p) for p in site.exclude]
        self.blocked: set[str] = set()                  # off-site links to non-public IP literals, logged once
        self.evidence = SiteEvidence(self.home)         # what tells the site's state (DESIGN §13)
        self.priority = PRIORITY                        # LongTail puts listings first where it reads them
        self.announced = 0                              # URLs a sitemap or the REST API listed this run
        self.reread: set[str] = set()                   # listings read again every run (LongTail)
        self.long_tail = LongTail(self)

    # -- the phases -------------------------------------------------------------------------------------------

    async def crawl(self) -> None:
        self.known = await self.archive.call(crawl_state.load_urls, self.site.host)
        self.evidence.remember_spam(self.known)
        self.earlier_date_hints = {url: hint for url, state in self.known.items()
                                   if (hint := _decode_date_hint(state.get("published_hint")))}
        await self.save_site(self.site.cms)
        self.profile = SiteProfile.from_json(await self.archive.call(crawl_state.load_profile, self.site.host))
        robots = await self.session.load_robots()
        self.evidence.saw_robots(robots, self.session.robots_fetch)
        self.report.pages_fetched += 1
        if self.session.robots_fetch is not None:
            await self.archive.call(crawl_state.record_fetch, self.fetch_row(self.session.robots_fetch, "GET"), [])
        if not robots.allowed(self.site.url):
            self.report.failed = robots.source if "unreachable" in robots.source else "robots.txt disallows the site"
            return
        home = await self.fetch(self.home, kind="listing")
        self.evidence.saw_home(home)
        if home is None or not home.ok:
            problem = (home.error if home else None) or (f"HTTP {home.status}" if home else "not fetched")
            self.report.failed = f"home page {self.home}: {problem}"
            return
        page = await self.process_page(home, self.home)
        home, page = await self.long_tail.open_doors(home, page)   # a door at the root: the real home page
        api_root = discover.wordpress_api_root(home.headers, home.content, self.home)
        extracted_cms = page.cms if page is not None and page.cms != "generic" else None
        self.cms = self.cms or extracted_cms or ("wordpress" if api_root else None)
        home_links = [u for u in (normalize_url(link.url, home.final_url) for link in page.links) if u] \
            if page is not None else []
        if page is not None:
            self.follow_links(page, self.home, force=False)
        if self.cms and not self.site.cms:
            await self.save_site(self.cms)
        for url in self.site.start_urls:
            self.consider(url, kind="listing", force=True)
        await self.read_sitemaps(robots.sitemaps)
        await self.read_feeds(list(page.feeds) if page is not None else [])
        if self.cms == "wordpress":
            await self.read_rest_api(api_root)
        await self.read_listings(home_links)
        await self.long_tail.begin()
        for url, state in list(self.known.items()):    # resume: what an earlier run found but did not finish
            if not state["done"] and state["kind"] in PRIORITY:
                self.consider(url, kind=state["kind"])
        await self.flush_rows()
        await self.drain()
        await self.archive.call(crawl_state.save_profile, self.site.host, self.profile.to_json())
        await self.archive.call(crawl_state.site_crawled, self.site.host, utc_now_iso(),
                                found_new=self.report.new_articles > 0)

    async def save_site(self, cms: str | None) -> None:
        site = self.site
        await self.archive.call(crawl_state.upsert_site, {"host": site.host, "name": site.name, "url": site.url,
                                                          "timezone": site.timezone, "region": site.region,
                                                          "cms": cms}, utc_now_iso())

    async def read_sitemaps(self, from_robots: list[str]) -> None:
        todo = discover.sitemap_candidates(self.home, from_robots, self.cms)
        fallbacks = not from_robots
        done = 0
        while todo and done < MAX_SITEMAPS and self.has_budget():
            url = normalize_url(todo.pop(0)) or ""
            if not same_site(url, self.site.url):
                self.note_blocked_link(url)
                continue
            result = await self.fetch(url, kind="sitemap", accept=ANY_TYPE, conditional=False)
            done += 1
            if result is None or not result.ok:
                continue
            pages, children = discover.parse_sitemap(result.content)
            if fallbacks and (pages or children):
                todo = [u for u in todo if "sitemap" not in u]   # the first sitemap that answers is enough
                fallbacks = False
            todo.extend(c for c in children if not re.search(r"users|post_tag|author", c))
            for lead in pages:
                self.consider(lead.url, lastmod=lead.lastmod, source=lead.source, published=lead.date_hint())

    async def read_feeds(self, declared: list[str]) -> None:
        for url in discover.feed_candidates(self.home, declared, self.cms)[:3]:
            url = normalize_url(url) or ""
            if not same_site(url, self.site.url):
                self.note_blocked_link(url)
                continue
            if not self.has_budget():
                continue
            result = await self.fetch(url, kind="feed", accept=ANY_TYPE)
            if result is not None and result.ok:
                for lead in discover.parse_feed(result.content, url):
                    self.consider(lead.url, lastmod=lead.lastmod, source=lead.source, kind="article",
                                  published=lead.date_hint())

    async def read_rest_api(self, api_root: str | None) -> None:
        api_root = api_root or urljoin(self.home, "wp-json/")
        result = await self.fetch(discover.wp_rest_url(api_root, "wp/v2/categories"), kind="api",
                                  accept=ANY_TYPE, conditional=False)
        categories = discover.parse_wp_categories(result.content) if result is not None and result.ok else {}
        for number in range(1, MAX_REST_PAGES + 1):
            if not self.has_budget():
                return
            result = await self.fetch(discover.wp_rest_url(api_root, "wp/v2/posts", number), kind="api",
                                      accept=ANY_TYPE, conditional=False)
            if result is None or not result.ok:
                return
            for lead in discover.parse_wp_posts(result.content, categories):
                self.consider(lead.url, lastmod=lead.lastmod, source=lead.source, categories=lead.categories,
                              kind="article", published=lead.date_hint())
            if number >= int(result.headers.get("x-wp-totalpages", "1") or 1):
                return

    async def read_sekolahku_pages(self, listing: discover.SekolahkuListing) -> None:
        """CMS Sekolahku shows 10 posts per category; the rest come from its AJAX "load more" POST."""
        if not listing.category_slug:
            return
        for number in range(2, min(listing.total_pages, MAX_AJAX_PAGES) + 1):
            if not self.has_budget():
                return
            url, form = discover.sekolahku_page_request(self.home, listing.category_slug, number)
            result = await self.fetch(url, kind=None, method="POST", data=form, accept=ANY_TYPE,
                                      headers={"X-Requested-With": "XMLHttpRequest"})
            leads = discover.parse_sekolahku_rows(result.content, self.home, listing.category) \
                if result is not None and result.ok else []
            if not leads:
                return
            for lead in leads:
                self.consider(lead.url, categories=lead.categories, kind="article")

    async def drain(self) -> None:
        while self.queue and self.has_budget():
            task = heapq.heappop(self.queue)
            state = self.known.get(task.url)
            if state and state.get("done") and state.get("last_fetched_run") == self.run_id:
                continue                              # reached under another name this run (redirect target)
            await self.visit(task.url, force=task.force)
        await self.flush_rows()

    async def visit(self, url: str, *, force: bool = False) -> Any:
        """Fetch one page and process it; returns the Page (None if not fetched or not extractable)."""
        first_visit = not (self.known.get(url) or {}).get("last_fetched")
        result = await self.fetch(url, kind=None, conditional=True)
        page = None
        if result is not None and result.ok:
            page = await self.process_page(result, url)
            if page is not None:
                found_new = self.follow_links(page, normalize_url(result.final_url) or url, force)
                if self.cms == "sekolahku" and "/kategori/" in url:
                    await self.read_sekolahku_listing(result, found_new or force or first_visit)
                await self.long_tail.read(result, url, page)
            self.stage_row(url, {"done": 1}, guess_kind(url))
        await self.flush_rows()
        return page

    async def read_listings(self, home_links: Sequence[str]) -> None:
        """Category listings linked from the home page, before any article (CMS Sekolahku needs their names)."""
        for url in home_links:
            if self.cms == "sekolahku" and "/kategori/" in url and url in self.scheduled and self.has_budget():
                self.queue = [t for t in self.queue if t.url != url]
                heapq.heapify(self.queue)
                await self.visit(url, force=False)

    # -- discovery bookkeeping --------------------------------------------------------------------------------

    def consider(self, raw_url: str, *, lastmod: str | None = None, source: str = "", categories: Sequence[str] = (),
                 kind: str | None = None, force: bool = False, published: DateHint | None = None) -> str | None:
        """Queue `raw_url` if this run should fetch it; remember its hints either way. Returns `new` (never
        seen before), `queued` (seen, fetched again now), `known` (nothing to do) or None (not followed)."""
        url = normalize_url(raw_url)
        if url is not None and not same_site(url, self.site.url):
            self.note_blocked_link(url)
            return None
        if url is None or trap_reason(url):
            return None
        if any(p.search(url) for p in self.excludes):
            return None
        kind = kind or guess_kind(url)
        self.announced += source in COMPLETE_SOURCES
        if self.includes and kind == "article" and not any(p.search(url) for p in self.includes):
            return None
        if categories:
            merged = self.hints.setdefault(url, [])
            merged.extend(c for c in categories if c not in merged)
        row: dict[str, Any] = {}
        if published is not None and (url not in self.date_hints or not self.date_hints[url].lists_posts):
            self.date_hints[url] = published          # a feed's or REST's date replaces a sitemap's lastmod
            kept = self.earlier_date_hints.get(url)
            if published != kept and (published.lists_posts or kept is None or not kept.lists_posts):
                # Kept for later runs: a post that fails now may be fetched after its feed has dropped it.
                self.earlier_date_hints[url] = published
                row["published_hint"] = json.dumps({"source": published.source, "published": published.published})
        state = self.known.get(url)
        if categories:
            row["categories_hint"] = self.hints[url]
        if state is not None and state.get("last_fetched_run") == self.run_id:
            return "known"                            # fetched this run already (maybe under another name)
        # Each source's date is compared with what the same source said last time (feeds give pubDate,
        # REST gives modified: comparing across sources would see changes that are not there).
        hints = _decode_hints(state.get("lastmod_hint") if state else None)
        changed = bool(lastmod and hints.get(source) and lastmod != hints[source])
        if lastmod and lastmod != hints.get(source):
            row["lastmod_hint"] = json.dumps({**hints, source: lastmod}, sort_keys=True)
        if url in self.scheduled:
            self.stage_row(url, row, kind)
            return "known"
        wanted = (state is None or not state["done"] or changed or force
                  or (state["kind"] == "listing" and is_first_listing_page(url)) or url in self.reread
                  or self.due_for_revisit(state))
        if wanted:
            if state is not None and state["done"]:
                row["done"] = 0                       # so a kill before the refetch still refetches next run
                self.revalidate.add(url)
            self.scheduled.add(url)
            heapq.heappush(self.queue, Task(self.priority.get(kind, 2), next(self.counter), url, force))
        self.stage_row(url, row, kind)
        return "new" if state is None else "queued" if wanted else "known"

    def note_blocked_link(self, url: str) -> None:
        """Off-site links are never followed; one to a private or metadata IP is a probe worth a log line."""
        if url not in self.blocked and (problem := ip_literal_problem(url)):
            self.blocked.add(url)
            log.warning("%s: link to %s blocked: %s", self.site.host, url, problem)

    def due_for_revisit(self, state: dict[str, Any]) -> bool:
        last = state.get("last_fetched")
        if not last or state["kind"] != "article":
            return False
        try:
            fetched = datetime.fromisoformat(last.replace("Z", "+00:00"))
        except ValueError:
            return True
        return self.now - fetched > timedelta(days=self.crawl_config.revisit_days)

    def stage_row(self, url: str, row: dict[str, Any], kind: str) -> None:
        state = self.known.get(url)
        if state is None:
            state = {"url": url, "site": self.site.host, "kind": kind, "first_seen": utc_now_iso(), "done": 0,
                     "lastmod_hint": None, "last_fetched": None, "etag": None, "last_modified": None,
                     "attempts": 0, "categories_hint": []}
            self.known[url] = state
            row = {**state, **row}
        state.update(row)
        if row:
            self.pending_rows.setdefault(url, {"url": url}).update(row)

    async def flush_rows(self) -> None:
        if self.pending_rows:
            rows = list(self.pending_rows.values())
            self.pending_rows.clear()
            await self.archive.call(crawl_state.save_urls, rows)

    def has_budget(self) -> bool:
        return self.report.pages_fetched < self.crawl_config.max_pages_per_site

    # -- fetching and processing ------------------------------------------------------------------------------

    async def fetch(self, url: str, *, kind: str | None, method: str = "GET", data: dict | None = None,
                    headers: dict | None = None, accept: Sequence[str] = ("text/html", "application/xhtml+xml"),
                    conditional: bool = True) -> FetchResult | None:
        """Fetch politely, log the request and the URL's new state; None when the page budget is spent."""
        if not self.has_budget():
            return None
        state = self.known.get(url) if method == "GET" else None
        # Validators only when the page was fully processed before: after a kill between fetch and store,
        # a 304 would leave the article unstored for good.
        use_validators = conditional and state is not None and url in self.revalidate
        result = await self.session.fetch(
            url, method=method, data=data, headers=headers, accept=accept,
            etag=state.get("etag") if use_validators else None,
            last_modified=state.get("last_modified") if use_validators else None)
        self.report.pages_fetched += 1
        if result.not_modified:
            self.report.not_modified += 1
        self.note_problem(result, kind)
        url_rows = [] if method != "GET" else [self.fetched_row(url, result, kind)]
        await self.archive.call(crawl_state.record_fetch, self.fetch_row(result, method), url_rows)
        if self.on_progress:
            self.on_progress("page", self.report)
        return result

    def discovery_date(self, *urls: str) -> DateHint | None:
        """What discovery said about the publication date of a page known under `urls`: a feed's, REST's or
        listing's date before a sitemap's lastmod, this run's before an earlier run's."""
        hints = [hint for found in (self.date_hints, self.earlier_date_hints) for url in urls
                 if (hint := found.get(url)) is not None]
        return next((hint for hint in hints if hint.lists_posts), hints[0] if hints else None)

    def fetch_row(self, result: FetchResult, method: str) -> dict[str, Any]:
        """The `fetches` row logging one request: what was asked, the answer, and where it was captured."""
        return {
            "run_id": self.run_id, "url": result.url, "method": method, "status": result.status,
            "fetched_at": result.fetched_at, "elapsed_ms": result.elapsed_ms, "bytes": len(result.content),
            "warc_file": result.warc.file if result.warc else None,
            "warc_offset": result.warc.offset if result.warc else None,
            "warc_length": result.warc.length if result.warc else None, "error": result.error,
        }

    def fetched_row(self, url: str, result: FetchResult, kind: str | None) -> dict[str, Any]:
        state = self.known.get(url) or {"attempts": 0}
        transient = result.status is None or (result.error is not None and TRANSIENT.search(result.error)) \
            or (result.status or 0) >= 500 or result.status == 429
        attempts = (state.get("attempts") or 0) + 1 if transient else 0
        row: dict[str, Any] = {
            "url": url, "site": self.site.host, "status": result.status, "last_fetched": result.fetched_at,
            "error": result.error, "attempts": attempts,
            # A page still to be extracted and stored is done only once `visit` has finished with it.
            "done": 0 if (transient and attempts < MAX_ATTEMPTS) or (kind is None and result.ok) else 1,
        }
        if kind:
            row["kind"] = kind
        if result.ok:
            row["etag"] = result.headers.get("etag")
            row["last_modified"] = result.headers.get("last-modified")
            row["content_hash"] = hashlib.sha1(result.content).hexdigest()
        self.stage_row(url, {}, kind or guess_kind(url))
        self.known[url].update(row, last_fetched_run=self.run_id)
        if not result.ok and not result.not_modified:
            self.known[url]["last_fetched_run"] = None
        return row

    def note_problem(self, result: FetchResult, kind: str | None) -> None:
        if result.ok or result.not_modified:
            return
        message = f"{result.url}: {result.error or f'HTTP {result.status}'}"
        if result.status is not None and 400 <= result.status < 500 and result.status != 429:
            self.report.broken_links += kind is None      # probing sitemaps/feeds may miss: not a broken link
            return
        if result.error and result.error.startswith(("not HTML", "disallowed by robots", "off-site redirect",
                                                     "blocked")):
            return
        log.warning("%s: %s", self.site.host, message)
        self.report.error(message)

    async def process_page(self, result: FetchResult, url: str) -> Any:
        """Extract a fetched page: store it when it is an article, queue its links. Returns the Page or None."""
        if not result.ok:
            return None
        final = normalize_url(result.final_url) or url
        if final != url:
            self.mark_alias(final, url, result)
        try:
            # In a worker thread: the event loop keeps every other host's requests on time meanwhile.
            page = await asyncio.to_thread(
                extract_page, result.content, result.final_url, tz=self.site.timezone,
                content_type=result.headers.get("content-type"), fetched_at=result.fetched_at, cms=self.cms,
                selectors=self.site.selectors or None,
                discovered=self.discovery_date(url, final), profile=self.profile, fingerprint=True)
        except Exception as exc:                      # bad input data must never stop the crawl
            log.warning("%s: extraction failed on %s: %r", self.site.host, url, exc)
            self.report.error(f"{url}: extraction failed: {exc!r}")
            return None
        self.evidence.saw_page(url, page, home=url == self.home)
        if page.fingerprint is not None:
            self.profile = learn(self.profile, page.fingerprint)
        article = page.article
        # The home page, under any name: redirected to, or opened by a door at the root (its news list is no article)
        home_page = (final == self.home and url != self.home) or self.long_tail.is_entry(url)
        if article is not None and not home_page:
            await self.store(article, url, final)
        else:
            self.report.not_articles += 1 if url != self.home else 0
            kind = "listing" if guess_kind(final) == "listing" or url == self.home else "page"
            kind = SPAM_KIND if is_spam(page) else kind
            self.known[url]["kind"] = kind
            self.pending_rows.setdefault(url, {"url": url})["kind"] = kind
        return page

    async def store(self, article: Any, url: str, final: str) -> None:
        canonical = normalize_url(article.url) or final
        if not article.categories:
            article.categories = list(self.hints.get(url) or self.hints.get(final) or self.hints.get(canonical)
                                      or self.known.get(url, {}).get("categories_hint") or [])
        saved = await self.archive.call(save_articles, [article.to_dict()])
        if not saved.errors:
            self.evidence.saw_article()
        self.report.new_articles += saved.new
        self.report.updated_articles += saved.updated
        self.report.unchanged_articles += saved.unchanged
        for message in saved.errors:
            self.report.error(f"{url}: not stored: {message}")
        for name in {url, final}:
            self.known[name]["kind"] = "article"
            self.pending_rows.setdefault(name, {"url": name}).update(kind="article", canonical_url=canonical)
        if canonical not in (url, final) and same_site(canonical, self.site.url):
            self.mark_alias(canonical, url, None)

    def mark_alias(self, alias: str, fetched: str, result: FetchResult | None) -> None:
        """`alias` (redirect target or rel=canonical) shows the same page as `fetched`: done with it too."""
        state = self.known.get(fetched, {})
        self.stage_row(alias, {}, state.get("kind") or guess_kind(alias))
        row = {"done": 1, "status": 200, "last_fetched": state.get("last_fetched"),
               "content_hash": state.get("content_hash")}
        if result is not None:
            row.update(etag=result.headers.get("etag"), last_modified=result.headers.get("last-modified"))
        self.known[alias].update(row, last_fetched_run=self.run_id)
        self.pending_rows.setdefault(alias, {"url": alias}).update(row)
        if alias in self.hints or fetched in self.hints:
            merged = self.hints.setdefault(fetched, [])
            merged.extend(c for c in self.hints.get(alias, []) if c not in merged)

    def follow_links(self, page: Any, base: str, force: bool) -> bool:
        """Queue the page's in-site links; True when one was unknown until now. A listing that showed something
        new forces its pagination, so an incremental run reads on only while there is news."""
        links = [url for url in (normalize_url(link.url, base) for link in page.links) if url]
        found_new = False
        for url in links:
            found_new = self.consider(url, force=force and is_pagination(url)) == "new" or found_new
        if found_new and not force:
            for url in links:
                if is_pagination(url):
                    self.consider(url, force=True)
        return found_new

    async def read_sekolahku_listing(self, result: FetchResult, found_new: bool) -> None:
        """A CMS Sekolahku category page names the category of the posts it lists (their pages do not)."""
        listing = discover.parse_sekolahku_listing(result.content, result.final_url)
        for post in listing.post_urls:
            self.consider(post, categories=(listing.category,) if listing.category else (), kind="article")
        if found_new:
            await self.read_sekolahku_pages(listing)


def _decode_date_hint(stored: str | None) -> DateHint | None:
    hint = _decode_hints(stored)
    source, published = hint.get("source"), hint.get("published")
    return DateHint(source, published) if isinstance(source, str) and isinstance(published, str) else None


def _decode_hints(stored: str | None) -> dict[str, str]:
    try:
        hints = json.loads(stored) if stored else {}
    except ValueError:
        return {}
    return hints if isinstance(hints, dict) else {}
