"""Browsing the archive through the real Datasette app (its own ASGI test client) with warta's metadata and plugin."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from archive_samples import corpus_articles
from browse_sample import BJM, BPN, HOSTILE_TITLE, SMD, make_sample_archive
from click.testing import CliRunner

from archive.datasette_plugin import partner_from_title, stem_query
from archive.db import open_archive
from archive.errors import ArchiveUserError
from archive.serve import METADATA_PATH, build_datasette, check_archive, load_metadata
from archive.store import save_articles
from scraper.cli import cli


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sample_archive(tmp_path_factory.mktemp("browse") / "archive.db")


@pytest.fixture(scope="module")
def ds(archive_path: Path):
    return build_datasette(archive_path)


def get(ds, path: str):
    """GET through Datasette's own ASGI client; returns the httpx response."""
    return asyncio.run(ds.client.get(path))


def get_json(ds, path: str):
    response = get(ds, path)
    assert response.status_code == 200, response.text[:500]
    return response.json()


def canned_search(ds, term: str, since: str = "", until: str = "") -> list[dict]:
    """Rows of the stemmed `search_schools` canned query, as the form on its page submits it."""
    query = urlencode({"term": term, "since": since, "until": until, "_shape": "objects"})
    return get_json(ds, f"/archive/search_schools.json?{query}")["rows"]


def test_search_box_finds_matching_rows(ds) -> None:
    data = get_json(ds, "/archive/articles.json?_search=lomba&_shape=objects")
    assert [row["title"] for row in data["rows"]] == ["Siswa Juara Lomba LKS Tingkat Provinsi"]


def test_default_sort_is_newest_first(ds) -> None:
    rows = get_json(ds, "/archive/articles.json?_shape=objects")["rows"]
    dates = [row["published"] for row in rows]
    assert dates == sorted(dates, reverse=True)
    assert len(rows) == 5


def test_stemmed_canned_search_finds_every_form_of_the_word(ds) -> None:
    # The sample has only penandatanganan, menandatangani and ditandatangani.
    rows = canned_search(ds, "menandatangani")
    assert {row["site"] for row in rows} == {BPN, BJM, SMD}
    assert len(rows) == 3
    # A two-word compound, quoted or not, is matched as one stem, as `warta search` does.
    assert canned_search(ds, '"tanda tangan"') == rows
    assert canned_search(ds, "tanda tangan") == rows


def test_stemmed_canned_search_honours_the_date_range(ds) -> None:
    assert [row["site"] for row in canned_search(ds, "kerjasama", since="2024-01-01")] == [BPN]
    assert [row["site"] for row in canned_search(ds, '"kerja sama"', until="2023-12-31")] == [SMD]


def test_empty_stemmed_search_shows_no_rows_and_no_error(ds) -> None:
    assert canned_search(ds, "") == []


def test_facets_cover_site_categories_year_region_and_cms(ds) -> None:
    facets = get_json(ds, "/archive/articles.json")["facet_results"]
    assert {"site", "categories", "year", "region", "cms"} <= set(facets)
    site_counts = {item["value"]: item["count"] for item in facets["site"]["results"]}
    assert site_counts == {BPN: 2, BJM: 2, SMD: 1}
    categories = {item["value"]: item["count"] for item in facets["categories"]["results"]}
    assert categories["Berita"] == 2 and categories["Prestasi"] == 1
    regions = {item["value"]: item["count"] for item in facets["region"]["results"]}
    assert regions == {"Kalimantan Timur": 3, "Kalimantan Selatan": 2}


def test_articles_per_school_per_month(ds) -> None:
    rows = get_json(ds, f"/archive/articles_per_school_per_month.json?site={SMD}&_shape=objects")["rows"]
    assert rows == [{"site": SMD, "month": "2023-03", "articles": 1}]
    everything = get_json(ds, "/archive/articles_per_school_per_month.json?site=&_shape=objects")["rows"]
    assert sum(row["articles"] for row in everything) == 5


def test_quiet_schools_lists_only_the_school_silent_for_90_days(ds) -> None:
    rows = get_json(ds, "/archive/quiet_schools.json?_shape=objects")["rows"]
    assert [(row["site"], row["name"], row["latest_article"]) for row in rows] == [
        (SMD, "SMK Negeri 1 Samarinda", "2023-03-01")
    ]


def test_mou_query_names_the_partner(ds) -> None:
    rows = get_json(ds, "/archive/mou_partners.json?_shape=objects")["rows"]
    assert {row["partner"] for row in rows} == {"PT. Pama Persada Nusantara", "Politeknik Negeri Samarinda"}


def test_every_canned_query_runs(ds) -> None:
    queries = load_metadata()["databases"]["archive"]["queries"]
    for name in queries:
        response = get(ds, f"/archive/{name}.json?term=lomba&site=&since=&until=")
        assert response.status_code == 200, f"{name}: {response.text[:300]}"
        assert response.json()["ok"], name


def test_internal_tables_are_hidden_and_public_ones_shown(ds) -> None:
    tables = {table["name"]: table["hidden"] for table in get_json(ds, "/archive.json")["tables"]}
    assert {name for name, hidden in tables.items() if not hidden} == {
        "articles", "article_versions", "sites", "organisations", "article_organisations"}
    assert {"urls", "fetches", "crawl_runs", "articles_fts", "articles_stem_fts"} <= set(tables)


