"""The crawler's state in the archive: runs, sites, known URLs and the fetch log (no HTTP here).

Each function is one short write transaction, so a crawl killed at any moment leaves a consistent archive:
URLs discovered but not yet processed stay `done = 0` and the next run completes them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import sqlite_utils

from archive.db import transaction
from archive.states import SITE_STATES

URL_COLUMNS = ("url", "site", "kind", "status", "first_seen", "last_fetched", "etag", "last_modified",
               "content_hash", "canonical_url", "lastmod_hint", "categories_hint", "error", "attempts", "done",
               "published_hint", "found_via")
FETCH_COLUMNS = ("run_id", "url", "method", "status", "fetched_at", "elapsed_ms", "bytes", "warc_file",
                 "warc_offset", "warc_length", "error")
_INSERT_FETCH = f"INSERT INTO fetches ({', '.join(FETCH_COLUMNS)}) VALUES ({', '.join('?' * len(FETCH_COLUMNS))})"


def begin_run(db: sqlite_utils.Database, sites: list[str], started_at: str) -> int:
    """Record a new crawl run as `running`; runs still `running` from before were killed, so say so."""
    with transaction(db) as conn:
        conn.execute("UPDATE crawl_runs SET status = 'killed' WHERE status = 'running'")
        cursor = conn.execute(
            "INSERT INTO crawl_runs (started_at, status, sites) VALUES (?, 'running', ?)",
            (started_at, json.dumps(sites, ensure_ascii=False)))
        return int(cursor.lastrowid)


def end_run(db: sqlite_utils.Database, run_id: int, *, status: str, finished_at: str,
            summary: Mapping[str, Any]) -> None:
    """Close a run with its status and totals; `summary` holds per-site figures and the totals."""
    totals = summary.get("totals", {})
    with transaction(db) as conn:
        conn.execute(
            "UPDATE crawl_runs SET finished_at = ?, status = ?, pages_fetched = ?, new_articles = ?, "
            "updated_articles = ?, errors = ?, summary = ? WHERE id = ?",
            (finished_at, status, totals.get("pages_fetched", 0), totals.get("new_articles", 0),
             totals.get("updated_articles", 0), totals.get("errors", 0),
             json.dumps(summary, ensure_ascii=False), run_id))


def upsert_site(db: sqlite_utils.Database, site: Mapping[str, Any], now: str) -> None:
    """Create or refresh a `sites` row (host, name, url, timezone, region, cms); keeps `first_crawled`."""
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO sites (host, name, url, timezone, region, cms, first_crawled) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(host) DO UPDATE SET name = excluded.name, url = excluded.url, "
            "timezone = excluded.timezone, region = excluded.region, cms = coalesce(excluded.cms, sites.cms)",
            (site["host"], site.get("name"), site.get("url"), site.get("timezone"), site.get("region"),
             site.get("cms"), now))


def site_crawled(db: sqlite_utils.Database, host: str, now: str, *, found_new: bool) -> None:
    """Stamp a finished site crawl (and when it last yielded a new article)."""
    with transaction(db) as conn:
        conn.execute("UPDATE sites SET last_crawled = ? WHERE host = ?", (now, host))
        if found_new:
            conn.execute("UPDATE sites SET last_new_article = ? WHERE host = ?", (now, host))


def load_urls(db: sqlite_utils.Database, site: str) -> dict[str, dict[str, Any]]:
    """Every known URL of a site with its state, keyed by URL (`categories_hint` decoded to a list)."""
    cursor = db.conn.execute(f"SELECT {', '.join(URL_COLUMNS)} FROM urls WHERE site = ?", (site,))
    states = {}
    for values in cursor:
        row = dict(zip(URL_COLUMNS, values, strict=True))
        row["categories_hint"] = json.loads(row["categories_hint"]) if row["categories_hint"] else []
        states[row["url"]] = row
    return states


def save_urls(db: sqlite_utils.Database, rows: Iterable[Mapping[str, Any]],
              fetches: Iterable[Mapping[str, Any]] = ()) -> None:
    """Log the requests `fetches` (rows of `fetches`) and insert or update URL states, in one transaction; only
    the columns present in each URL row change, `first_seen` is kept."""
    with transaction(db) as conn:
        conn.executemany(_INSERT_FETCH, [[fetch.get(name) for name in FETCH_COLUMNS] for fetch in fetches])
        for row in rows:
            _upsert_url(conn, row)


def record_fetch(db: sqlite_utils.Database, fetch: Mapping[str, Any], urls: Iterable[Mapping[str, Any]]) -> None:
    """Log one request in `fetches` and update the URL states it settled, in one transaction (the crawl stages
    these and saves them with `save_urls`; kept for callers and writer streams that send them one by one)."""
    save_urls(db, urls, [fetch])


def _upsert_url(conn, row: Mapping[str, Any]) -> None:
    values = {name: row[name] for name in URL_COLUMNS if name in row}
    if "categories_hint" in values and not isinstance(values["categories_hint"], str | None):
        values["categories_hint"] = json.dumps(list(values["categories_hint"]), ensure_ascii=False)
    names = list(values)
    updates = ", ".join(f"{name} = excluded.{name}" for name in names if name not in ("url", "first_seen"))
    conn.execute(
        f"INSERT INTO urls ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
        f"ON CONFLICT(url) DO {'UPDATE SET ' + updates if updates else 'NOTHING'}",
        [values[name] for name in names])


def fetched_urls(db: sqlite_utils.Database, run_id: int | None = None) -> list[tuple[str, str]]:
    """(method, url) of every logged request, oldest first, optionally of one run only."""
    sql = "SELECT method, url FROM fetches" + (" WHERE run_id = ?" if run_id is not None else "") + " ORDER BY id"
    return [(m, u) for m, u in db.conn.execute(sql, () if run_id is None else (run_id,))]




def set_site_state(db: sqlite_utils.Database, host: str, state: str, detail: str, now: str) -> None:
    """Record what the last crawl found of a site (DESIGN §13); `state_since` moves only when the state changes."""
    if state not in SITE_STATES:
        raise ValueError(f"unknown site state {state!r}")
    with transaction(db) as conn:
        conn.execute(
            "UPDATE sites SET state_since = CASE WHEN state IS ? THEN coalesce(state_since, ?) ELSE ? END, "
            "state = ?, state_detail = ? WHERE host = ?", (state, now, now, state, detail, host))


def load_profile(db: sqlite_utils.Database, host: str) -> dict[str, Any] | None:
    """The site's learned profile (`sites.profile`, JSON), or None when there is none or it is unreadable."""
    row = db.conn.execute("SELECT profile FROM sites WHERE host = ?", (host,)).fetchone()
    if row is None or not row[0]:
        return None
    try:
        profile = json.loads(row[0])
    except ValueError:
        return None
    return profile if isinstance(profile, dict) else None


def save_profile(db: sqlite_utils.Database, host: str, profile: Mapping[str, Any]) -> None:
    """Store the site's learned profile (the site row must exist: see upsert_site)."""
    with transaction(db) as conn:
        conn.execute("UPDATE sites SET profile = ? WHERE host = ?",
                     (json.dumps(profile, ensure_ascii=False, separators=(",", ":")), host))
