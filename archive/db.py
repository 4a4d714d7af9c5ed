"""Opening an archive: one SQLite file in WAL mode whose schema is created and migrated on open.

Migrations are numbered by their position in `MIGRATIONS` and recorded in `PRAGMA user_version`; each runs in
its own transaction, so an archive made by an older warta opens (and is upgraded) in a newer one. To change the
schema, append a function to `MIGRATIONS`; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from archive.errors import ArchiveUserError
from archive.stemming import stem_text, stemmer_version

BUSY_TIMEOUT_MS = 30_000
STEMMER_KEY = "warta_stemmer"
FTS_HASH_BYTES = 64 * 1024 * 1024
PAGE_SIZE = 8192


def _create_tables(conn: sqlite3.Connection) -> None:
    """v1: articles with their history, sites, and the crawler's state (urls, fetches, crawl_runs)."""
    conn.executescript(textwrap.dedent(
        """
        CREATE TABLE articles (
            url TEXT PRIMARY KEY,
            site TEXT NOT NULL,
            title TEXT NOT NULL,
            published TEXT,
            published_source TEXT,
            published_text TEXT,
            modified TEXT,
            categories TEXT NOT NULL DEFAULT '[]',
            tags TEXT NOT NULL DEFAULT '[]',
            author TEXT,
            body TEXT NOT NULL,
            language TEXT,
            cms TEXT,
            source_url TEXT,
            fetched_at TEXT,
            published_date TEXT,
            year INTEGER,
            region TEXT,
            first_seen TEXT,
            last_seen TEXT,
            content_hash TEXT
        );
        CREATE INDEX idx_articles_site ON articles (site);
        CREATE INDEX idx_articles_published_date ON articles (published_date);
        CREATE INDEX idx_articles_year ON articles (year);

        CREATE TABLE article_versions (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL REFERENCES articles (url) ON DELETE CASCADE,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            published TEXT,
            categories TEXT NOT NULL DEFAULT '[]',
            content_hash TEXT NOT NULL,
            first_seen TEXT,
            last_seen TEXT,
            replaced_at TEXT
        );
        CREATE INDEX idx_article_versions_url ON article_versions (url);

        CREATE TABLE sites (
            host TEXT PRIMARY KEY,
            name TEXT,
            url TEXT,
            timezone TEXT,
            region TEXT,
            cms TEXT,
            first_crawled TEXT,
            last_crawled TEXT,
            last_new_article TEXT
        );

        CREATE TABLE urls (
            url TEXT PRIMARY KEY,
            site TEXT,
            kind TEXT,
            status INTEGER,
            first_seen TEXT,
            last_fetched TEXT,
            etag TEXT,
            last_modified TEXT,
            content_hash TEXT,
            canonical_url TEXT,
            lastmod_hint TEXT,
            categories_hint TEXT,
            error TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            done INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX idx_urls_site_kind ON urls (site, kind);

        CREATE TABLE crawl_runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT,
            finished_at TEXT,
            status TEXT,
            sites TEXT,
            pages_fetched INTEGER NOT NULL DEFAULT 0,
            new_articles INTEGER NOT NULL DEFAULT 0,
            updated_articles INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            summary TEXT
        );

        CREATE TABLE fetches (
            id INTEGER PRIMARY KEY,
            run_id INTEGER,
            url TEXT NOT NULL,
            method TEXT,
            status INTEGER,
            fetched_at TEXT,
            elapsed_ms INTEGER,
            bytes INTEGER,
            warc_file TEXT,
            warc_offset INTEGER,
            warc_length INTEGER,
            error TEXT
        );
        CREATE INDEX idx_fetches_url ON fetches (url);
        CREATE INDEX idx_fetches_run_id ON fetches (run_id);
        """
    ))


def _create_search_indexes(conn: sqlite3.Connection) -> None:
    """v2: the exact FTS5 index Datasette uses for `?_search=`, and the Indonesian-stemmed shadow index.

    `articles_fts` has sqlite-utils' `enable_fts` layout (external content `articles`), so Datasette detects it.
    `articles_stem_fts` (rowid = articles.rowid) holds the stemmed title and body. `archive.store` keeps both in
    sync; there are no triggers, because FTS5 flushes its pending index at every statement savepoint a trigger
    opens, which made imports three times slower. `rebuild_search_indexes` repairs both after outside writes.
    """
    conn.executescript(
        """
        CREATE VIRTUAL TABLE [articles_fts] USING FTS5 (
            [title], [body], content=[articles], tokenize='unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE [articles_stem_fts] USING FTS5 (
            [title_stemmed], [body_stemmed], tokenize='unicode61 remove_diacritics 2'
        );
        INSERT INTO [articles_fts] ([articles_fts]) VALUES ('rebuild');
        """
    )
    _fill_stem_index(conn)


