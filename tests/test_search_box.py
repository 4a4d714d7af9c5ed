"""The search box's faster plans (archive/datasette_plugin/search_box.py): Datasette's own queries rewritten, the
same rows and counts through the real Datasette app on a real SQLite archive."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from browse_sample import BJM, BPN, make_sample_archive

from archive.datasette_plugin import search_box
from archive.datasette_plugin.search_box import page_walked_by_index, search_counted_by_index
from archive.serve import build_datasette

SEARCH = "rowid in (select rowid from articles_fts where articles_fts match escape_fts(:search))"


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sample_archive(tmp_path_factory.mktemp("search-box") / "archive.db")


def test_the_count_of_a_search_alone_is_the_index_count() -> None:
    assert search_counted_by_index(f"select count(*) from articles where {SEARCH} ") == (
        "select count(*) from articles_fts where articles_fts match escape_fts(:search)")
    # With another filter the rows must be read: left to Datasette's query.
    assert search_counted_by_index(f"select count(*) from articles where site = :p0 and {SEARCH} ") is None
    assert search_counted_by_index("select count(*) from articles ") is None


def test_a_page_sorted_by_date_walks_the_date_index() -> None:
    page = f"select url, title from articles where {SEARCH} order by published desc limit 51"
    walked, matches = page_walked_by_index(page)
    assert walked == f"select url, title from articles where +{SEARCH} order by published desc limit 51"
    assert matches == "select count(*) from articles_fts where articles_fts match escape_fts(:search)"
    following = (f"select url from articles where {SEARCH} and (published < :p0 or (published = :p0 and url < :p1))"
                 " order by published desc, url desc limit 51")
    assert page_walked_by_index(following)[0].startswith(f"select url from articles where +{SEARCH} and (")


def test_other_queries_are_left_alone() -> None:
    assert page_walked_by_index(f"select url from articles where {SEARCH} order by title limit 51") is None
    facet = (f"select site as value, count(*) as count from (select url, site from articles where {SEARCH}) "
             "where site is not null group by site order by count desc, value limit 31")
    assert page_walked_by_index(facet) is None and search_counted_by_index(facet) is None


def search(archive_path: Path, query: str) -> list[dict]:
    """Every page of the search box's JSON for `query`, one row a page, following `next_url`."""
    ds = build_datasette(archive_path)

    async def pages() -> list[dict]:
        found, path = [], f"/archive/articles.json?{query}&_size=1&_shape=objects"
        while path:
            data = (await ds.client.get(path)).json()
            found.append(data)
            path = data["next_url"] and data["next_url"].removeprefix("http://localhost")
        return found

    return asyncio.run(pages())


@pytest.mark.parametrize("query", ["_search=siswa", f"_search=siswa&site={BPN}", "_search=tidakada"])
def test_walking_the_date_index_finds_what_datasette_finds(archive_path: Path, monkeypatch, query: str) -> None:
    monkeypatch.setattr(search_box, "WALK_ABOVE_MATCHES", 10**9)
    matched = search(archive_path, query)
    monkeypatch.setattr(search_box, "WALK_ABOVE_MATCHES", 0)
    walked = search(archive_path, query)
    assert [page["rows"] for page in walked] == [page["rows"] for page in matched]
    assert [page["filtered_table_rows_count"] for page in walked] == [
        page["filtered_table_rows_count"] for page in matched]


def test_the_counts_are_the_articles_matched(archive_path: Path) -> None:
    [first, *_] = search(archive_path, "_search=siswa")
    assert first["filtered_table_rows_count"] == 3
    sites = [page["rows"][0]["site"] for page in search(archive_path, "_search=siswa")]
    assert sorted(sites) == sorted([BPN, BPN, BJM])
