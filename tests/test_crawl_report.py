"""The run report (totals, exit status, summary text) and how progress is shown on a terminal or in cron."""

from __future__ import annotations

import io
import logging

from scraper.crawl.progress import crawl_progress
from scraper.crawl.report import MAX_ERRORS_KEPT, CrawlReport, SiteReport


def test_report_totals_status_and_text() -> None:
    good = SiteReport(host="a.test", name="A", pages_fetched=10, new_articles=3, broken_links=2)
    bad = SiteReport(host="b.test", name="B", pages_fetched=5, updated_articles=1)
    for number in range(MAX_ERRORS_KEPT + 5):
        bad.error(f"http://b.test/{number}: HTTP 503 after 4 tries")
    report = CrawlReport(7, [good, bad])
    assert not report.ok and CrawlReport(8, [good]).ok
    totals = report.totals()
    assert (totals["pages_fetched"], totals["new_articles"], totals["errors"]) == (15, 3, MAX_ERRORS_KEPT + 5)
    assert len(report.summary()["sites"][1]["errors"]) == MAX_ERRORS_KEPT
    text = report.text()
    assert text.splitlines()[0] == ("crawl run 7: 2 sites, 15 pages fetched, 3 new and 1 updated articles, "
                                    f"{MAX_ERRORS_KEPT + 5} errors")
    assert "a.test: 10 pages, 3 new, 0 updated, 0 errors, 2 broken links" in text
    assert f"… and {MAX_ERRORS_KEPT} more" in text
    unreachable = SiteReport(host="c.test", name="C", failed="robots.txt unreachable (timeout after 4 tries)")
    assert not CrawlReport(9, [unreachable]).ok
    assert unreachable.line().endswith("FAILED: robots.txt unreachable (timeout after 4 tries)")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_log_lines_otherwise() -> None:
    site = SiteReport(host="a.test", name="A", pages_fetched=1)
    terminal = Terminal()
    with crawl_progress(1, terminal) as update:
        assert update is not None
        update("page", site)
        logging.getLogger("scraper.crawl.run").warning("a.test: something went wrong")
        update("done", site)
    assert "something went wrong" in terminal.getvalue()

    plain = io.StringIO()
    with crawl_progress(1, plain) as update:
        assert update is None
        logging.getLogger("scraper.crawl.run").info("a.test: 1 pages, 0 new, 0 updated, 0 errors")
        logging.getLogger("warta.fetch").info("http://a.test/x: HTTP 404")      # below WARNING: not shown
    lines = plain.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].endswith("INFO a.test: 1 pages, 0 new, 0 updated, 0 errors")
