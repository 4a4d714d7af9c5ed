"""Discovery on the long tail: the crawl's side of scraper/crawl/entry.py (doors at the root) and
scraper/crawl/listings.py (listings of sites that announce nothing), README "Crawling".

- Doors: the root's meta refresh, script redirect or frames are followed at once (the page they open is the real
  home page); a listing page that is itself a door has its target queued. Same site only, never a private
  address; each door is logged, kept in `urls.found_via` and listed in the run report.
- Listings: on a site whose sitemap and REST API gave nothing, or of no known platform (not WordPress, Blogger
  or CMS Sekolahku, which has its own reader), every non-article page is read as a listing: its post links are
  queued as articles with the card's date (`DateHint` source `listing`) and the listing's category as hints, its
  menu links to module listings and its pagination as listings, its POST "load more" is asked for while it shows
  new posts. Listings go before articles in the queue, so a post's categories are known when it is stored; on a
  site that announces nothing the menus' listings are re-read each run, their pagination and "load more" only
  when they show a post not archived yet.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from selectolax.lexbor import SelectolaxError

from scraper.config import SiteConfig
from scraper.crawl import entry, listings, pages
from scraper.crawl.fetch import FetchResult
from scraper.crawl.frontier import Frontier
from scraper.crawl.report import SiteReport
from scraper.crawl.sources import Fetch, HasBudget
from scraper.crawl.urls import normalize_url, page_number
from scraper.extract import DateHint

log = logging.getLogger(__name__)

LISTINGS_FIRST = {"listing": 0, "article": 1, "page": 2}
PRINTS_CATEGORIES = frozenset({"wordpress", "blogger"})   # platforms whose post pages print their categories
MAX_DOORS = 4                 # pages opened through the root's doors
MAX_LOAD_MORE = 100           # POST "load more" pages per listing
OFFSET_FIELDS = ("offset", "start")

OpenPage = Callable[[FetchResult, str], Awaitable[Any]]   # extract a fetched page, follow its links: the Page


class LongTail:
    """Doors and listing discovery on one site (the loop calls `open_doors`, `begin` and `read`): it queues what
    it finds in the site's `frontier`, fetches through `fetch` and has a page opened by a door read by
    `open_page`."""

    def __init__(self, site: SiteConfig, home: str, frontier: Frontier, report: SiteReport, *, fetch: Fetch,
                 open_page: OpenPage, has_budget: HasBudget) -> None:
        self.site, self.home, self.frontier, self.report = site, home, frontier, report
        self.fetch, self.open_page, self.has_budget = fetch, open_page, has_budget
        self.active = False
        self.entry_pages: list[tuple[str, FetchResult]] = []
        self.shapes: set[str] = set()              # URL shapes of the site's posts, learned on its listings
        self.led_by: dict[str, str] = {}           # listing URL → text of the menu link that led to it
        self.context: dict[str, str] = {}          # listing URL → category of the listing paginating to it

    # -- doors ------------------------------------------------------------------------------------------------

    async def open_doors(self, result: FetchResult, page: Any) -> tuple[FetchResult, Any]:
        """Follow the root's doors; every page they open has its links followed. Returns the fetch and Page of
        the real home page (the opened page with the most links; the root itself when it has no door)."""
        self.entry_pages = [(self.home, result)]
        main, todo = (result, page), [(self.home, result)]
        while todo:
            url, fetched = todo.pop(0)
            for door in self.doors(fetched, at_root=url == self.home):
                target = self.admitted(door, url)
                if target is None or any(target == seen for seen, _ in self.entry_pages) \
                        or len(self.entry_pages) > MAX_DOORS:
                    continue
                opened = await self.fetch(target, kind="listing")
                self.frontier.note_found_via(target, f"{door.kind} from {url}")
                if opened is None or not opened.ok:
                    continue
                self.entry_pages.append((target, opened))
                todo.append((target, opened))
                opened_page = await self.open_page(opened, target)
                if opened_page is not None and (main[1] is None or len(opened_page.links) > len(main[1].links)):
                    main = (opened, opened_page)
        return main

    def is_entry(self, url: str) -> bool:
        """Whether a door at the root opened this page: the site's real home page, never an article."""
        return any(url == opened for opened, _ in self.entry_pages[1:])

    def doors(self, result: FetchResult, *, at_root: bool = False) -> list[entry.Door]:
        """The page's doors; at the root, a splash page's links too."""
        try:
            found = entry.find_doors(result.content, result.final_url)
            return found or (entry.splash_links(result.content, result.final_url) if at_root else [])
        except (ValueError, TypeError, RecursionError, SelectolaxError) as exc:
            log.warning("%s: doors of %s not read: %r", self.site.host, result.url, exc)
            return []

    def admitted(self, door: entry.Door, url: str, *, at_root: bool = True) -> str | None:
        """The door's target when it may be followed; else None, logged and reported (past the root, a frame
        of another site, such as an embedded video, only when its address is private)."""
        target = normalize_url(door.url)
        reason = entry.refusal(target, self.site.url) if target else "not a web address"
        if reason == "another site" and not at_root:
            return None
        if reason:
            log.warning("%s: %s on %s to %s not followed: %s", self.site.host, door.kind, url, door.url, reason)
            self.report.doors.append(f"not followed: {door.kind} {url} → {door.url} ({reason})")
            return None
        log.info("%s: following %s on %s to %s", self.site.host, door.kind, url, target)
        self.report.doors.append(f"{door.kind} {url} → {target}")
        return target

    # -- listings ---------------------------------------------------------------------------------------------

    async def begin(self, cms: str | None) -> None:
        """After sitemaps, feeds and REST: read listings (entry pages first) on a site they did not list, and on
        one of no known platform (its listings may be the only place its categories and dates are printed)."""
        if cms == "sekolahku" or self.frontier.announced and cms in PRINTS_CATEGORIES:
            return
        self.active = True
        self.frontier.reorder(LISTINGS_FIRST)
        for url, fetched in self.entry_pages:
            listing = await self.read_listing(fetched, url)
            self.reread_listings([target for target, _ in listing.modules])

    async def read(self, result: FetchResult, url: str, page: Any) -> None:
        """A visited page that is no article: a door to queue, and (when active) a listing to read."""
        if page is None or page.article is not None:
            return
        targets = [target for door in self.doors(result)
                   if (target := self.admitted(door, url, at_root=False))
                   and self.queue(target, "listing", f"{door.kind} from {url}")]
        if targets:                                   # a door to a listing stands for it: re-read like one
            self.mark_listing(url)
            if url in self.frontier.reread:
                self.reread_listings(targets)
        if self.active:
            await self.read_listing(result, url)

    def reread_listings(self, links: list[str]) -> None:
        """No sitemap: news shows on the module and category listings the entry pages and their menus link, so
        those known from earlier runs are read again in this one (first pages only; month archives only show
        news of their month, tag pages repeat the rest)."""
        frontier = self.frontier
        if frontier.announced:
            return                                    # its sitemap or REST API says what is new
        for target in links:
            url = normalize_url(target)
            state = frontier.known.get(url or "")
            if url and state and state["kind"] == "listing" and page_number(url) is None \
                    and not listings.is_dated_archive(url) and url not in frontier.reread:
                frontier.reread.add(url)
                frontier.consider(url, kind="listing")

    async def read_listing(self, result: FetchResult, url: str) -> listings.Listing:
        frontier = self.frontier
        listing = await pages.in_page_thread(self.parse, result.content, result.final_url, self.led_by.get(url))
        if url in frontier.reread:
            self.reread_listings([target for target, _ in listing.modules])
        self.shapes |= listing.shapes
        category = listing.category or self.context.get(url)
        if any(not post.aside for post in listing.posts):     # a side widget of latest posts is not enough
            self.mark_listing(url)
        # Pagination and "load more" only while the listing shows a post not archived yet.
        fresh = any(not frontier.is_done(normalize_url(post.url) or "") for post in listing.posts)
        for post in listing.posts:
            self.queue_post(post, category, f"listed on {url}")
        for target, text in listing.modules:
            if (key := normalize_url(target)) and text:
                self.led_by.setdefault(key, text)
            self.queue(target, "listing", f"menu of {url}: {text!r}")
        for target, base in listing.first_pages.items():      # `?hal=1`: the listing itself under another name
            alias, named = normalize_url(target), normalize_url(base)
            if alias and named and frontier.is_done(named) and not frontier.is_done(alias):
                frontier.mark_alias(alias, named, None)
        for target in listing.areas:
            self.queue(target, "page", f"image map of {url}")
        for target in listing.pages:
            if category and (key := normalize_url(target)):
                self.context.setdefault(key, category)
            self.queue(target, "listing", f"next page of {url}", force=fresh)
        if fresh and listing.load_more is not None:
            await self.load_more(listing.load_more, url, category, {post.url for post in listing.posts})
        return listing

    async def load_more(self, request: listings.LoadMore, url: str, category: str | None, seen: set[str]) -> None:
        """Ask for the listing's next posts by POST, page after page, while each answer shows new posts."""
        for _ in range(MAX_LOAD_MORE):
            if not self.has_budget() or (request.total is not None and request.number > request.total):
                return
            result = await self.fetch(request.url, kind=None, method="POST", data=request.form, accept=(),
                                         headers={"X-Requested-With": "XMLHttpRequest"})
            if result is None or not result.ok:
                return
            answer = self.parse(result.content, url, None)
            new = [post for post in answer.posts if post.url not in seen]
            if not new:
                return
            seen.update(post.url for post in new)
            for post in new:
                self.queue_post(post, category, f"load more of {url}")
            following = answer.load_more
            if following is None and request.from_form:
                return
            step = len(answer.posts) if request.page_field in OFFSET_FIELDS else 1
            request = following if following is not None and following.number > request.number \
                else request.next(step)

    def parse(self, content: bytes, url: str, led_by: str | None) -> listings.Listing:
        """The page read as a listing; an empty one when its markup cannot be read (bad input never stops a crawl)."""
        try:
            return listings.read_listing(content, url, tz=self.site.timezone,
                                         known_shapes=frozenset(self.shapes), led_by=led_by)
        except (ValueError, TypeError, RecursionError, SelectolaxError) as exc:
            log.warning("%s: %s not read as a listing: %r", self.site.host, url, exc)
            return listings.Listing()

    # -- queueing ---------------------------------------------------------------------------------------------

    def queue_post(self, post: listings.ListedPost, category: str | None, note: str) -> None:
        categories = (category,) if category and not post.aside else ()
        published = DateHint("listing", post.date) if post.date else None
        self.queue(post.url, "article", note, categories=categories, published=published)

    def queue(self, raw_url: str, kind: str, note: str, *, force: bool = False, **hints: Any) -> str | None:
        """Consider a URL as `kind`; one queued earlier under a weaker guess (a menu link taken for a page) moves
        up to its place in the queue. New URLs keep `note` in `urls.found_via`. Returns the URL, None when it is
        not followed."""
        frontier = self.frontier
        outcome = frontier.consider(raw_url, kind=kind, force=force, **hints)
        url = normalize_url(raw_url)
        if outcome is None or url is None:
            return None
        state = frontier.known[url]
        if outcome == "new":
            self.frontier.note_found_via(url, note)
        if LISTINGS_FIRST.get(kind, 2) < LISTINGS_FIRST.get(state["kind"], 2) and not state.get("done") \
                and state.get("last_fetched_run") != frontier.run_id:
            frontier.requeue(url, kind, force)
        return url

    def mark_listing(self, url: str) -> None:
        if self.frontier.known[url]["kind"] != "listing" and url != self.home:
            self.frontier.set_kind(url, "listing")
