"""The crawl saves a site's articles and URL states in groups, the articles of a group before the `urls` rows that
say their pages are done (so a killed crawl never leaves a page marked done without its article)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from test_crawl_corpus import articles
from test_crawl_hints import one_site_config

from archive import crawl_state
from archive.store import save_labelled
from scraper.crawl import run
from scraper.crawl.run import run_crawl
from scraper.crawl.writer import ArchiveWorker

POSTS = 20


def post(number: int) -> str:
    return (f"<!doctype html><html lang='id'><head><title>Kegiatan Sekolah {number}</title>"
            "<meta property='article:published_time' content='2025-05-20T08:45:00+07:00'></head><body>"
            f"<article><h1>Kegiatan Sekolah Nomor {number}</h1><div class='entry-content'>"
            f"<p>Siswa kelas {number} mengikuti kegiatan bakti sosial di panti asuhan dekat sekolah bersama guru.</p>"
            f"<p>Kegiatan nomor {number} melatih kepedulian siswa terhadap sesama dan mempererat hubungan warga.</p>"
            "</div></article></body></html>")


def test_articles_are_saved_in_groups_before_the_rows_marking_their_pages_done(
        fault_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    links = " ".join(f"<a href='/kegiatan-{n}/'>Kegiatan {n}</a>" for n in range(POSTS))
    fault_server.add("/", f"<html><body><h1>Beranda</h1>{links}</body></html>")
    for n in range(POSTS):
        fault_server.add(f"/kegiatan-{n}/", post(n))
    calls: list[tuple[str, Any]] = []
    call = ArchiveWorker.call

    async def recorded(worker: ArchiveWorker, function: Any, *args: Any, **kwargs: Any) -> Any:
        if function is save_labelled:
            calls.append(("articles", {record["url"] for _, record in args[0]}))
        elif function is crawl_state.save_urls:
            calls.append(("urls", [row for row in args[0] if row.get("canonical_url")]))
        return await call(worker, function, *args, **kwargs)

    monkeypatch.setattr(ArchiveWorker, "call", recorded)
    monkeypatch.setattr(run, "STAGED_SECONDS", 60.0)       # groups by count only, however slow the machine
    report = run_crawl(one_site_config(fault_server, tmp_path))
    assert report.ok, report.summary()
    assert report.sites[0].new_articles == POSTS
    assert len(articles(tmp_path / "archive.db")) == POSTS
    groups = [urls for what, urls in calls if what == "articles"]
    assert [len(urls) for urls in groups] == [run.STAGED_ARTICLES, POSTS - run.STAGED_ARTICLES]
    saved: set[str] = set()
    for what, found in calls:
        if what == "articles":
            saved |= found
        else:
            assert {row["canonical_url"] for row in found} <= saved, json.dumps(found)[:300]


def test_a_failing_save_fails_its_site_only_and_leaves_its_pages_to_the_next_run(
        fault_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    links = " ".join(f"<a href='/kegiatan-{n}/'>Kegiatan {n}</a>" for n in range(3))
    fault_server.add("/", f"<html><body><h1>Beranda</h1>{links}</body></html>")
    for n in range(3):
        fault_server.add(f"/kegiatan-{n}/", post(n))

    def broken(db: Any, records: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(run, "save_labelled", broken)
    report = run_crawl(one_site_config(fault_server, tmp_path))     # returns: the run goes on
    assert report.sites[0].failed == "unexpected error: RuntimeError('disk on fire')"
    assert articles(tmp_path / "archive.db") == []
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        done = {url for (url,) in conn.execute("SELECT url FROM urls WHERE done = 1")}
    assert not any("/kegiatan-" in url for url in done)              # fetched again next run
