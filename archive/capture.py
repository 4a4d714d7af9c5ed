"""Finding an article's captures: the `fetches` rows that point at WARC records of it, and reading one back.

An article is known by its canonical URL; it was fetched under that URL, under its `source_url` (the address after
redirects) or under an address whose rel=canonical named it (`urls.canonical_url`); each 200 fetch with a WARC
reference is a capture. The one shown by default is the one the article row was extracted from (same
`fetched_at`), else the latest.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from archive.warc import Response, read_response

MAX_RECORD_BYTES = 64_000_000  # a record claiming more is not read into memory to be shown


class CaptureMissing(LookupError):
    """No capture can be shown; the message says why, in words for the person who asked."""


@dataclass(slots=True, frozen=True)
class Capture:
    """One fetch of the page, and where its response record sits (`warc_file` relative to the captures folder)."""

    url: str
    fetched_at: str
    warc_file: str
    warc_offset: int
    warc_length: int | None


@dataclass(slots=True)
class Captures:
    """What the archive holds of one address: the article row (None for a page that is not an article, such as
    an image) and its captures, newest first."""

    url: str
    article: dict | None
    captures: list[Capture]

    def choose(self, at: str | None = None) -> Capture:
        """The capture fetched at `at`; by default the one the article row was extracted from, else the latest."""
        if at:
            for capture in self.captures:
                if capture.fetched_at == at:
                    return capture
            raise CaptureMissing(f"no capture of {self.url} was made at {at}")
        if not self.captures:
            raise CaptureMissing(f"warta has no capture of {self.url}")
        extracted_at = (self.article or {}).get("fetched_at")
        return next((c for c in self.captures if c.fetched_at == extracted_at), self.captures[0])


def find_captures(conn: sqlite3.Connection, url: str) -> Captures:
    """The article at `url` (if any) and every capture of it."""
    row = conn.execute("SELECT rowid, url, site, title, source_url, fetched_at FROM articles WHERE url = ?",
                       (url,)).fetchone()
    article = dict(zip(("rowid", "url", "site", "title", "source_url", "fetched_at"), row, strict=True)) \
        if row else None
    addresses = {url}
    if article:
        addresses.add(article["source_url"] or url)
        # The site's rows only: urls has no index on canonical_url, but one on (site, kind).
        addresses.update(found for (found,) in conn.execute(
            "SELECT url FROM urls WHERE site = ? AND canonical_url = ?", (article["site"], url)))
    marks = ", ".join("?" * len(addresses))
    rows = conn.execute(
        f"SELECT url, fetched_at, warc_file, warc_offset, warc_length FROM fetches WHERE url IN ({marks}) "
        "AND status = 200 AND warc_file IS NOT NULL AND warc_offset IS NOT NULL "
        "ORDER BY fetched_at DESC, id DESC", sorted(addresses))
    return Captures(url=url, article=article, captures=[Capture(*found) for found in rows])


def captured_urls(conn: sqlite3.Connection, urls: set[str]) -> set[str]:
    """Which of `urls` the archive holds a capture of (the images of a page it can show from the archive)."""
    if not urls:
        return set()
    marks = ", ".join("?" * len(urls))
    return {url for (url,) in conn.execute(
        f"SELECT DISTINCT url FROM fetches WHERE url IN ({marks}) AND status = 200 AND warc_file IS NOT NULL",
        sorted(urls))}


def read_capture(captures_dir: Path, capture: Capture) -> Response:
    """The recorded response of a capture; CaptureMissing when its file is gone, outside the captures folder,
    unreadable, too large or cut short."""
    folder = captures_dir.resolve()
    path = (folder / capture.warc_file).resolve()
    if not path.is_relative_to(folder):
        raise CaptureMissing(f"the capture of {capture.url} points outside the captures folder")
    if (capture.warc_length or 0) > MAX_RECORD_BYTES:
        raise CaptureMissing(f"the capture of {capture.url} is too large to show ({capture.warc_length:,} bytes)")
    if not path.is_file():
        raise CaptureMissing(f"the capture file {capture.warc_file} is not in the captures folder")
    try:
        return read_response(path, capture.warc_offset, capture.warc_length)
    except EOFError as exc:  # TruncatedRecord included: the crawl was killed while writing it
        raise CaptureMissing(f"the capture of {capture.url} is cut short ({exc})") from exc
    except Exception as exc:  # noqa: BLE001 - whatever a damaged file makes warcio raise, the page says so
        raise CaptureMissing(f"the capture of {capture.url} cannot be read ({exc})") from exc
