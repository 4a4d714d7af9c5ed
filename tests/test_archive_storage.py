"""The archive file: schema, WAL, migrations, versions, idempotence and safety against a killed writer."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys

import pytest
from archive_samples import import_command, make_article, start_import, wait_for_articles, write_many_articles

from archive.db import (
    MIGRATIONS,
    PAGE_SIZE,
    connect,
    migrate,
    open_archive,
    rebuild_search_indexes,
    schema_version,
    transaction,
)
from archive.errors import ArchiveUserError
from archive.records import content_hash, json_strings
from archive.search import search
from archive.store import BATCH_SIZE, save_articles

ARTICLE_COLUMNS = {
    "url", "site", "title", "published", "published_source", "published_text", "modified", "categories",
    "tags", "author", "body", "language", "cms", "source_url", "fetched_at", "published_date", "year",
    "region", "first_seen", "last_seen", "content_hash",
    # DESIGN §12 (the school's identity) and §14 (what the article is about)
    "npsn", "level", "ownership", "province", "regency", "topics", "organisations", "story_id",
}


def integrity_ok(db) -> bool:
    """SQLite's own check plus the FTS index checks, and the stemmed index covering every article."""
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
    db.conn.execute("INSERT INTO articles_stem_fts (articles_stem_fts) VALUES ('integrity-check')")
    orphans = db.conn.execute(
        "SELECT count(*) FROM articles_stem_fts WHERE rowid NOT IN (SELECT rowid FROM articles)").fetchone()[0]
    counts = {table: db[table].count for table in ("articles", "articles_stem_fts")}
    return orphans == 0 and counts["articles"] == counts["articles_stem_fts"]


def test_new_archive_has_the_contract_schema_in_wal_mode(tmp_path):
    db = open_archive(tmp_path / "a.db")
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert schema_version(db) == len(MIGRATIONS)
    assert set(db["articles"].columns_dict) == ARTICLE_COLUMNS
    assert db["articles"].pks == ["url"]
    for table in ("article_versions", "sites", "urls", "fetches", "crawl_runs", "articles_fts", "articles_stem_fts",
                  "organisations", "article_organisations"):
        assert db[table].exists(), table
    assert db["articles"].detect_fts() == "articles_fts"  # what Datasette looks for to offer ?_search=
    assert {"site", "kind"} <= set(db["urls"].columns_dict)


def test_reopening_is_idempotent(tmp_path):
    open_archive(tmp_path / "a.db")
    db = open_archive(tmp_path / "a.db")
    assert schema_version(db) == len(MIGRATIONS)


def test_an_archive_from_version_1_is_migrated_on_open_and_its_articles_become_searchable(tmp_path):
    old = connect(tmp_path / "old.db")
    migrate(old, target=1)
    old["articles"].insert({"url": "https://a.sch.id/1", "site": "a.sch.id", "title": "Perlombaan robot",
                            "body": "Siswa berlomba merakit robot.", "categories": "[]", "tags": "[]"})
    old.conn.commit()
    old.conn.close()

    db = open_archive(tmp_path / "old.db")
    assert schema_version(db) == len(MIGRATIONS)
    assert [row["url"] for row in search(db, "lomba")] == ["https://a.sch.id/1"]
    assert [row["url"] for row in search(db, "robot", stem=False)] == ["https://a.sch.id/1"]
    assert integrity_ok(db)


def test_a_file_that_is_not_an_archive_is_a_user_error(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(ArchiveUserError, match="notes.db: not a warta archive"):
        open_archive(bogus)


def test_saving_fills_derived_columns_and_region_from_sites(tmp_path):
    db = open_archive(tmp_path / "a.db")
    db["sites"].insert({"host": "smkn7balikpapan.sch.id", "region": "Kalimantan Timur"})
    db.conn.commit()
    result = save_articles(db, [make_article(1)])
    assert (result.new, result.updated, result.unchanged, result.errors) == (1, 0, 0, [])
    row = db["articles"].get("https://smkn7balikpapan.sch.id/?p=1")
    assert row["published_date"] == "2025-01-31" and row["year"] == 2025
    assert row["region"] == "Kalimantan Timur"
    assert json.loads(row["categories"]) == ["Berita", "Hubungan Industri"]
    assert row["first_seen"] == row["last_seen"] == "2025-02-01T00:00:00+00:00"
    assert len(row["content_hash"]) == 32


TRICKY_TEXTS = ["", 'kutip "ganda" \\ miring', "baris\nbaru\ttab\x00\x1f\x7f", "Jum’at — “Hari” é ñ",
                "\u2028\u2029\ufeff😀", "plain ascii"]


@pytest.mark.parametrize("published", [None, "2025-01-31T08:00:00+07:00"])
def test_stored_lists_and_the_content_hash_are_json_dumps_text(published):
    # Earlier archives hold hashes of json.dumps(..., ensure_ascii=False): a save must compare equal to them.
    for text in TRICKY_TEXTS:
        categories = [text, "Berita", text[::-1]]
        record = {"title": text, "body": text * 3, "published": published, "categories": categories}
        payload = json.dumps([text, text * 3, published, categories], ensure_ascii=False)
        assert content_hash(record) == hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]
        assert json_strings(categories) == json.dumps(categories, ensure_ascii=False)
    assert json_strings([]) == "[]"


