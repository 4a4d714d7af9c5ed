"""Saving Article records into the archive: upsert the current version, keep history and both search indexes.

Writes go in batched transactions, so a killed process loses at most the batch in flight and a rerun completes
it; saving the same record again changes nothing.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

import sqlite_utils

from archive.db import transaction
from archive.records import (
    ARTICLE_FIELDS,
    LIST_FIELDS,
    RecordError,
    content_hash,
    json_strings,
    normalise_record,
    published_date,
    published_year,
)
from archive.research import Features, Stems, batch, describe, features, record_links
from archive.stemming import stem_text
from archive.stories import KnownBands

log = logging.getLogger(__name__)

# Each commit flushes the FTS indexes; bigger batches mean fewer, larger index segments (see db migration v6).
BATCH_SIZE = 10_000
# Articles whose FTS rows are written together. FTS5 writes out its pending index at every statement savepoint, and
# the INSERT of an `articles` row opens one; inserting the index rows right after each article made every
# article a segment of its own: a third of an import's time. Held back and written a thousand at a time, they cost
# a few MB of memory.
INDEX_CHUNK = 1_000
# Fields whose change makes a save an update; a new `fetched_at` alone only moves `last_seen`.
COMPARED_FIELDS = tuple(name for name in ARTICLE_FIELDS if name != "fetched_at")
# The school's identity an article takes from its `sites` row (DESIGN §12), like `region`.
IDENTITY_COLUMNS = ("npsn", "level", "ownership", "province", "regency")
ROW_COLUMNS = ARTICLE_FIELDS + (
    "published_date", "year", "region", "first_seen", "last_seen", "content_hash",
    "topics", "organisations", "story_id",  # derived from the title and text (archive.research)
) + IDENTITY_COLUMNS
RESEARCH_COLUMNS = ("topics", "organisations", "story_id")
_INSERT_SQL = (
    f"INSERT INTO articles ({', '.join(ROW_COLUMNS)}) VALUES ({', '.join('?' for _ in ROW_COLUMNS)})"
)
_UPDATE_COLUMNS = tuple(name for name in ROW_COLUMNS if name not in ("first_seen",))
_UPDATE_SQL = f"UPDATE articles SET {', '.join(f'{name} = ?' for name in _UPDATE_COLUMNS)} WHERE rowid = ?"


@dataclass
class SaveResult:
    """What a save did: counts of new, updated and unchanged articles, and one message per rejected record."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def utc_now() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def save_articles(
    db: sqlite_utils.Database, articles: Iterable[Mapping[str, Any]], *, seen_at: str | None = None
) -> SaveResult:
    """Upsert Article records (DESIGN §3 mappings) into `articles`, keep earlier contents in
    `article_versions` and both FTS indexes in sync, in batched transactions. Idempotent.

    `seen_at` (UTC ISO) is when the records were seen; by default each record's `fetched_at`, else now.
    A bad record is reported in `SaveResult.errors` and skipped; the others are saved.
    """
    labelled = ((f"record {number}", record) for number, record in enumerate(articles, start=1))
    return save_labelled(db, labelled, seen_at=seen_at)


def save_labelled(
    db: sqlite_utils.Database, records: Iterable[tuple[str, Mapping[str, Any]]], *, seen_at: str | None = None
) -> SaveResult:
    """`save_articles` for records paired with a label (e.g. `file.jsonl:12`) that error messages start with.

    A `RecordError` in place of a record (e.g. a line that is not JSON) is reported in order with the others."""
    return save_prepared(db, (prepare(label, record, seen_at) for label, record in records))


@dataclass(frozen=True)
class Prepared:
    """A record made ready to write without the archive: its `articles` row (but for what the archive gives it:
    school identity, story), its stemmed title and body and the research `Features` of its text; or why it was
    rejected. Plain strings, a dict and small lists, so a worker process can make it and send it to the writer
    cheaply."""

    label: str
    row: dict[str, Any] | None
    title_stems: str = ""
    body_stems: str = ""
    features: Features | None = None
    error: str | None = None

    def stems(self) -> Stems:
        """The stemmed title and body with their words, as `Stems.of` makes them."""
        return Stems(self.title_stems, self.body_stems)

    def __reduce__(self) -> tuple[type[Prepared], tuple[Any, ...]]:
        # Pickled as its fields alone (the import's reader sends every article): unpickling the default way, a
        # class reference and a dict of field names set one by one, took twice as long.
        return Prepared, (self.label, self.row, self.title_stems, self.body_stems, self.features, self.error)


