"""What a fetched page yields: the `fetches` row logging the request, the problem worth reporting if it failed,
the Page extracted from it, and what it is when it is no article (listing, page, spam)."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from scraper.config import SiteConfig
from scraper.crawl.fetch import FetchResult
from scraper.crawl.report import SiteReport
from scraper.crawl.site_state import SPAM_KIND, is_spam
from scraper.crawl.urls import guess_kind
from scraper.extract import DateHint, extract_page
from scraper.extract.site_profile import SiteProfile

log = logging.getLogger(__name__)

QUIET_ERRORS = ("not HTML", "disallowed by robots", "off-site redirect", "blocked")   # expected, not errors
T = TypeVar("T")
# One thread parses and extracts the pages of every site. asyncio's default pool gave a crawl up to six, which
# gain nothing under the GIL (parsing and extraction are Python) but hand it to each other and to the event
# loop at every switch interval.
_page_thread: ThreadPoolExecutor


def _new_page_thread() -> None:
    global _page_thread
    _page_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warta-pages")


_new_page_thread()
# A forked child has no copy of the thread, and a pool that thinks it has one would never run what it is given.
os.register_at_fork(after_in_child=_new_page_thread)


async def in_page_thread(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`function(*args, **kwargs)` run in the crawl's page thread, so the event loop keeps every other host's
    requests on time meanwhile."""
    return await asyncio.get_running_loop().run_in_executor(_page_thread, partial(function, *args, **kwargs))


def fetch_row(result: FetchResult, method: str, run_id: int) -> dict[str, Any]:
    """The `fetches` row logging one request: what was asked, the answer, and where it was captured."""
    return {
        "run_id": run_id, "url": result.url, "method": method, "status": result.status,
        "fetched_at": result.fetched_at, "elapsed_ms": result.elapsed_ms, "bytes": len(result.content),
        "warc_file": result.warc.file if result.warc else None,
        "warc_offset": result.warc.offset if result.warc else None,
        "warc_length": result.warc.length if result.warc else None, "error": result.error,
    }


def note_problem(report: SiteReport, result: FetchResult, kind: str | None) -> None:
    """Count a failed fetch in `report`: a 4xx of a printed link is a broken link, the rest worth a look an
    error (logged); expected refusals (not HTML, robots, off-site) are neither."""
    if result.ok or result.not_modified or result.read_already:
        return
    message = f"{result.url}: {result.error or f'HTTP {result.status}'}"
    if result.status is not None and 400 <= result.status < 500 and result.status != 429:
        report.broken_links += kind is None      # probing sitemaps/feeds may miss: not a broken link
        return
    if result.error and result.error.startswith(QUIET_ERRORS):
        return
    log.warning("%s: %s", report.host, message)
    report.error(message)


async def extract(result: FetchResult, site: SiteConfig, *, cms: str | None, discovered: DateHint | None,
                  profile: SiteProfile) -> Any:
    """The Page of a fetched page, extracted in the page thread."""
    return await in_page_thread(
        extract_page, result.content, result.final_url, tz=site.timezone,
        content_type=result.headers.get("content-type"), fetched_at=result.fetched_at, cms=cms,
        selectors=site.selectors or None, discovered=discovered, profile=profile, fingerprint=True)


def page_kind(page: Any, url: str, final: str, home: str) -> str:
    """What a page that is no article is: spam, a listing (the home page included) or another page."""
    kind = "listing" if guess_kind(final) == "listing" or url == home else "page"
    return SPAM_KIND if is_spam(page) else kind