def test_saving_the_same_articles_twice_changes_nothing(tmp_path):
    db = open_archive(tmp_path / "a.db")
    articles = [make_article(number) for number in range(5)]
    save_articles(db, articles)
    before = list(db.query("SELECT rowid, * FROM articles ORDER BY url"))
    result = save_articles(db, articles)
    assert (result.new, result.updated, result.unchanged) == (0, 0, 5)
    assert list(db.query("SELECT rowid, * FROM articles ORDER BY url")) == before
    assert db["article_versions"].count == 0
    assert integrity_ok(db)


def test_an_edited_article_keeps_its_earlier_version(tmp_path):
    db = open_archive(tmp_path / "a.db")
    save_articles(db, [make_article(1)])
    edited = make_article(1, body="Isi yang sudah diperbaiki: pelatihan guru.", fetched_at="2025-03-01T00:00:00+00:00")
    result = save_articles(db, [edited])
    assert (result.new, result.updated) == (0, 1)
    versions = list(db.query("SELECT * FROM article_versions"))
    assert len(versions) == 1 and versions[0]["body"].startswith("Siswa berkunjung")
    assert versions[0]["replaced_at"] == "2025-03-01T00:00:00+00:00"
    row = db["articles"].get(edited["url"])
    assert row["body"] == edited["body"]
    assert (row["first_seen"], row["last_seen"]) == ("2025-02-01T00:00:00+00:00", "2025-03-01T00:00:00+00:00")
    # Both indexes follow the edit: the old words are gone, the new ones found.
    assert search(db, "pelatihan") and search(db, "diperbaiki", stem=False)
    assert not search(db, "maju") and not search(db, "maju", stem=False)
    # A new tag alone updates the row without a new version.
    assert save_articles(db, [dict(edited, tags=["guru"])]).updated == 1
    assert db["article_versions"].count == 1
    assert integrity_ok(db)


def test_a_refetch_with_the_same_content_only_moves_last_seen(tmp_path):
    db = open_archive(tmp_path / "a.db")
    save_articles(db, [make_article(1)])
    result = save_articles(db, [make_article(1, fetched_at="2025-06-01T00:00:00+00:00")])
    assert result.unchanged == 1
    row = db["articles"].get(make_article(1)["url"])
    assert row["last_seen"] == "2025-06-01T00:00:00+00:00"
    assert row["fetched_at"] == "2025-02-01T00:00:00+00:00"


def test_bad_records_are_reported_and_the_others_saved(tmp_path):
    db = open_archive(tmp_path / "a.db")
    records = [make_article(1), make_article(2, title=""), make_article(3, categories="Berita"),
               make_article(4, published="kemarin"), "not a mapping", make_article(5),
               make_article(6, published="2025-02-30T10:00:00+07:00")]
    result = save_articles(db, records)
    assert result.new == 2
    assert result.errors == [
        "record 2: field 'title' is missing or empty",
        "record 3: field 'categories' must be a list of strings",
        "record 4: field 'published' is not an ISO date: 'kemarin'",
        "record 5: expected a JSON object, got str",
        "record 7: field 'published' is not an ISO date: '2025-02-30T10:00:00+07:00'",
    ]


ARTICLES_TO_IMPORT = 3 * BATCH_SIZE  # three transactions: the kill lands after the first commit


def test_a_writer_killed_mid_import_leaves_a_sound_archive_and_a_rerun_completes(tmp_path):
    source, db_path = tmp_path / "many.jsonl", tmp_path / "a.db"
    write_many_articles(source, ARTICLES_TO_IMPORT)
    open_archive(db_path).conn.close()
    process = start_import(source, db_path)
    try:
        wait_for_articles(db_path, BATCH_SIZE)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    assert process.returncode == -signal.SIGKILL

    db = open_archive(db_path)
    saved = db["articles"].count
    assert BATCH_SIZE <= saved < ARTICLES_TO_IMPORT, "the kill must land mid-import"
    assert integrity_ok(db)
    db.conn.close()

    assert subprocess.run(import_command(source, db_path), capture_output=True).returncode == 0
    db = open_archive(db_path)
    assert db["articles"].count == ARTICLES_TO_IMPORT
    assert db["article_versions"].count == 0
    assert integrity_ok(db)


