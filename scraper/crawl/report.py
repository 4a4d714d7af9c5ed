"""What a crawl run did, per site and in total: counted during the run, printed at the end, stored in crawl_runs."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

log = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 20     # per site, in the stored summary; the count is always exact


@dataclass(slots=True)
class SiteReport:
    """Counts for one site in one run. `errors` are failures worth a look (network, 5xx, site unreachable);
    `broken_links` are 4xx answers to links the site itself printed."""

    host: str
    name: str
    pages_fetched: int = 0
    new_articles: int = 0
    updated_articles: int = 0
    unchanged_articles: int = 0
    not_articles: int = 0
    not_modified: int = 0
    broken_links: int = 0
    error_count: int = 0
    errors: list[str] = field(default_factory=list)
    failed: str | None = None          # why the whole site could not be crawled, if it could not
    doors: list[str] = field(default_factory=list)   # script/meta redirects and frames followed or refused

    def error(self, message: str) -> None:
        """Count a failure, keeping the first few messages for the summary."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(message)

    def line(self) -> str:
        """One log line: `host: 120 pages, 12 new, 1 updated, 0 errors`."""
        text = (f"{self.host}: {self.pages_fetched} pages, {self.new_articles} new, {self.updated_articles} updated, "
                f"{self.error_count} errors")
        if self.broken_links:
            text += f", {self.broken_links} broken links"
        return text + (f" — FAILED: {self.failed}" if self.failed else "")


def log_site_done(report: SiteReport) -> None:
    """The INFO line a finished site leaves in the log, from a local or a distributed crawl (`crawl_progress`
    shows the INFO lines of `scraper.crawl`)."""
    log.info("%s", report.line())


@dataclass(slots=True)
class CrawlReport:
    """A whole run: its id in crawl_runs and one report per site."""

    run_id: int
    sites: list[SiteReport]

    @property
    def ok(self) -> bool:
        """True when no site failed and no page had an error (exit code 0)."""
        return all(s.failed is None and s.error_count == 0 for s in self.sites)

    def totals(self) -> dict[str, int]:
        """Sums over the sites."""
        keys = ("pages_fetched", "new_articles", "updated_articles", "unchanged_articles", "not_articles",
                "not_modified", "broken_links")
        totals = {key: sum(getattr(s, key) for s in self.sites) for key in keys}
        totals["errors"] = sum(s.error_count + (s.failed is not None) for s in self.sites)
        totals["failed_sites"] = sum(s.failed is not None for s in self.sites)
        return totals

    def summary(self) -> dict[str, Any]:
        """The JSON stored in crawl_runs.summary."""
        return {"totals": self.totals(), "sites": [asdict(s) for s in self.sites]}

    def text(self) -> str:
        """The human summary printed at the end of a run."""
        totals = self.totals()
        lines = [f"crawl run {self.run_id}: {len(self.sites)} sites, {totals['pages_fetched']} pages fetched, "
                 f"{totals['new_articles']} new and {totals['updated_articles']} updated articles, "
                 f"{totals['errors']} errors"]
        for site in self.sites:
            lines.append("  " + site.line())
            lines.extend(f"    {message}" for message in site.errors[:5])
            lines.extend(f"    door: {door}" for door in site.doors)
            if site.error_count > 5:
                lines.append(f"    … and {site.error_count - 5} more")
        return "\n".join(lines)