def _index_site_dates(conn: sqlite3.Connection) -> None:
    """v3: one (site, published_date) index serves the site filter and the per-site counts and date ranges."""
    conn.execute("CREATE INDEX idx_articles_site_published ON articles (site, published_date)")
    conn.execute("DROP INDEX idx_articles_site")


def _stem_index_without_content(conn: sqlite3.Connection) -> None:
    """v4: a contentless stemmed index (a quarter of the file was its copy of the stemmed text), which records the
    stemmer that built it, so that a changed stemmer rebuilds the index on open."""
    conn.executescript(
        """
        DROP TABLE [articles_stem_fts];
        CREATE VIRTUAL TABLE [articles_stem_fts] USING FTS5 (
            [title_stemmed], [body_stemmed], content='', tokenize='unicode61 remove_diacritics 2'
        );
        """
    )
    _fill_stem_index(conn)


def _merge_index_segments_in_bulk(conn: sqlite3.Connection) -> None:
    """v5: no incremental FTS5 merging; segments are merged sixteen at a time ("crisismerge", always on) instead.

    The default incremental merge (`automerge` 4) rewrites every indexed word about log4(n) times as the archive
    grows, and made imports slow down from 2,400 articles/s at 200,000 to under 1,500/s at 1,000,000; merging
    sixteen segments at once rewrites it about log16(n) times. Queries read at most 15 segments per level, which
    keeps them within the benchmark's latency (README). A setting, not a mode: nothing to undo after a crash."""
    for fts_table in ("articles_fts", "articles_stem_fts"):
        conn.execute(f"INSERT INTO [{fts_table}] ([{fts_table}], rank) VALUES ('automerge', 0)")


def _flush_index_in_large_segments(conn: sqlite3.Connection) -> None:
    """v6: FTS5 holds up to 64 MB of pending index per table in memory (default 1 MB) before writing a segment.

    With 1 MB an import batch became dozens of small segments, each merged again later; with 64 MB a batch is one
    segment per index. That took the 1,000,000-article import from 1,900 to 2,800 articles/s and halved the
    segments a query reads. Memory stays bounded: the hash is flushed at 64 MB or at each commit."""
    for fts_table in ("articles_fts", "articles_stem_fts"):
        conn.execute(f"INSERT INTO [{fts_table}] ([{fts_table}], rank) VALUES ('hashsize', {FTS_HASH_BYTES})")


def _remember_discovery_dates(conn: sqlite3.Connection) -> None:
    """v7: `urls.published_hint`, the publication date discovery gave a URL (JSON `{"source", "published"}`), so
    a post fetched in a later run, after its feed has dropped it, is still dated by it."""
    conn.execute("ALTER TABLE urls ADD COLUMN published_hint TEXT")


_ROUND_TWO_SCHEMA = (
    "ALTER TABLE articles ADD COLUMN npsn TEXT",
    "ALTER TABLE articles ADD COLUMN level TEXT",
    "ALTER TABLE articles ADD COLUMN ownership TEXT",
    "ALTER TABLE articles ADD COLUMN province TEXT",
    "ALTER TABLE articles ADD COLUMN regency TEXT",
    "ALTER TABLE articles ADD COLUMN topics TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE articles ADD COLUMN organisations TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE articles ADD COLUMN story_id TEXT",
    "CREATE INDEX idx_articles_province ON articles (province)",
    "CREATE INDEX idx_articles_story_id ON articles (story_id)",
    # One row per normalised counterpart (`key`: the name folded for matching); `name` as first written.
    "CREATE TABLE organisations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,"
    " key TEXT NOT NULL UNIQUE)",
    "CREATE TABLE article_organisations (url TEXT NOT NULL REFERENCES articles (url) ON DELETE CASCADE,"
    " organisation_id INTEGER NOT NULL REFERENCES organisations (id), PRIMARY KEY (url, organisation_id))",
    "CREATE INDEX idx_article_organisations_organisation ON article_organisations (organisation_id)",
)


