"""The crawl loop: per site robots → home → sitemaps → feeds → WordPress REST → listings → bounded link following,
then fetch, extract and store each article candidate, with the state kept in the archive (README "Crawling").

Incremental: a URL already done is fetched again only when a source says it changed (REST `modified`, sitemap
`lastmod`, feed `updated`), when it is a first listing page (home, categories: re-read with conditional GET),
when a listing that showed something new links to it (pagination), or when it is older than `revisit_days`.

The loop owns the order of the phases, the fetches and the archive calls; what to fetch next is the frontier's
(scraper/crawl/frontier.py), the discovery steps yield leads (sources.py, long_tail.py), what a fetched page
yields is pages.py's.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

from archive import crawl_state
from archive.store import save_labelled
from scraper.config import Config, SiteConfig
from scraper.crawl import discover, pages, sources
from scraper.crawl.capture import WarcWriter
from scraper.crawl.discover import Lead
from scraper.crawl.fetch import Fetcher, FetchResult, HostSession, utc_now_iso
from scraper.crawl.frontier import PRIORITY, Frontier
from scraper.crawl.lock import CrawlLock
from scraper.crawl.long_tail import LongTail
from scraper.crawl.report import CrawlReport, SiteReport, log_site_done
from scraper.crawl.site_state import SiteEvidence
from scraper.crawl.urls import is_pagination, normalize_url
from scraper.crawl.writer import ArchiveWorker
from scraper.extract.site_profile import SiteProfile, learn
from scraper.sites import same_site

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, SiteReport], None]
# A site's staged writes (articles, `urls` and `fetches` rows) are saved once this many articles or rows wait, or
# once the oldest has waited `STAGED_SECONDS`: each save is one savepoint, one new segment of both search indexes
# and one thread hop, and one save a page cost a third of storing an article. A killed crawl loses what was staged
# (at most a few seconds of each site's work): those URLs stay `done = 0` and the next run fetches them again.
STAGED_ARTICLES = 16
STAGED_ROWS = 64
STAGED_SECONDS = 2.0


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
        try:
            await crawler.crawl()
        finally:
            await crawler.flush_rows()  # what was staged: a failing save is this site's error too
    except Exception as exc:        # a bug or bad data on one site must not stop the others
        log.exception("%s: crawl stopped by an unexpected error", crawler.site.host)
        report.failed = f"unexpected error: {exc!r}"
    await crawler.archive.call(crawl_state.set_site_state, crawler.site.host, *crawler.evidence.state(),
                               utc_now_iso())
    await crawler.session.aclose()
    log_site_done(report)
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
        self.frontier = Frontier(site, run_id, config.crawl.revisit_days)
        self.fetch_rows: list[dict[str, Any]] = []     # `fetches` rows staged until flush_rows, as the `urls` rows
        self.articles: dict[str, tuple[str, dict[str, Any]]] = {}   # staged: URL → (final URL, record)
        self.staged_since: float | None = None          # monotonic time the oldest staged write was made
        # Pages processed this run: final URL → (content hash, kind, canonical URL of the article stored or None)
        self.processed: dict[str, tuple[str, str, str | None]] = {}
        self.profile = SiteProfile()                    # the site's template and date order, learned from its pages
        self.evidence = SiteEvidence(self.home)         # what tells the site's state (DESIGN §13)
        self.long_tail = LongTail(site, self.home, self.frontier, report, fetch=self.fetch,
                                  open_page=self.open_page, has_budget=self.has_budget)

    # -- the phases -------------------------------------------------------------------------------------------

    async def crawl(self) -> None:
        frontier = self.frontier
        frontier.remember(await self.archive.call(crawl_state.load_urls, self.site.host))
        self.evidence.remember_spam(frontier.known)
        await self.save_site(self.site.cms)
        self.profile = SiteProfile.from_json(await self.archive.call(crawl_state.load_profile, self.site.host))
        robots = await self.session.load_robots()
        self.evidence.saw_robots(robots, self.session.robots_fetch)
        self.report.pages_fetched += 1
        if self.session.robots_fetch is not None:
            self.fetch_rows.append(pages.fetch_row(self.session.robots_fetch, "GET", self.run_id))
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
            frontier.consider(url, kind="listing", force=True)
        await self.queue_leads(sources.sitemap_leads(self.fetch, self.has_budget, frontier.note_blocked_link,
                                                     home=self.home, site_url=self.site.url,
                                                     from_robots=robots.sitemaps, cms=self.cms))
        await self.queue_leads(sources.feed_leads(self.fetch, self.has_budget, frontier.note_blocked_link,
                                                  home=self.home, site_url=self.site.url,
                                                  declared=list(page.feeds) if page is not None else [],
                                                  cms=self.cms), kind="article")
        if self.cms == "wordpress":
            await self.queue_leads(sources.rest_api_leads(self.fetch, self.has_budget, home=self.home,
                                                          api_root=api_root), kind="article")
        await self.read_listings(home_links)
        await self.long_tail.begin(self.cms)
        for url, state in list(frontier.known.items()):    # resume: what an earlier run found but did not finish
            if not state["done"] and state["kind"] in PRIORITY:
                frontier.consider(url, kind=state["kind"])
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

    async def queue_leads(self, leads: AsyncIterator[Lead], kind: str | None = None) -> None:
        """Consider each lead of a discovery step as soon as it is found (`kind`: what the source lists)."""
        async for lead in leads:
            self.frontier.consider_lead(lead, kind=kind)

    async def drain(self) -> None:
        while self.has_budget() and (task := self.frontier.next_task()) is not None:
            await self.visit(task.url, force=task.force)
        await self.flush_rows()

    async def visit(self, url: str, *, force: bool = False) -> Any:
        """Fetch one page and process it; returns the Page (None if not fetched or not extractable)."""
        first_visit = not (self.frontier.known.get(url) or {}).get("last_fetched")
        result = await self.fetch(url, kind=None, conditional=True, read_already=self.read_this_run)
        page = None
        if result is not None and result.read_already:
            self.mark_read_under(url, normalize_url(result.read_already) or result.read_already)
        elif result is not None and result.ok:
            page = None if self.repeats_processed_page(result, url) else await self.process_page(result, url)
            if page is not None:
                found_new = self.follow_links(page, normalize_url(result.final_url) or url, force)
                if self.cms == "sekolahku" and "/kategori/" in url:
                    await self.read_sekolahku_listing(result, found_new or force or first_visit)
                await self.long_tail.read(result, url, page)
            self.frontier.mark_done(url)
        await self.flush_rows(when_due=True)
        return page

    async def read_listings(self, home_links: Sequence[str]) -> None:
        """Category listings linked from the home page, before any article (CMS Sekolahku needs their names)."""
        for url in home_links:
            if self.cms == "sekolahku" and "/kategori/" in url and url in self.frontier.scheduled \
                    and self.has_budget():
                self.frontier.unqueue(url)
                await self.visit(url, force=False)

    async def read_sekolahku_listing(self, result: FetchResult, found_new: bool) -> None:
        """A CMS Sekolahku category page names the category of the posts it lists (their pages do not)."""
        listing = discover.parse_sekolahku_listing(result.content, result.final_url)
        for post in listing.post_urls:
            self.frontier.consider(post, categories=(listing.category,) if listing.category else (), kind="article")
        if found_new:
            await self.queue_leads(sources.sekolahku_leads(self.fetch, self.has_budget, home=self.home,
                                                           listing=listing), kind="article")

    async def flush_rows(self, *, when_due: bool = False) -> None:
        """Save the staged articles, then the staged `urls` and `fetches` rows (two archive calls for many pages,
        not one a page); `when_due`: only when enough waits or the oldest has waited long enough (see
        `STAGED_ARTICLES`). The articles go first, so no `urls` row saying a page is done is ever saved without
        its article."""
        rows, fetches = self.frontier.pending_rows, self.fetch_rows
        if not (rows or fetches or self.articles):
            self.staged_since = None
            return
        now = time.monotonic()
        if self.staged_since is None:
            self.staged_since = now
        if when_due and len(self.articles) < STAGED_ARTICLES and len(rows) + len(fetches) < STAGED_ROWS \
                and now - self.staged_since < STAGED_SECONDS:
            return
        if self.articles:
            await self.save_staged_articles()
        rows, fetches = self.frontier.take_rows(), self.fetch_rows
        self.fetch_rows, self.staged_since = [], None
        if rows or fetches:
            await self.archive.call(crawl_state.save_urls, rows, fetches)

    async def save_staged_articles(self) -> None:
        """Save the staged articles in one call and count what became of them."""
        staged = self.articles
        saved = await self.archive.call(save_labelled, [(url, record) for url, (_, record) in staged.items()])
        # Unstaged only once saved: after a failed save no later flush may save the rows saying their pages are done.
        self.articles = {}
        self.report.new_articles += saved.new
        self.report.updated_articles += saved.updated
        self.report.unchanged_articles += saved.unchanged
        for _ in range(len(staged) - len(saved.errors)):
            self.evidence.saw_article()
        for message in saved.errors:                    # "URL: why" (the URL is the record's label)
            url = next((url for url in staged if message.startswith(f"{url}: ")), "")
            self.report.error(f"{url}: not stored: {message.removeprefix(f'{url}: ')}")
            if url:                                     # so an alias of it is read, not counted as stored
                self.processed.pop(staged[url][0], None)

    def has_budget(self) -> bool:
        return self.report.pages_fetched < self.crawl_config.max_pages_per_site

    # -- fetching and processing ------------------------------------------------------------------------------

    async def fetch(self, url: str, *, kind: str | None, method: str = "GET", data: dict | None = None,
                    headers: dict | None = None, accept: Sequence[str] = ("text/html", "application/xhtml+xml"),
                    conditional: bool = True, read_already: Callable[[str], bool] | None = None
                    ) -> FetchResult | None:
        """Fetch politely and stage the request's `fetches` row and the URL's new state (saved by `flush_rows`);
        None when the page budget is spent. `read_already`: see `HostSession.fetch`."""
        if not self.has_budget():
            return None
        state = self.frontier.known.get(url) if method == "GET" else None
        # Validators only when the page was fully processed before: after a kill between fetch and store,
        # a 304 would leave the article unstored for good.
        use_validators = conditional and state is not None and url in self.frontier.revalidate
        result = await self.session.fetch(
            url, method=method, data=data, headers=headers, accept=accept,
            etag=state.get("etag") if use_validators else None,
            last_modified=state.get("last_modified") if use_validators else None, read_already=read_already)
        self.report.pages_fetched += 1
        if result.not_modified:
            self.report.not_modified += 1
        pages.note_problem(self.report, result, kind)
        if method == "GET":
            self.frontier.fetched(url, result, kind)
        self.fetch_rows.append(pages.fetch_row(result, method, self.run_id))
        if self.on_progress:
            self.on_progress("page", self.report)
        return result

    async def open_page(self, result: FetchResult, url: str) -> Any:
        """Process a page a door opened and queue its links; returns the Page or None."""
        page = await self.process_page(result, url)
        if page is not None:
            self.follow_links(page, normalize_url(result.final_url) or url, force=False)
        return page

    async def process_page(self, result: FetchResult, url: str) -> Any:
        """Extract a fetched page: store it when it is an article, queue its links. Returns the Page or None."""
        if not result.ok:
            return None
        frontier = self.frontier
        final = normalize_url(result.final_url) or url
        if final != url:
            frontier.mark_alias(final, url, result)
        try:
            page = await pages.extract(result, self.site, cms=self.cms, discovered=frontier.discovery_date(url, final),
                                       profile=self.profile)
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
        canonical = None
        if article is not None and not home_page:
            canonical = self.store(article, url, final)
            kind = "article"
        else:
            self.report.not_articles += 1 if url != self.home else 0
            kind = pages.page_kind(page, url, final, self.home)
            frontier.set_kind(url, kind)
        digest = (frontier.known.get(url) or {}).get("content_hash")
        if digest and (canonical or kind != "article"):
            self.processed[final] = (digest, kind, canonical)
        return page

    def read_this_run(self, url: str) -> bool:
        """Whether `url` is a page processed this run (a redirect there need not be followed)."""
        return (normalize_url(url) or url) in self.processed

    def repeats_processed_page(self, result: FetchResult, url: str) -> bool:
        """Whether `url` redirected to a page processed this run and sent the same bytes: extracting and storing
        it again would give what is stored already, so `url` is only marked as that page."""
        final = normalize_url(result.final_url) or url
        processed = self.processed.get(final)
        if final == url or processed is None or processed[0] != self.frontier.known[url].get("content_hash"):
            return False
        self.frontier.mark_alias(final, url, result)
        self.mark_read_under(url, final)
        return True

    def mark_read_under(self, url: str, processed: str) -> None:
        """`url` redirected to the page `processed` this run (a WordPress shortlink, an old address): it is that
        page, an unchanged article or a page of the same kind, and is not read again."""
        _, kind, canonical = self.processed[processed]
        self.frontier.mark_read_under(url, kind, canonical)
        if canonical is not None:
            self.report.unchanged_articles += 1
        else:
            self.report.not_articles += 1
        self.evidence.saw_alias(url, article=canonical is not None)

    def store(self, article: Any, url: str, final: str) -> str:
        """Stage an article found at `url` (`final` after redirects) for saving (see `flush_rows`); its canonical
        URL. A record the archive refuses is reported when the staged articles are saved."""
        canonical = normalize_url(article.url) or final
        if not article.categories:
            article.categories = self.frontier.categories(url, final, canonical)
        self.articles[url] = (final, article.to_dict())
        for name in {url, final}:
            self.frontier.mark_article(name, canonical)
        if canonical not in (url, final) and same_site(canonical, self.site.url):
            self.frontier.mark_alias(canonical, url, None)
        return canonical

    def follow_links(self, page: Any, base: str, force: bool) -> bool:
        """Queue the page's in-site links; True when one was unknown until now. A listing that showed something
        new forces its pagination, so an incremental run reads on only while there is news."""
        links = [url for url in (normalize_url(link.url, base) for link in page.links) if url]
        found_new = False
        for url in links:
            found_new = self.frontier.consider(url, force=force and is_pagination(url)) == "new" or found_new
        if found_new and not force:
            for url in links:
                if is_pagination(url):
                    self.frontier.consider(url, force=True)
        return found_new
