"""Facets bounded for large archives (archive/datasette_plugin/facets.py), through the real Datasette app on a real
SQLite archive, with the row limit lowered so the five-article sample counts as large."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from browse_sample import BJM, BPN, SMD, make_sample_archive

from archive.datasette_plugin import facet_pass, facets
from archive.datasette_plugin.facet_pass import count_rows
from archive.datasette_plugin.facets import whole_table_array_query, whole_table_facets_counted
from archive.db import open_archive, transaction
from archive.serve import build_datasette

ARTICLES = "/archive/articles"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sample_archive(tmp_path_factory.mktemp("facets") / "archive.db")


@pytest.fixture
def archive_path(sample: Path, tmp_path: Path) -> Path:
    """A fresh copy of the sample per test: one test writes to it."""
    return Path(shutil.copy(sample, tmp_path / "archive.db"))


def site_counts(data: dict) -> dict[str, int]:
    return {item["value"]: item["count"] for item in data["facet_results"]["site"]["results"]}


def visit(ds, *paths: str, between=None) -> list:
    """GET each path through Datasette's ASGI client in one event loop (as a server runs), awaiting
    `between(ds)` after each request."""
    async def scenario() -> list:
        responses = []
        for path in paths:
            responses.append(await ds.client.get(path))
            if between:
                await between(ds)
        return responses

    return asyncio.run(scenario())


async def counted(ds) -> None:
    """Wait until the background counts of the whole table are done."""
    await whole_table_facets_counted(ds)


def test_small_results_are_counted_live(archive_path: Path) -> None:
    [response] = visit(build_datasette(archive_path), f"{ARTICLES}.json")
    assert site_counts(response.json()) == {BPN: 2, BJM: 2, SMD: 1}


def test_a_result_over_the_limit_shows_a_note_instead_of_counts(archive_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(facets, "FACET_ROW_LIMIT", 1)
    data, page = visit(build_datasette(archive_path), f"{ARTICLES}.json?site={BPN}", f"{ARTICLES}?site={BPN}")
    assert data.json()["facet_results"] == {}
    assert "Facets are counted for results of up to 1 rows" in page.text
    # Within the limit the same filter has its counts.
    monkeypatch.setattr(facets, "FACET_ROW_LIMIT", 2)
    [data] = visit(build_datasette(archive_path), f"{ARTICLES}.json?site={BPN}")
    assert site_counts(data.json()) == {BPN: 2}


def test_the_whole_table_over_the_limit_is_counted_in_the_background(archive_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(facets, "FACET_ROW_LIMIT", 1)
    ds = build_datasette(archive_path, immutable=True)

    async def scenario() -> list:
        await ds.invoke_startup()  # starts counting the whole table's facets
        await counted(ds)
        pages = [await ds.client.get(f"{ARTICLES}.json")]
        # A facet asked for in the address is a query not counted yet: counted on its first visit.
        pages.append(await ds.client.get(f"{ARTICLES}?_facet=author"))
        await counted(ds)
        return pages + [await ds.client.get(f"{ARTICLES}?_facet=author")]

    warmed, first, later = asyncio.run(scenario())
    assert site_counts(warmed.json()) == {BPN: 2, BJM: 2, SMD: 1}
    array = {item["value"]: item["count"] for item in warmed.json()["facet_results"]["categories"]["results"]}
    assert array["Berita"] == 2 and array["Prestasi"] == 1
    assert "The facets of the whole table are being counted" in first.text
    assert "These facets timed out: author" in first.text
    assert "being counted" not in later.text and "timed out" not in later.text
    assert 'data-column="author"' in later.text


def test_a_changed_archive_shows_the_earlier_counts_then_new_ones(archive_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(facets, "FACET_ROW_LIMIT", 1)
    monkeypatch.setattr(facets, "RECOUNT_AFTER_S", 0.0)
    ds = build_datasette(archive_path)

    async def change_once(ds) -> None:
        await counted(ds)
        if not getattr(change_once, "done", False):
            db = open_archive(archive_path)
            with transaction(db) as conn:
                conn.execute("UPDATE articles SET site = ? WHERE site = ?", (BPN, SMD))
            db.close()
            change_once.done = True

    _, stale, fresh = visit(ds, f"{ARTICLES}.json", ARTICLES, f"{ARTICLES}.json", between=change_once)
    assert "the archive has changed since" in stale.text
    assert site_counts(fresh.json()) == {BPN: 3, BJM: 2}


def test_facets_share_one_time_budget_per_page(archive_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(facets, "FACET_BUDGET_MS", 0)
    data, page = visit(build_datasette(archive_path), f"{ARTICLES}.json", ARTICLES)
    assert data.json()["facet_results"] == {}
    assert "These facets timed out: site, " in page.text


@pytest.mark.parametrize("query", ["", "_search=siswa", f"site={BPN}", "_facet=author&_facet_array=tags",
                                   "_facet=published_source&_facet=language"])
def test_one_read_counts_what_datasettes_facet_queries_count(archive_path: Path, monkeypatch, query: str) -> None:
    path = f"{ARTICLES}.json?{query}"
    answered = []
    answer = facet_pass.FacetPass.answer

    async def recorded(self, facet_type: str, facet_sql: str):
        answered.append(await answer(self, facet_type, facet_sql))
        return answered[-1]

    monkeypatch.setattr(facet_pass.FacetPass, "answer", recorded)
    [counted_once] = visit(build_datasette(archive_path), path)
    assert answered and None not in answered  # every facet from the one read

    async def no_answer(self, facet_type: str, facet_sql: str) -> None:
        return None

    monkeypatch.setattr(facet_pass.FacetPass, "answer", no_answer)
    [by_queries] = visit(build_datasette(archive_path), path)
    assert counted_once.json()["facet_results"] == by_queries.json()["facet_results"]
    assert counted_once.json()["facet_results"]


def test_counting_rows_orders_values_as_sqlite_does() -> None:
    counts = count_rows(["column", "array"], ["year", "tags"], [
        (2024, '["b", "a", "a"]'), ("2024", '["a"]'), (None, None), (7, "not json"), (2024, '[true, [1]]')])
    assert counts["year"] == {2024: 2, "2024": 1, 7: 1}
    assert counts["tags"] == {"a": 2, "b": 1, 1: 1, "[1]": 1}


def test_only_array_facets_of_a_whole_table_are_counted_another_way() -> None:
    array = ("with inner as (select url, tags from articles ), deduped_array_items as (select distinct j.value, "
             "inner.* from json_each([inner].[tags]) j join inner) select value as value, count(*) as count "
             "from deduped_array_items group by value order by count(*) desc, value limit 31")
    assert whole_table_array_query(array, "articles") == (
        "select j.value as value, count(distinct articles.rowid) as count from articles, "
        "json_each(articles.[tags]) j group by j.value order by count desc, value limit 31")
    column = "select site as value, count(*) as count from (select url from articles) group by site limit 31"
    assert whole_table_array_query(column, "articles") is None