def test_saving_inside_a_callers_transaction_joins_it(tmp_path):
    db = open_archive(tmp_path / "a.db")
    db.conn.execute("BEGIN")
    db.conn.execute("INSERT INTO sites (host) VALUES ('smkn7balikpapan.sch.id')")
    assert save_articles(db, [make_article(1)]).new == 1
    db.conn.rollback()
    assert db["articles"].count == 0 and db["sites"].count == 0
    assert integrity_ok(db)


def test_an_index_built_by_another_stemmer_is_rebuilt_on_open(tmp_path):
    db = open_archive(tmp_path / "a.db")
    save_articles(db, [make_article(1)])
    with db.conn:
        db.conn.execute("INSERT INTO articles_stem_fts (articles_stem_fts) VALUES ('delete-all')")
        db.conn.execute("UPDATE articles_stem_fts_config SET v = 'PySastrawi 0.1, warta rules 0'"
                        " WHERE k = 'warta_stemmer'")
    assert search(db, "kunjungan") == []
    db.conn.close()

    db = open_archive(tmp_path / "a.db")
    assert [row["url"] for row in search(db, "kunjungan")] == [make_article(1)["url"]]
    assert integrity_ok(db)


def test_rebuilding_the_search_indexes_repairs_rows_written_by_another_tool(tmp_path):
    db = open_archive(tmp_path / "a.db")
    save_articles(db, [make_article(1)])
    with db.conn:  # a tool that knows nothing of the indexes
        db.conn.execute("UPDATE articles SET body = 'Pelatihan guru produktif.'")
    with transaction(db) as conn:
        rebuild_search_indexes(conn)
    assert search(db, "latihan") and search(db, "produktif", stem=False)
    assert not search(db, "maju") and not search(db, "maju", stem=False)
    assert integrity_ok(db)


def test_index_segments_are_merged_sixteen_at_a_time_so_many_small_writes_stay_few_segments(tmp_path):
    db = open_archive(tmp_path / "a.db")
    for number in range(40):  # one transaction, so one new segment per index, each
        save_articles(db, [make_article(number)])
    for fts_table in ("articles_fts", "articles_stem_fts"):
        setting = db.conn.execute(f"SELECT v FROM {fts_table}_config WHERE k = 'automerge'").fetchone()
        segments = db.conn.execute(f"SELECT count(DISTINCT segid) FROM {fts_table}_idx").fetchone()[0]
        assert setting == (0,) and segments < 16, fts_table
    assert len(search(db, "kunjungan", limit=100)) == 40
    assert integrity_ok(db)


def test_new_archives_get_8_kb_pages_and_older_ones_keep_theirs(tmp_path):
    assert open_archive(tmp_path / "new.db").conn.execute("PRAGMA page_size").fetchone() == (PAGE_SIZE,)
    with sqlite3.connect(tmp_path / "old.db") as old:
        old.execute("PRAGMA page_size = 4096")
        old.execute("CREATE TABLE made_by_an_older_warta (x)")
    db = open_archive(tmp_path / "old.db")
    assert db.conn.execute("PRAGMA page_size").fetchone() == (4096,)
    assert save_articles(db, [make_article(1)]).new == 1 and integrity_ok(db)


def test_a_large_import_batch_becomes_one_index_segment_per_index(tmp_path):
    db = open_archive(tmp_path / "a.db")
    words = [f"kata{number}" for number in range(20_000)]
    # About 4 MB of pending index: FTS5's default 1 MB hash would write it as several segments.
    articles = [make_article(number, body=" ".join(words[number * 7 % 19_000:][:300])) for number in range(2_000)]
    assert save_articles(db, articles).new == 2_000
    for fts_table in ("articles_fts", "articles_stem_fts"):
        segments = db.conn.execute(f"SELECT count(DISTINCT segid) FROM {fts_table}_idx").fetchone()[0]
        assert segments == 1, fts_table
    assert len(search(db, "kata100", limit=100, stem=False)) == 15
    assert integrity_ok(db)


def test_opening_an_archive_does_not_import_pandas_or_numpy():
    # sqlite-utils imports both when installed (~0.8 s of CPU and ~55 MB in every crawl or search process).
    code = ("import sys, archive.db, sqlite_utils.db as s; print(sorted(m for m in ('pandas', 'numpy') if m in "
            "sys.modules), s.pd); import pandas; print(pandas.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:2] == ["[] None", "pandas"]


def test_the_content_hash_of_a_lone_surrogate_fails_as_json_text_in_utf8_does():
    record = {"title": "a\ud800", "body": "", "published": None, "categories": []}
    with pytest.raises(UnicodeEncodeError):
        content_hash(record)