def prepare(label: str, record: Mapping[str, Any] | RecordError, seen_at: str | None = None,
            bands: KnownBands | None = None) -> Prepared:
    """Validate and normalise one record, make its row, stem its text and make its research features (`bands`:
    the import's filter of band keys, see `features`): everything of a save that needs no archive (what
    `archive.pipeline` runs on another core). A `RecordError` record is reported as it is."""
    try:
        if isinstance(record, RecordError):  # the reader could not even make a record of it
            raise record
        clean = normalise_record(record)
    except RecordError as exc:
        return Prepared(label, None, error=f"{label}: {exc}")
    row = _article_row(clean, seen_at or clean["fetched_at"] or utc_now())
    stems = Stems.of(row["title"], row["body"])
    return Prepared(label, row, stems.title, stems.body, features(row["title"], row["body"], stems, bands))


def save_prepared(db: sqlite_utils.Database, prepared: Iterable[Prepared]) -> SaveResult:
    """Write prepared records (`prepare`) in batched transactions: the archive side of `save_labelled`."""
    result = SaveResult()
    regions: dict[str, dict[str, str | None]] = {}
    iterator = iter(prepared)
    # Read LOOKUP_CHUNK at a time, not a whole batch: a batch of prepared articles (text and stems) held ~30 MB.
    while chunk := list(islice(iterator, LOOKUP_CHUNK)):
        with transaction(db) as conn, batch(conn):
            index = _PendingIndex(conn)
            written = 0
            while chunk:
                archived = _archived_urls(conn, [item.row["url"] for item in chunk if item.row is not None])
                for item in chunk:
                    if item.row is None:
                        log.warning("skipped %s", item.error)
                        result.errors.append(str(item.error))
                        continue
                    outcome = _save_one(conn, item, regions, index, archived)
                    setattr(result, outcome, getattr(result, outcome) + 1)
                written += len(chunk)
                chunk = list(islice(iterator, LOOKUP_CHUNK)) if written < BATCH_SIZE else []
            index.flush()
    return result


# Articles whose URLs are looked up at once, in one statement (under SQLite's limit of 32,766 parameters).
LOOKUP_CHUNK = 500


def _archived_urls(conn: sqlite3.Connection, urls: list[str]) -> set[str]:
    """Which of `urls` are in `articles` already: one indexed query, where asking for each article's row
    (nearly always absent in an import) cost a statement per article."""
    if not urls:
        return set()
    marks = ", ".join("?" * len(urls))
    return {url for (url,) in conn.execute(f"SELECT url FROM articles WHERE url IN ({marks})", urls)}


class _PendingIndex:
    """Title and body rows for both FTS indexes, held back and written `INDEX_CHUNK` at a time (see there)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.rows: list[tuple[int, str, str, str, str]] = []

    def add(self, rowid: int, row: Mapping[str, Any], stems: Stems) -> None:
        """Index an article's title and body in the exact and the stemmed index (`stems`: their stemmed forms)."""
        self.rows.append((rowid, row["title"], row["body"], stems.title, stems.body))
        if len(self.rows) >= INDEX_CHUNK:
            self.flush()

    def flush(self) -> None:
        """Write the rows held back; before any removal from the indexes, which must find what it removes."""
        if self.rows:
            self.conn.executemany("INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
                                  [(rowid, title, body) for rowid, title, body, _, _ in self.rows])
            self.conn.executemany(
                "INSERT INTO articles_stem_fts (rowid, title_stemmed, body_stemmed) VALUES (?, ?, ?)",
                [(rowid, title, body) for rowid, _, _, title, body in self.rows])
            self.rows.clear()