def test_every_public_column_has_a_description(archive_path: Path) -> None:
    # Catches schema drift: a column added to the archive must be described for the people browsing it.
    tables = load_metadata()["databases"]["archive"]["tables"]
    with sqlite3.connect(archive_path) as conn:
        for name, table in tables.items():
            if table.get("hidden"):
                continue
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info([{name}])")]
            assert columns, name
            assert set(table["columns"]) == set(columns), name


def test_table_page_shows_descriptions_and_source_links(ds) -> None:
    html = get(ds, "/archive/articles").text
    assert "One row per article" in html
    assert f'<a href="https://{BPN}/2025/lks/" rel="nofollow noopener" target="_blank">Siswa Juara Lomba' in html


def test_plugin_stylesheet_is_linked_and_served(ds) -> None:
    html = get(ds, "/archive/articles").text
    css_path = "/-/warta.css"
    assert f'href="{css_path}"' in html
    response = get(ds, css_path)
    assert response.status_code == 200 and "dl.column-descriptions" in response.text


def test_hostile_title_and_source_url_are_escaped(ds) -> None:
    html = get(ds, "/archive/articles").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;warta&#34;)&lt;/script&gt; Kunjungan &lt;b&gt;Industri&lt;/b&gt;" in html
    assert 'href="javascript:' not in html
    assert HOSTILE_TITLE not in html


def test_metadata_follows_the_archive_file_name(tmp_path: Path) -> None:
    other = make_sample_archive(tmp_path / "kaltim.db")
    ds = build_datasette(other, immutable=True)
    assert not ds.databases["kaltim"].is_mutable
    data = get_json(ds, "/kaltim/articles.json?_search=lomba&_shape=objects")
    assert len(data["rows"]) == 1
    assert "quiet_schools" in get(ds, "/kaltim").text


def test_the_corpus_archive_browses_with_facets_and_partners(corpus: Path, tmp_path: Path) -> None:
    truth = corpus_articles(corpus)
    db = open_archive(tmp_path / "archive.db")
    assert not save_articles(db, truth).errors
    db.close()
    ds = build_datasette(tmp_path / "archive.db")

    data = get_json(ds, "/archive/articles.json?_shape=objects")
    assert data["filtered_table_rows_count"] == len(truth)
    site_facet = {item["value"]: item["count"] for item in data["facet_results"]["site"]["results"]}
    assert site_facet == {site: sum(record["site"] == site for record in truth) for site in site_facet}
    assert set(site_facet) == {record["site"] for record in truth}

    rows = get_json(ds, "/archive/mou_partners.json?_shape=objects&_size=max")["rows"]
    partners = {row["partner"] for row in rows}
    # Partners per school from the organisations tables (issue 18): the name as the text writes it in full
    # (`Politeknik Balikpapan`, where the headline abbreviates `Poltek`); an article naming no partner has no row.
    assert partners == {
        "Hotel Permata Indah", "PT Lintas Data Indonesia", "PT Griya Digital Kreasi", "PT Arunika Elektrik",
        "PT Borneo Mitra Teknik", "PT Mahakam Energi Persada", "Politeknik Negeri Harapan", "Politeknik Balikpapan",
    }
    assert sum(row["stories"] for row in rows) == 15


def test_plain_datasette_uses_the_shipped_metadata_and_plugin(archive_path: Path) -> None:
    # The README's command: the plugin comes from warta's `datasette` entry point, not from warta serve.
    command = [sys.executable, "-m", "datasette", str(archive_path), "--metadata", str(METADATA_PATH),
               "--get", "/archive/mou_partners.json?_shape=objects"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    assert {row["partner"] for row in json.loads(result.stdout)["rows"]} == {
        "PT. Pama Persada Nusantara", "Politeknik Negeri Samarinda"
    }


@pytest.mark.parametrize(
    ("title", "partner"),
    [
        ("Penandatanganan MoU SMKN 7 Balikpapan dengan PT. Pama Persada Nusantara", "PT. Pama Persada Nusantara"),
        ("Kerja Sama dengan PT Astra tentang PKL Siswa", "PT Astra"),
        ("MoU bersama Politeknik Negeri Balikpapan, 12 Mei 2025", "Politeknik Negeri Balikpapan"),
        ("Penandatanganan Kerja Sama antara SMKN 5 dan CV. Maju Jaya untuk Prakerin", "CV. Maju Jaya"),
        ("Kerjasama Industri Semakin Erat", None),
        ("Siswa Berlatih dengan Alat Baru", None),
        (None, None),
    ],
)
def test_partner_from_title(title: str | None, partner: str | None) -> None:
    assert partner_from_title(title) == partner


def test_stem_query_stems_like_the_archive() -> None:
    assert stem_query("penandatanganan") == stem_query("menandatangani") == '"tandatangan"'
    assert stem_query("   ") == stem_query('"unbalanced') == '""'


def test_check_archive_rejects_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(ArchiveUserError, match="archive not found"):
        check_archive(tmp_path / "missing.db")
    garbage = tmp_path / "garbage.db"
    garbage.write_text("not a database at all, just text " * 100)
    with pytest.raises(ArchiveUserError, match="not an SQLite archive"):
        check_archive(garbage)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table t (x)").connection.close()
    with pytest.raises(ArchiveUserError, match="no articles table"):
        check_archive(other)


def test_serve_with_a_missing_archive_exits_2_with_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"warta: error: archive not found: {tmp_path / 'nope.db'} (--db); run `warta crawl` or `warta import` first"
    ]
