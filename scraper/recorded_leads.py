"""What a WARC recording's feeds and REST answers say about its posts, for `warta extract`: the date hints the
crawl would have had when it fetched the same pages (scraper.crawl.discover parses them, as in the crawl).

A post whose page prints no date (themes that show none, Astra's default post meta among them) is archived by the
crawl with its feed `pubDate` or REST `date`; read from a recording of the same site it gets the same date, and a
page a feed or the REST API lists is read as a post, as in the crawl. Sitemaps are left out: their `lastmod` is no
publication date, and a URL they list is no sign of a post."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from archive.warc import Response, iter_data_responses
from scraper.crawl.discover import Lead, parse_feed, parse_wp_posts
from scraper.crawl.urls import normalize_url
from scraper.extract import DateHint

_FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")


@dataclass(frozen=True, slots=True)
class RecordedHints:
    """Normalised post URL → the date hint its recorded feed entries and REST rows give."""

    by_url: dict[str, DateHint] = field(default_factory=dict)

    def for_url(self, url: str) -> DateHint | None:
        """The hint for a recorded page's URL (compared in normalised form), or None."""
        return self.by_url.get(normalize_url(url) or "") if self.by_url else None


def recorded_date_hints(paths: Iterable[Path]) -> RecordedHints:
    """The date hints of the feeds and REST answers recorded in WARC files, merged as the crawl's frontier merges
    them (`DateHint.replaces`). Unreadable files are skipped (extraction reports them)."""
    hints: dict[str, DateHint] = {}
    for path in dict.fromkeys(paths):   # a file given twice is read once
        try:
            for response in iter_data_responses(path, _may_list_posts):
                for lead in _leads(response):
                    hint, url = lead.date_hint(), normalize_url(lead.url)
                    if hint is not None and url is not None and hint.replaces(hints.get(url)):
                        hints[url] = hint
        except (OSError, EOFError, ValueError):
            continue
    return RecordedHints(hints)


def _may_list_posts(url: str, content_type: str) -> bool:
    """Whether a recorded XML or JSON answer can be a post feed or a `wp/v2/posts` answer, asked before its body
    is read: a WordPress recording holds as many other REST answers (pages, oEmbed) and sitemaps as posts."""
    url = unquote(url).lower()
    if "json" in content_type:
        return "/wp/v2/posts" in url
    return "sitemap" not in url and "comment" not in url


def _leads(response: Response) -> list[Lead]:
    """The posts a recorded post feed or `wp/v2/posts` answer lists (none for any other XML or JSON)."""
    if "json" in (response.content_type or "").lower():
        return parse_wp_posts(response.body, {})
    head = response.body[:1024].lstrip().lower()
    return parse_feed(response.body, response.url) if any(root in head for root in _FEED_ROOTS) else []
