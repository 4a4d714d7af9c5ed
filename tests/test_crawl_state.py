"""Crawl state in a real archive file: runs, killed runs, URL upserts and the fetch log."""

from __future__ import annotations

import json
from pathlib import Path

from archive.crawl_state import (
    begin_run,
    end_run,
    fetched_urls,
    load_urls,
    record_fetch,
    save_urls,
    site_crawled,
    upsert_site,
)
from archive.db import open_archive


def test_runs_sites_urls_and_fetches(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "a.db")
    first = begin_run(db, ["x.test"], "2026-01-01T00:00:00Z")
    second = begin_run(db, ["x.test"], "2026-01-02T00:00:00Z")    # the first never finished: it was killed
    end_run(db, second, status="ok", finished_at="2026-01-02T00:10:00Z",
            summary={"totals": {"pages_fetched": 3, "new_articles": 1, "errors": 0}})
    runs = {row["id"]: row for row in db["crawl_runs"].rows}
    assert runs[first]["status"] == "killed"
    assert (runs[second]["status"], runs[second]["pages_fetched"], runs[second]["new_articles"]) == ("ok", 3, 1)
    assert json.loads(runs[second]["summary"])["totals"]["pages_fetched"] == 3

    upsert_site(db, {"host": "x.test", "name": "X", "url": "http://x.test/", "timezone": "Asia/Jakarta",
                     "region": None, "cms": None}, "2026-01-02T00:00:00Z")
    upsert_site(db, {"host": "x.test", "name": "X2", "url": "http://x.test/", "cms": "wordpress"}, "2026-01-03")
    site_crawled(db, "x.test", "2026-01-03T00:00:00Z", found_new=True)
    site = db["sites"].get("x.test")
    assert (site["name"], site["cms"], site["first_crawled"]) == ("X2", "wordpress", "2026-01-02T00:00:00Z")
    assert site["last_new_article"] == "2026-01-03T00:00:00Z"

    save_urls(db, [{"url": "http://x.test/a", "site": "x.test", "kind": "article", "first_seen": "t1",
                    "categories_hint": ["Berita"], "done": 0}])
    record_fetch(db, {"run_id": second, "url": "http://x.test/a", "method": "GET", "status": 200},
                 [{"url": "http://x.test/a", "first_seen": "t2", "status": 200, "done": 1}])
    state = load_urls(db, "x.test")["http://x.test/a"]
    assert (state["first_seen"], state["status"], state["done"], state["kind"]) == ("t1", 200, 1, "article")
    assert state["categories_hint"] == ["Berita"]
    assert fetched_urls(db, second) == [("GET", "http://x.test/a")]
    assert fetched_urls(db, first) == []

    save_urls(db, [{"url": "http://x.test/b", "site": "x.test", "kind": "page", "done": 1}],      # as the crawl does
              [{"run_id": second, "url": u, "method": "GET", "status": 200} for u in ("http://x.test/b", "http://x.test/c")])
    assert fetched_urls(db, second)[1:] == [("GET", "http://x.test/b"), ("GET", "http://x.test/c")]
    assert load_urls(db, "x.test")["http://x.test/b"]["done"] == 1