def _save_one(
    conn: sqlite3.Connection, item: Prepared, regions: dict[str, dict[str, str | None]], index: _PendingIndex,
    archived: set[str],
) -> str:
    """Write one prepared record; returns "new", "updated" or "unchanged". `archived`: the URLs of the batch
    already in `articles` (this one is added once written)."""
    row = dict(item.row or {})
    identity = _site_identity(conn, row["site"], regions)
    row["region"] = row["region"] or identity["region"]
    row.update((name, identity[name]) for name in IDENTITY_COLUMNS)
    seen_at = row.pop("seen_at")
    old = _archived_row(conn, row["url"]) if row["url"] in archived else None
    archived.add(row["url"])
    if old is None:
        stems = item.stems()
        description = describe(conn, row, stems, known=item.features)
        row.update(description.columns())
        rowid = conn.execute(_INSERT_SQL, [row[name] for name in ROW_COLUMNS]).lastrowid
        index.add(rowid, row, stems)
        record_links(conn, rowid, row["url"], description, replace=False)
        return "new"
    last_seen = max(old["last_seen"] or "", row["last_seen"])
    if all(old[name] == row[name] for name in COMPARED_FIELDS):
        if last_seen != old["last_seen"]:
            conn.execute("UPDATE articles SET last_seen = ? WHERE rowid = ?", (last_seen, old["rowid"]))
        return "unchanged"
    if old["content_hash"] != row["content_hash"]:
        _keep_version(conn, old, replaced_at=seen_at)
    row["last_seen"] = last_seen
    for name in ("region", *IDENTITY_COLUMNS):
        row[name] = row[name] or old[name]
    text_changed = (old["title"], old["body"]) != (row["title"], row["body"])
    if text_changed:
        stems = item.stems()
        description = describe(conn, row, stems, rowid=old["rowid"], known=item.features)
        row.update(description.columns())
    else:
        row.update({name: old[name] for name in RESEARCH_COLUMNS})
    conn.execute(_UPDATE_SQL, [row[name] for name in _UPDATE_COLUMNS] + [old["rowid"]])
    if text_changed:
        index.flush()
        _unindex(conn, old)
        index.add(old["rowid"], row, stems)
        record_links(conn, old["rowid"], row["url"], description, replace=True)
    return "updated"


def _article_row(record: dict[str, Any], seen_at: str) -> dict[str, Any]:
    """The `articles` row of a normalised record but for its school identity: lists as JSON, derived date
    columns, bookkeeping; and `seen_at`, when it was seen (not a column)."""
    row = dict(record)
    for name in LIST_FIELDS:
        row[name] = json_strings(record[name])
    row["published_date"] = published_date(record["published"])
    row["year"] = published_year(record["published"])
    row["first_seen"] = record["first_seen"] or seen_at
    row["last_seen"] = record["last_seen"] or seen_at
    row["content_hash"] = content_hash(record)
    row["seen_at"] = seen_at
    return row


def _archived_row(conn: sqlite3.Connection, url: str) -> dict[str, Any] | None:
    """The archived `articles` row of `url` with its rowid, or None."""
    cursor = conn.execute("SELECT rowid, * FROM articles WHERE url = ?", (url,))
    found = cursor.fetchone()
    return None if found is None else dict(zip([column[0] for column in cursor.description], found, strict=True))


def _site_identity(conn: sqlite3.Connection, host: str,
                   identities: dict[str, dict[str, str | None]]) -> dict[str, str | None]:
    """The region and school identity of a site's `sites` row (all None for an unknown site), cached per save.
    `www.host` and `host` are one site (a school listed without `www.` often serves its pages with it)."""
    if host not in identities:
        names = ("region", *IDENTITY_COLUMNS)
        other = host.removeprefix("www.") if host.startswith("www.") else f"www.{host}"
        found = conn.execute(f"SELECT {', '.join(names)} FROM sites WHERE host IN (?, ?) ORDER BY host = ? DESC",
                             (host, other, host)).fetchone()
        identities[host] = dict(zip(names, found or (None,) * len(names), strict=True))
    return identities[host]


def _keep_version(conn: sqlite3.Connection, old: dict[str, Any], *, replaced_at: str) -> None:
    """Copy the content being replaced into `article_versions`."""
    (previous_end,) = conn.execute(
        "SELECT max(replaced_at) FROM article_versions WHERE url = ?", (old["url"],)
    ).fetchone()
    conn.execute(
        "INSERT INTO article_versions (url, title, body, published, categories, content_hash, first_seen,"
        " last_seen, replaced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (old["url"], old["title"], old["body"], old["published"], old["categories"], old["content_hash"],
         previous_end or old["first_seen"], old["last_seen"], replaced_at),
    )


def _unindex(conn: sqlite3.Connection, old: Mapping[str, Any]) -> None:
    """Remove an article's indexed title and body (both indexes keep no text of their own: they need the old
    values; the stemmed ones are remade with the stemmer that indexed them, see `db._restem_if_stemmer_changed`)."""
    conn.execute(
        "INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)",
        (old["rowid"], old["title"], old["body"]),
    )
    conn.execute(
        "INSERT INTO articles_stem_fts (articles_stem_fts, rowid, title_stemmed, body_stemmed)"
        " VALUES ('delete', ?, ?, ?)",
        (old["rowid"], stem_text(old["title"]), stem_text(old["body"])),
    )


def iter_rows(db: sqlite_utils.Database, sql: str, params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
    """Rows of a query as dicts, streamed."""
    cursor = db.conn.execute(sql, tuple(params))
    names = [column[0] for column in cursor.description]
    for values in cursor:
        yield dict(zip(names, values, strict=True))
