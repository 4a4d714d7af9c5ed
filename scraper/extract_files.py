"""`warta extract` as a library: saved pages and WARC recordings in, Article records (JSON-ready) out."""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from archive.warc import iter_html_responses
from scraper.extract import Page, extract_page
from scraper.extract.site_profile import SiteProfile, learn, page_fingerprint

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from scraper.recorded_leads import RecordedHints

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


def _warc_file(path: Path, tz: str, include_all: bool, profiles: dict[str, SiteProfile],
               date_hints: RecordedHints | None) -> Iterator[Outcome]:
    try:
        for response in iter_html_responses(path):
            page = extract_page(response.body, response.url, tz=tz, content_type=response.content_type,
                                fetched_at=response.fetched_at, with_links=False,
                                profile=profiles.get(_host(response.url)),
                                discovered=date_hints.for_url(response.url) if date_hints else None)
            yield Outcome(record=page_record(page, include_all))
    except (OSError, EOFError, ValueError) as exc:     # FastWARC says "Invalid WARC header" as an OSError
        # a truncated or corrupt recording: report it and go on with the next file
        yield Outcome(error=f"{path}: unreadable WARC ({exc})")


@dataclass(frozen=True, slots=True)
class _Job:
    """What extracting one file needs besides the file: the same for every file of a run."""

    url: str | None
    tz: str
    include_all: bool
    profiles: dict[str, SiteProfile]
    date_hints: RecordedHints | None   # what the recorded feeds and REST answers say of each post

    def outcomes(self, path: Path) -> Iterator[Outcome]:
        if path.name.lower().endswith(WARC_SUFFIXES):
            return _warc_file(path, self.tz, self.include_all, self.profiles, self.date_hints)
        return _html_file(path, self.url, self.tz, self.include_all)


_worker_job: _Job | None = None   # set in each worker process of a parallel run


def _start_worker(job: _Job) -> None:
    global _worker_job
    _worker_job = job


def _file_in_worker(path: Path) -> list[Outcome]:
    assert _worker_job is not None
    return list(_worker_job.outcomes(path))


def default_jobs() -> int:
    """The cores this process may use (`warta extract --jobs` by default)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def extract_paths(paths: Iterable[Path], *, url: str | None = None, tz: str = "Asia/Jakarta",
                  include_all: bool = False, jobs: int = 1) -> Iterator[Outcome]:
    """Extract every page of the given files in order: `.html` files (URL from `url`, else the page's
    canonical link, else a file: URL) and every HTML 200 response of `.warc`/`.warc.gz` files, each with its
    site's profile learned from the WARC files in a first pass (see learn_profiles) and the date hints of the
    feeds and REST answers recorded in them (`recorded_date_hints`), as the crawl passes its discovery's.

    `jobs` > 1 extracts up to that many files at once in forked worker processes (where the platform forks);
    the outcomes come in the same order as with one, a file's all at once."""
    paths = list(paths)
    warcs = [path for path in paths if path.name.lower().endswith(WARC_SUFFIXES)]
    job = _Job(url, tz, include_all, learn_profiles(warcs), _recorded_hints(warcs))
    workers = min(jobs, len(paths))
    if workers > 1 and _forks():
        yield from _in_workers(job, paths, workers)
    else:
        for path in paths:
            yield from job.outcomes(path)


def _recorded_hints(warcs: list[Path]) -> RecordedHints | None:
    if not warcs:
        return None
    from scraper.recorded_leads import recorded_date_hints  # here: saved pages alone never need the crawl's parsers

    return recorded_date_hints(warcs)


def _forks() -> bool:
    import multiprocessing  # here: a one-file run (the usual `warta extract page.html`) never needs it

    return "fork" in multiprocessing.get_all_start_methods()


def _in_workers(job: _Job, paths: list[Path], workers: int) -> Iterator[Outcome]:
    """The files' outcomes in order, made by `workers` forked processes (they start with everything imported
    and the profiles learned). At most two files a worker are ahead of the reader, so the outcomes held wait
    for one slow file, not for the whole list. When a worker dies (a crash, the OOM killer), the file then
    awaited is run again alone, so only the file that kills a worker is lost (and reported)."""
    from concurrent.futures.process import BrokenProcessPool

    pending = iter(paths)
    while True:
        with _pool(job, workers) as pool:
            window: deque[tuple[Path, Future[list[Outcome]]]] = deque(
                (path, pool.submit(_file_in_worker, path)) for path in itertools.islice(pending, 2 * workers))
            awaited = None
            while window:
                path, future = window.popleft()
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    awaited = path
                    break
                yield from outcomes
                window.extend((path, pool.submit(_file_in_worker, path)) for path in itertools.islice(pending, 1))
        if awaited is None:
            return
        yield from _alone(job, awaited)
        pending = itertools.chain([path for path, _ in window], pending)


def _pool(job: _Job, workers: int) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(job,))


def _alone(job: _Job, path: Path) -> list[Outcome]:
    from concurrent.futures.process import BrokenProcessPool

    with _pool(job, 1) as pool:
        try:
            return pool.submit(_file_in_worker, path).result()
        except BrokenProcessPool:
            return [Outcome(error=f"{path}: the extraction worker died")]