def _add_school_identity_and_research_columns(conn: sqlite3.Connection) -> None:
    """v8: each article carries its school's identity (DESIGN §12: NPSN, level, ownership, province, regency) and
    what it is about (DESIGN §14: topics, counterpart organisations, story), so researchers filter and facet by
    them; `organisations` holds one row per normalised counterpart and `article_organisations` links them."""
    for statement in _ROUND_TWO_SCHEMA:
        conn.execute(statement)


_SITE_REGISTRY_AND_STATE = (
    *(f"ALTER TABLE sites ADD COLUMN {name} TEXT" for name in (
        "npsn", "level", "ownership", "province", "regency", "district",
        "state", "state_detail", "state_since", "profile")),
    "CREATE UNIQUE INDEX idx_sites_npsn ON sites (npsn) WHERE npsn IS NOT NULL",
    "CREATE INDEX idx_sites_state ON sites (state)",
)


def _add_site_registry_and_state(conn: sqlite3.Connection) -> None:
    """v9: a site is a school of the official registry (DESIGN §12: NPSN, level, ownership, province, regency,
    district), has a state after each crawl (DESIGN §13: state, state_detail, state_since) and keeps what warta
    learned of its pages (`profile`: JSON of per-site extraction facts such as its template and date order)."""
    for statement in _SITE_REGISTRY_AND_STATE:
        conn.execute(statement)


_BROWSING_INDEXES = (
    "CREATE INDEX idx_articles_published ON articles (published)",
    "CREATE INDEX idx_articles_region ON articles (region)",
    "CREATE INDEX idx_articles_cms ON articles (cms)",
    "CREATE INDEX idx_articles_categories ON articles (categories)",
    "CREATE INDEX idx_articles_topics_published ON articles (topics, published_date)",
)


def _index_browsing_columns(conn: sqlite3.Connection) -> None:
    """v10: indexes for what `warta serve` shows on every articles page, measured on 1,000,000 articles: the
    default sort (published, newest first: 720 ms without, 1 ms with), the region and cms facets (700 → 60 ms),
    the categories array facet (1,340 → 710 ms: json_each reads the index, not the rows with their bodies), and
    the topics facet and per-topic chart (690 → 160 ms). Without them a scan reads the whole table, bodies
    included."""
    for statement in _BROWSING_INDEXES:
        conn.execute(statement)


def _add_story_index_and_rules_versions(conn: sqlite3.Connection) -> None:
    """v11: `story_bands`, the LSH index of stories (band key, rowid of an article with it: see
    `archive.stories`; without rowid: a fifth faster to write), and `rules_versions`, the version of
    the rules each derived column was computed with (`archive.research`), so an archive is recomputed when they
    change."""
    conn.execute("CREATE TABLE story_bands (band INTEGER NOT NULL, article INTEGER NOT NULL,"
                 " PRIMARY KEY (band, article)) WITHOUT ROWID")
    conn.execute("CREATE TABLE rules_versions (name TEXT PRIMARY KEY, version TEXT NOT NULL)")


def _note_how_urls_were_found(conn: sqlite3.Connection) -> None:
    """v12: `urls.found_via`, how discovery first reached a URL when it was not an ordinary link: the door that
    led to it (`script redirect from http://…/`, `frame from …`), the listing that listed it, the menu or the
    pagination that led to a listing (README "Crawling")."""
    conn.execute("ALTER TABLE urls ADD COLUMN found_via TEXT")


def _fill_stem_index(conn: sqlite3.Connection) -> None:
    """Index the stemmed title and body of every article (into an empty `articles_stem_fts`)."""
    rows = conn.execute("SELECT rowid, title, body FROM articles")
    conn.executemany(
        "INSERT INTO articles_stem_fts (rowid, title_stemmed, body_stemmed) VALUES (?, ?, ?)",
        ((rowid, stem_text(title), stem_text(body)) for rowid, title, body in rows.fetchall()),
    )
    # Kept in the index's own config table (FTS5 ignores keys it does not know), so it goes wherever the index goes.
    conn.execute(f"INSERT OR REPLACE INTO articles_stem_fts_config (k, v) VALUES ('{STEMMER_KEY}', ?)",
                 (stemmer_version(),))


