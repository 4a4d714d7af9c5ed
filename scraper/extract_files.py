"""`warta extract` as a library: saved pages and WARC recordings in, Article records (JSON-ready) out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from archive.warc import iter_html_responses
from scraper.extract import Page, extract_page
from scraper.extract.site_profile import SiteProfile, learn, page_fingerprint

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
PROFILE_SAMPLE = 12  # pages per site the first pass learns the site's profile from
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


class ExtractInputError(ValueError):
    """A path given to `warta extract` that cannot be used (missing, or neither HTML nor WARC)."""


@dataclass(slots=True)
class Outcome:
    """One page's result: a JSON-ready record (None when skipped) or an error message for stderr."""

    record: dict | None = None
    error: str | None = None


def check_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The paths as Path objects; raises ExtractInputError naming the first unusable one."""
    checked = []
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise ExtractInputError(f"{path}: no such file")
        if not path.name.lower().endswith(HTML_SUFFIXES + WARC_SUFFIXES):
            raise ExtractInputError(f"{path}: not an .html or .warc/.warc.gz file")
        checked.append(path)
    return checked


def page_record(page: Page, include_all: bool) -> dict | None:
    """The line `warta extract` prints for a page: the Article, or with --all a non-article marker with the
    title and main text extraction read (null where the page was refused before its text was read)."""
    if page.article is not None:
        return page.article.to_dict()
    if include_all:
        return {"url": page.url, "source_url": page.source_url, "article": False, "reason": page.reason,
                "title": page.title, "body": page.body}
    return None


def _html_file(path: Path, url: str | None, tz: str, include_all: bool) -> Iterator[Outcome]:
    try:
        content = path.read_bytes()
    except OSError as exc:
        yield Outcome(error=f"{path}: {exc.strerror or exc}")
        return
    page = extract_page(content, url or path.resolve().as_uri(), tz=tz, with_links=False)
    yield Outcome(record=page_record(page, include_all))


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def learn_profiles(paths: Iterable[Path]) -> dict[str, SiteProfile]:
    """The first pass over WARC files: each site's profile, learned from up to PROFILE_SAMPLE of its pages.
    A file is read on only while it still teaches something (reading WARC records costs as much as
    extracting them). Unreadable files are skipped here (the second pass reports them)."""
    profiles: dict[str, SiteProfile] = {}
    for path in paths:
        idle = 0
        try:
            for response in iter_html_responses(path):
                host = _host(response.url)
                if profiles.get(host, SiteProfile()).pages >= PROFILE_SAMPLE:
                    idle += 1
                    if idle >= PROFILE_SAMPLE:  # the file's sites are all learned; another site would show sooner
                        break
                    continue
                idle = 0
                profiles[host] = learn(profiles.get(host), page_fingerprint(response.body, response.content_type))
        except (OSError, EOFError, ValueError):
            continue
    return profiles


def _warc_file(path: Path, tz: str, include_all: bool, profiles: dict[str, SiteProfile]) -> Iterator[Outcome]:
    try:
        for response in iter_html_responses(path):
            page = extract_page(response.body, response.url, tz=tz, content_type=response.content_type,
                                fetched_at=response.fetched_at, with_links=False,
                                profile=profiles.get(_host(response.url)))
            yield Outcome(record=page_record(page, include_all))
    except (OSError, EOFError, ValueError) as exc:     # FastWARC says "Invalid WARC header" as an OSError
        # a truncated or corrupt recording: report it and go on with the next file
        yield Outcome(error=f"{path}: unreadable WARC ({exc})")


def extract_paths(paths: Iterable[Path], *, url: str | None = None, tz: str = "Asia/Jakarta",
                  include_all: bool = False) -> Iterator[Outcome]:
    """Extract every page of the given files in order: `.html` files (URL from `url`, else the page's
    canonical link, else a file: URL) and every HTML 200 response of `.warc`/`.warc.gz` files, each with its
    site's profile learned from the WARC files in a first pass (see learn_profiles)."""
    paths = list(paths)
    profiles = learn_profiles(path for path in paths if path.name.lower().endswith(WARC_SUFFIXES))
    for path in paths:
        if path.name.lower().endswith(WARC_SUFFIXES):
            yield from _warc_file(path, tz, include_all, profiles)
        else:
            yield from _html_file(path, url, tz, include_all)
