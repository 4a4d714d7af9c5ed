"""How a crawl talks while it runs: a rich progress bar on a terminal, plain log lines (warnings and one line
per site) otherwise, so cron mail stays short unless something is wrong."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from scraper.crawl.report import SiteReport
from scraper.crawl.run import ProgressCallback


@contextmanager
def crawl_progress(site_count: int, stream: TextIO | None = None) -> Iterator[ProgressCallback | None]:
    """Yield a progress callback for `run_crawl`: a live bar when `stream` (default stderr) is a terminal,
    else None; logging goes to the same stream (warnings, plus one INFO line per finished site)."""
    stream = stream or sys.stderr
    if not stream.isatty():
        handler: logging.Handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
        with _root_handler(handler):
            yield None
        return
    console = Console(file=stream)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("sites"), TimeElapsedColumn())
    with _root_handler(RichHandler(console=console, show_path=False)), \
            Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("crawling", total=site_count)
        pages = 0

        def update(event: str, report: SiteReport) -> None:
            nonlocal pages
            if event == "page":
                pages += 1
                progress.update(task, description=f"{pages} pages ({report.host})")
            else:
                progress.advance(task)

        yield update


@contextmanager
def _root_handler(handler: logging.Handler) -> Iterator[None]:
    """Log WARNING and up through `handler`, and the crawl's INFO lines (one per finished site)."""
    root, crawl_log = logging.getLogger(), logging.getLogger("scraper.crawl")
    levels = root.level, crawl_log.level
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    crawl_log.setLevel(logging.INFO)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])
        crawl_log.setLevel(levels[1])
