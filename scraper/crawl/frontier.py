"""What to fetch next on one site: the URLs the archive knows (their `urls` rows), the queue of pages this run
fetches, and the rows staged for `urls` until the loop saves them (scraper/crawl/run.py says when a URL done
before is fetched again).

No I/O here: discovery and the loop tell the frontier what they found, the frontier decides what is queued.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from scraper.config import SiteConfig
from scraper.crawl.discover import Lead
from scraper.crawl.fetch import FetchResult, utc_now_iso
from scraper.crawl.guard import ip_literal_problem
from scraper.crawl.urls import guess_kind, is_first_listing_page, normalize_url, trap_reason
from scraper.extract import DateHint
from scraper.sites import site_key

log = logging.getLogger(__name__)

# Queue priorities: article candidates first, so a capped crawl spends its budget on news.
PRIORITY = {"article": 0, "listing": 1, "page": 2}
COMPLETE_SOURCES = frozenset({"sitemap", "api"})   # sources listing every post: no listing discovery needed
MAX_ATTEMPTS = 3               # runs in a row a URL may fail transiently before it is given up
TRANSIENT = re.compile(r"timeout|HTTP 5\d\d|HTTP 429|connection|reset|refused|network|unreachable", re.I)


@dataclass(order=True, slots=True)
class Task:
    """One page to fetch; ordered by priority then discovery order."""

    priority: int
    seq: int
    url: str = field(compare=False)
    force: bool = field(default=False, compare=False)


class Frontier:
    """One site's URLs in one run: what is known of each, what is queued, what is staged for `urls`."""

    def __init__(self, site: SiteConfig, run_id: int, revisit_days: float) -> None:
        self.site, self.run_id, self.revisit_days = site, run_id, revisit_days
        self.site_key = site_key(site.url)              # `same_site` of every link asked the site URL's too
        self.known: dict[str, dict[str, Any]] = {}
        self.hints: dict[str, list[str]] = {}          # url → categories named by listings/REST
        self.date_hints: dict[str, DateHint] = {}       # url → publication date a feed/REST/sitemap gave this run
        self.earlier_date_hints: dict[str, DateHint] = {}   # … and the one kept from earlier runs
        self.queue: list[Task] = []
        self.scheduled: set[str] = set()
        self.revalidate: set[str] = set()               # done before, fetched again: conditional GET
        self.pending_rows: dict[str, dict[str, Any]] = {}
        self.counter = itertools.count()
        self.now = datetime.now(UTC)
        self.includes = [re.compile(p) for p in site.include]
        self.excludes = [re.compile(p) for p in site.exclude]
        self.blocked: set[str] = set()                  # off-site links to non-public IP literals, logged once
        self.priority = PRIORITY                        # the long tail puts listings first where it reads them
        self.announced = 0                              # URLs a sitemap or the REST API listed this run
        self.reread: set[str] = set()                   # listings read again every run (long tail)

    def remember(self, known: dict[str, dict[str, Any]]) -> None:
        """Start from the site's `urls` rows as an earlier run left them."""
        self.known = known
        self.earlier_date_hints = {url: hint for url, state in known.items()
                                   if (hint := _decode_date_hint(state.get("published_hint")))}

    # -- what to queue ----------------------------------------------------------------------------------------

    def consider(self, raw_url: str, *, lastmod: str | None = None, source: str = "", categories: Sequence[str] = (),
                 kind: str | None = None, force: bool = False, published: DateHint | None = None) -> str | None:
        """Queue `raw_url` if this run should fetch it; remember its hints either way. Returns `new` (never
        seen before), `queued` (seen, fetched again now), `known` (nothing to do) or None (not followed)."""
        url = normalize_url(raw_url)
        if url is not None and (self.site_key is None or site_key(url) != self.site_key):
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
            if url not in self.hints:   # a resumed or later run adds to what earlier runs' listings named
                self.hints[url] = list((self.known.get(url) or {}).get("categories_hint") or [])
            merged = self.hints[url]
            merged.extend(c for c in categories if c not in merged)
        row: dict[str, Any] = {}
        # a feed's or REST's date replaces a sitemap's lastmod; an entry without a date keeps a dated hint
        if published is not None and published.replaces(self.date_hints.get(url)):
            self.date_hints[url] = published
            kept = self.earlier_date_hints.get(url)
            if published != kept and (published.lists_posts or kept is None or not kept.lists_posts) \
                    and (published.published or kept is None or not kept.published):
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
        hints = _decode_hints(state.get("lastmod_hint") if state and lastmod else None)   # links give none
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

    def consider_lead(self, lead: Lead, *, kind: str | None = None) -> str | None:
        """`consider` a URL a discovery source named, with what the source said about it."""
        return self.consider(lead.url, lastmod=lead.lastmod, source=lead.source, categories=lead.categories,
                             kind=kind, published=lead.date_hint())

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
        return self.now - fetched > timedelta(days=self.revisit_days)

    # -- the queue --------------------------------------------------------------------------------------------

    def next_task(self) -> Task | None:
        """The next page to fetch (None: the queue is empty), past those reached under another name this run
        (a redirect target)."""
        while self.queue:
            task = heapq.heappop(self.queue)
            state = self.known.get(task.url)
            if not (state and state.get("done") and state.get("last_fetched_run") == self.run_id):
                return task
        return None

    def unqueue(self, url: str) -> None:
        """Take `url` out of the queue (it is fetched out of turn)."""
        self.queue = [task for task in self.queue if task.url != url]
        heapq.heapify(self.queue)

    def reorder(self, priority: dict[str, int]) -> None:
        """Queue by `priority` (kind → rank) from now on, the pages queued so far included."""
        self.priority = priority
        self.queue = [replace(task, priority=priority.get(self.known[task.url]["kind"], 2)) for task in self.queue]
        heapq.heapify(self.queue)

    def requeue(self, url: str, kind: str, force: bool) -> None:
        """`url` is a `kind` after all: so it is staged, and moved to that kind's place if it is queued."""
        self.set_kind(url, kind)
        if url in self.scheduled:
            self.unqueue(url)
            self.scheduled.discard(url)
            self.consider(url, kind=kind, force=force)

    # -- what is known of each URL ----------------------------------------------------------------------------

    def stage_row(self, url: str, row: dict[str, Any], kind: str) -> None:
        """Update what is known of `url` (new: a fresh `urls` row of `kind`) and stage the change for `urls`."""
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

    def set_kind(self, url: str, kind: str) -> None:
        """What `url` turned out to be (article, listing, page, spam)."""
        self.known[url]["kind"] = kind
        self.pending_rows.setdefault(url, {"url": url})["kind"] = kind

    def note_found_via(self, url: str, note: str) -> None:
        """Keep how a URL was found in `urls.found_via` (the first way only)."""
        state = self.known.get(url)
        if state is not None and not state.get("found_via"):
            state["found_via"] = note
            self.pending_rows.setdefault(url, {"url": url})["found_via"] = note

    def mark_article(self, url: str, canonical: str) -> None:
        """`url` held an article stored under `canonical`."""
        self.known[url]["kind"] = "article"
        self.pending_rows.setdefault(url, {"url": url}).update(kind="article", canonical_url=canonical)

    def mark_read_under(self, url: str, kind: str, canonical: str | None) -> None:
        """`url` showed a page read this run under another name (it redirected there): done, of that page's kind
        (an article stored under `canonical`)."""
        self.known[url].update(kind=kind, done=1, last_fetched_run=self.run_id)
        row = self.pending_rows.setdefault(url, {"url": url})
        row.update(kind=kind, done=1, **({"canonical_url": canonical} if canonical else {}))

    def mark_done(self, url: str) -> None:
        """The loop has finished with `url` for this run."""
        self.stage_row(url, {"done": 1}, guess_kind(url))

    def take_rows(self) -> list[dict[str, Any]]:
        """The staged `urls` rows, to be saved now (the stage is empty after)."""
        rows = list(self.pending_rows.values())
        self.pending_rows.clear()
        return rows

    def is_done(self, url: str) -> bool:
        """Whether `url` was fully processed in this run or an earlier one."""
        return bool((self.known.get(url) or {}).get("done"))

    def categories(self, *urls: str) -> list[str]:
        """The categories discovery named for a page known under `urls` (in that order), else those kept."""
        for url in urls:
            if named := self.hints.get(url):
                return list(named)
        return list(self.known.get(urls[0], {}).get("categories_hint") or [])

    def discovery_date(self, *urls: str) -> DateHint | None:
        """What discovery said about the publication date of a page known under `urls`: a feed's, REST's or
        listing's date before a sitemap's lastmod, this run's before an earlier run's."""
        hints = [hint for found in (self.date_hints, self.earlier_date_hints) for url in urls
                 if (hint := found.get(url)) is not None]
        return next((hint for hint in hints if hint.lists_posts), hints[0] if hints else None)

    def fetched(self, url: str, result: FetchResult, kind: str | None) -> None:
        """Record a GET of `url`: its new state, staged for `urls` (saved with the `fetches` row)."""
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
            # The capture hashed the same bytes for its payload digest: not hashed twice.
            row["content_hash"] = (result.warc.payload_sha1 if result.warc and result.warc.payload_sha1
                                   else hashlib.sha1(result.content).digest()).hex()
        self.stage_row(url, row, kind or guess_kind(url))
        self.known[url]["last_fetched_run"] = self.run_id if result.ok or result.not_modified else None

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
