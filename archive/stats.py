"""What is in an archive: articles per site and year, where dates came from, crawls, silent sites."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import sqlite_utils

from archive.filters import Filters
from archive.store import iter_rows

SILENT_AFTER_DAYS = 90


def archive_stats(db: sqlite_utils.Database, *, today: date | None = None,
                  filters: Filters | None = None) -> dict[str, Any]:
    """Counts for `warta stats`: totals, per site (with last crawl and state), per year, per date source, sites
    per state, and the sites that published nothing in the last 90 days before `today` (default: the current
    date). `filters` (the school identity ones: level, ownership, province, regency) narrow every count."""
    today = today or date.today()
    silent_since = (today - timedelta(days=SILENT_AFTER_DAYS)).isoformat()
    article_clauses, params = (filters or Filters()).where("articles")
    site_clauses, site_params = (filters or Filters()).where("sites")
    matching = " AND ".join(article_clauses) or "1"
    registered = " AND ".join(site_clauses) or "1"
    sites = list(iter_rows(db, f"""
        WITH hosts AS (SELECT host AS site FROM sites WHERE {registered}
                       UNION SELECT DISTINCT site FROM articles WHERE {matching})
        SELECT hosts.site, sites.name, sites.region, sites.state, sites.state_detail,
               (SELECT count(*) FROM articles WHERE articles.site = hosts.site) AS articles,
               (SELECT min(published_date) FROM articles WHERE articles.site = hosts.site) AS first_published,
               (SELECT max(published_date) FROM articles WHERE articles.site = hosts.site) AS last_published,
               sites.last_crawled, sites.last_new_article
        FROM hosts LEFT JOIN sites ON sites.host = hosts.site
        ORDER BY articles DESC, hosts.site
    """, [*site_params, *params]))
    for site in sites:
        site["silent"] = (site["last_published"] or "") < silent_since
    def count(sql: str) -> int:
        return db.conn.execute(sql, params).fetchone()[0]

    return {
        "articles": count(f"SELECT count(*) FROM articles WHERE {matching}"),
        "versions": count(f"SELECT count(*) FROM article_versions JOIN articles USING (url) WHERE {matching}"),
        "undated": count(f"SELECT count(*) FROM articles WHERE published IS NULL AND {matching}"),
        "sites": sites,
        "years": list(iter_rows(db, f"SELECT year, count(*) AS articles FROM articles WHERE {matching} "
                                    "GROUP BY year ORDER BY year", params)),
        "date_sources": list(iter_rows(db, f"""
            SELECT published_source, count(*) AS articles FROM articles WHERE {matching}
            GROUP BY published_source ORDER BY articles DESC, published_source
        """, params)),
        "states": site_states(db, registered, site_params),
        "last_crawl": next(iter_rows(db, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1"), None),
        "silent_sites": [site["site"] for site in sites if site["silent"]],
        "silent_after_days": SILENT_AFTER_DAYS,
        "today": today.isoformat(),
    }


def site_states(db: sqlite_utils.Database, where: str = "1", params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Sites per state after the last crawl (`never crawled` for none yet), with their hosts, most sites first."""
    rows = iter_rows(db, f"""
        SELECT coalesce(state, 'never crawled') AS state, count(*) AS sites, json_group_array(host) AS hosts
        FROM (SELECT state, host FROM sites WHERE {where} ORDER BY host)
        GROUP BY 1 ORDER BY sites DESC, state
    """, params or [])
    return [{**row, "hosts": json.loads(row["hosts"])} for row in rows]
