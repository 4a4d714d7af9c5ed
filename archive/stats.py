"""What is in an archive: articles per site and year, where dates came from, crawls, silent sites."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlite_utils

from archive.store import iter_rows

SILENT_AFTER_DAYS = 90


def archive_stats(db: sqlite_utils.Database, *, today: date | None = None) -> dict[str, Any]:
    """Counts for `warta stats`: totals, per site (with last crawl), per year, per date source, and the sites
    that published nothing in the last 90 days before `today` (default: the current date)."""
    today = today or date.today()
    silent_since = (today - timedelta(days=SILENT_AFTER_DAYS)).isoformat()
    sites = list(iter_rows(db, """
        WITH hosts AS (SELECT host AS site FROM sites UNION SELECT DISTINCT site FROM articles)
        SELECT hosts.site, sites.name, sites.region,
               (SELECT count(*) FROM articles WHERE articles.site = hosts.site) AS articles,
               (SELECT min(published_date) FROM articles WHERE articles.site = hosts.site) AS first_published,
               (SELECT max(published_date) FROM articles WHERE articles.site = hosts.site) AS last_published,
               sites.last_crawled, sites.last_new_article
        FROM hosts LEFT JOIN sites ON sites.host = hosts.site
        ORDER BY articles DESC, hosts.site
    """))
    for site in sites:
        site["silent"] = (site["last_published"] or "") < silent_since
    return {
        "articles": db.conn.execute("SELECT count(*) FROM articles").fetchone()[0],
        "versions": db.conn.execute("SELECT count(*) FROM article_versions").fetchone()[0],
        "undated": db.conn.execute("SELECT count(*) FROM articles WHERE published IS NULL").fetchone()[0],
        "sites": sites,
        "years": list(iter_rows(db, "SELECT year, count(*) AS articles FROM articles GROUP BY year ORDER BY year")),
        "date_sources": list(iter_rows(db, """
            SELECT published_source, count(*) AS articles FROM articles
            GROUP BY published_source ORDER BY articles DESC, published_source
        """)),
        "last_crawl": next(iter_rows(db, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1"), None),
        "silent_sites": [site["site"] for site in sites if site["silent"]],
        "silent_after_days": SILENT_AFTER_DAYS,
        "today": today.isoformat(),
    }