def rebuild_search_indexes(conn: sqlite3.Connection) -> None:
    """Rebuild both FTS indexes from `articles` (inside the caller's transaction)."""
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    _restem(conn)


def _restem(conn: sqlite3.Connection) -> None:
    """Empty the stemmed index and index every article again with today's stemmer."""
    conn.execute("INSERT INTO articles_stem_fts (articles_stem_fts) VALUES ('delete-all')")
    _fill_stem_index(conn)


Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = [
    _create_tables, _create_search_indexes, _index_site_dates, _stem_index_without_content,
    _merge_index_segments_in_bulk, _flush_index_in_large_segments, _remember_discovery_dates,
    _add_school_identity_and_research_columns, _add_site_registry_and_state, _index_browsing_columns,
    _add_story_index_and_rules_versions, _note_how_urls_were_found,
]


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """One write transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on error), taking the write lock up front.

    Inside a transaction the caller already opened, it is a savepoint of that transaction instead."""
    conn = db.conn
    if conn.in_transaction:
        conn.execute("SAVEPOINT archive_write")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK TO archive_write")
            conn.execute("RELEASE archive_write")
            raise
        conn.execute("RELEASE archive_write")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def schema_version(db: sqlite_utils.Database) -> int:
    """The number of migrations applied to this archive."""
    return db.conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database, *, target: int | None = None) -> int:
    """Apply the pending migrations up to `target` (default: all), each in its own transaction; returns the
    version reached. Safe when several processes open the same archive at once."""
    target = len(MIGRATIONS) if target is None else target
    while (version := schema_version(db)) < target:
        with transaction(db) as conn:
            # Another process may have migrated between our check and taking the lock.
            if conn.execute("PRAGMA user_version").fetchone()[0] != version:
                continue
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
    return schema_version(db)


def refresh_if_changed(db: sqlite_utils.Database, recorded: Callable[[sqlite3.Connection], str | None],
                       current: str, refresh: Callable[[sqlite3.Connection], object]) -> None:
    """Run `refresh` in one write transaction when the version `recorded` in the archive is not `current`
    (checked again under the write lock: another process may have refreshed meanwhile). `refresh` records it."""
    if recorded(db.conn) == current:
        return
    with transaction(db) as conn:
        if recorded(conn) != current:
            refresh(conn)


def _restem_if_stemmer_changed(db: sqlite_utils.Database) -> None:
    """The stemmed index must hold what today's stemmer makes of the text, or queries would miss it."""
    refresh_if_changed(db, _stemmed_with, stemmer_version(), _restem)


def _stemmed_with(conn: sqlite3.Connection) -> str | None:
    """The stemmer version recorded in the stemmed index, or None if none is."""
    found = conn.execute(f"SELECT v FROM articles_stem_fts_config WHERE k = '{STEMMER_KEY}'").fetchone()
    return found[0] if found else None


def connect(path: str | Path) -> sqlite_utils.Database:
    """A connection with the archive's pragmas (WAL, busy timeout, foreign keys) but no migration."""
    db = sqlite_utils.Database(str(path))
    conn = db.conn
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # Only a new, empty file takes it (before WAL mode): 8 KB pages made imports ~20% faster and the file ~8%
    # smaller than SQLite's 4 KB, with FTS5's ~1 KB leaves packed into fewer pages. Older archives keep theirs.
    conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    conn.execute("PRAGMA journal_mode = WAL")
    # NORMAL is durable against a killed process in WAL mode; only a power cut may lose the last commits.
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    # 64 MB of page cache: the url primary key and FTS segments of a large archive stay in memory while writing.
    conn.execute("PRAGMA cache_size = -64000")
    return db


def open_archive(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) an archive: WAL mode, busy timeout, foreign keys, all migrations applied.

    A file that is not an SQLite database raises `ArchiveUserError`."""
    try:
        db = connect(path)
        migrate(db)
        _restem_if_stemmer_changed(db)
        from archive.research import rebuild_if_rules_changed  # it builds on this module

        rebuild_if_rules_changed(db)
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError):  # locked, disk full...: not the user's mistake
            raise
        raise ArchiveUserError(f"{path}: not a warta archive ({exc})") from None
    return db
