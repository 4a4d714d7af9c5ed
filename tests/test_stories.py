"""How story band rows are written (archive.stories): many to a statement, every row kept, none twice, and
without making FTS5 write out the import's pending index."""

from __future__ import annotations

from archive import stories
from archive.db import open_archive, transaction


def _bands(number: int) -> tuple[int, ...]:
    return tuple(number * 1_000 + band for band in range(stories.BANDS))


def _count(conn, sql: str) -> int:
    return conn.execute(sql).fetchone()[0]


def test_a_batch_writes_all_its_band_rows_in_statements_of_many_and_ignores_repeats(tmp_path) -> None:
    db = open_archive(tmp_path / "a.db")
    db.conn.execute("CREATE VIRTUAL TABLE probe USING fts5(text)")  # FTS5 holds an import's index in memory
    articles = 2 * stories.INSERT_ROWS // stories.BANDS + 3  # two full statements and a part of one
    with transaction(db) as conn:
        conn.execute("INSERT INTO probe (text) VALUES ('komite membahas program')")
        index_rows = _count(conn, "SELECT count(*) FROM probe_data")
        with stories.batch(conn):
            for number in range(1, articles + 1):
                stories.record_bands(conn, number, stories.Placement(f"u{number}", _bands(number)))
            stories.record_bands(conn, 1, stories.Placement("u1", _bands(1)))  # the same rows again
            assert _count(conn, "SELECT count(*) FROM story_bands") == 0  # held back until the batch ends
        assert _count(conn, "SELECT count(*) FROM story_bands") == articles * stories.BANDS
        # The band statements opened no savepoint, at which FTS5 would have written out what it holds.
        assert _count(conn, "SELECT count(*) FROM probe_data") == index_rows
    assert _count(db.conn, "SELECT count(*) FROM probe_data") > index_rows  # written at the commit
    assert db.conn.execute("SELECT article FROM story_bands WHERE band = ?", (_bands(articles)[-1],)).fetchall() \
        == [(articles,)]


def test_bands_recorded_outside_a_batch_are_written_at_once(tmp_path) -> None:
    db = open_archive(tmp_path / "a.db")
    stories.record_bands(db.conn, 7, stories.Placement("u7", _bands(7)))
    stories.record_bands(db.conn, 7, stories.Placement("u7", _bands(7)))
    assert sorted(db.conn.execute("SELECT band, article FROM story_bands").fetchall()) \
        == [(key, 7) for key in _bands(7)]


def test_a_batch_keeps_every_article_of_a_band_key_held_twice(tmp_path) -> None:
    db = open_archive(tmp_path / "a.db")
    with transaction(db) as conn, stories.batch(conn):
        stories.record_bands(conn, 5, stories.Placement("u5", _bands(1)))
        stories.record_bands(conn, 3, stories.Placement("u3", _bands(1)))  # the same keys, an earlier article
        stories.record_bands(conn, 9, stories.Placement("u9", _bands(9)))
    assert db.conn.execute("SELECT band, article FROM story_bands").fetchall() \
        == sorted([(key, article) for key in _bands(1) for article in (3, 5)] + [(key, 9) for key in _bands(9)])
