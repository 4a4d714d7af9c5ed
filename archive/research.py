"""What the archive derives from an article when it stores it (DESIGN §14): its topics, the counterpart
organisations it names and its story, computed from the title and text alone, so `warta import` and the crawl
get the same. The rules' versions are recorded in `rules_versions`; an archive opened with other rules is
recomputed whole, in archive order (as `db._restem_if_stemmer_changed` does for the stemmed index).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from archive import organisations, stories, topics
from archive.db import refresh_if_changed
from archive.records import json_strings
from archive.stemming import stem_text, stemmer_version

RULES_KEY = "research"


def rules_version() -> str:
    """The version of everything the derived columns depend on, the stemmer included."""
    return (f"topics {topics.RULES_VERSION}, organisations {organisations.RULES_VERSION}, "
            f"stories {stories.RULES_VERSION} ({stories.minhash_version()}), {stemmer_version()}")


class Stems:
    """An article's stemmed title and body, as the stemmed index stores them, and their words (split on first
    use: the writer of an import needs only the strings): computed once, used by the index, the topics and the
    stories."""

    # Slots filled on first use, not `functools.cached_property`: Python 3.11's takes a lock at every first
    # access, and the import's reader makes a `Stems` for every article.
    __slots__ = ("title", "body", "_title_words", "_body_words")

    def __init__(self, title: str, body: str) -> None:
        self.title = title
        self.body = body
        self._title_words: list[str] | None = None
        self._body_words: list[str] | None = None

    @classmethod
    def of(cls, title: str, body: str) -> Stems:
        return cls(stem_text(title), stem_text(body))

    @property
    def title_words(self) -> list[str]:
        """The title's stems."""
        if self._title_words is None:
            self._title_words = self.title.split()
        return self._title_words

    @property
    def body_words(self) -> list[str]:
        """The body's stems."""
        if self._body_words is None:
            self._body_words = self.body.split()
        return self._body_words

    @property
    def words(self) -> list[str]:
        """The stems of the title, then those of the body."""
        return self.title_words + self.body_words

    def opening(self, count: int) -> list[str]:
        """The first `count` of `words`, without splitting the whole body."""
        words = self.title_words[:count]
        if len(words) < count:
            words += self.body.split(maxsplit=count - len(words))[:count - len(words)]
        return words


def _stemmed_words(title: str, body: str) -> list[str]:
    return Stems.of(title, body).words


@dataclass(frozen=True)
class Features:
    """What an article's title and text give by themselves, without the archive: its topics, the organisations
    it names and its story signature. Small (a few strings and ten integers), so the process that reads and stems
    an import makes them and the writer only looks up and stores (`archive.pipeline`)."""

    topics: list[str]
    organisations: list[tuple[str, str]]
    band_keys: tuple[int, ...]
    # The band keys an archived or earlier article may have, when the reader's filter knows (else None).
    maybe_archived: tuple[int, ...] | None = None

    def __reduce__(self) -> tuple[type[Features], tuple[Any, ...]]:
        # Its fields alone, as `store.Prepared` is pickled (see there).
        return Features, (self.topics, self.organisations, self.band_keys, self.maybe_archived)


def features(title: str, body: str, stems: Stems, bands: stories.KnownBands | None = None) -> Features:
    """The archive-free part of `describe` for an article's title and text and their stems; `bands`: the
    import's filter of the band keys seen so far, told of this article's."""
    keys = stories.signature(stems.opening(stories.SIGNATURE_WORDS))
    return Features(topics.topic_ids(topics.TextForms(title, stems.title, stems.title_words),
                                     topics.TextForms(body, stems.body)),
                    organisations.article_organisations(title, body),
                    keys, None if bands is None else bands.held_then_add(keys))


@dataclass(frozen=True)
class Description:
    """The derived columns of one article and what they need written elsewhere."""

    topics: list[str]
    organisations: list[tuple[str, str]]
    placement: stories.Placement

    def columns(self) -> dict[str, Any]:
        """The `articles` columns: topics and organisation names as JSON arrays, and the story id."""
        return {
            "topics": json_strings(self.topics),
            "organisations": json_strings([name for name, _ in self.organisations]),
            "story_id": self.placement.story_id,
        }


def describe(conn: sqlite3.Connection, row: dict[str, Any], stems: Stems, *, rowid: int | None = None,
             known: Features | None = None) -> Description:
    """Topics, organisations and story of an article row (`rowid` when it is already archived; `known`: its
    `features`, when they were made beforehand)."""
    made = known or features(row["title"], row["body"], stems)
    placement = stories.place(conn, url=row["url"], rowid=rowid, published_date=row["published_date"],
                              keys=made.band_keys, words=lambda: stems.words, stem=_stemmed_words,
                              maybe_archived=made.maybe_archived)
    return Description(made.topics, made.organisations, placement)


# The organisation ids known in each connection's current `batch` (folded name -> id).
_organisation_ids: dict[int, dict[str, int]] = {}


@contextmanager
def batch(conn: sqlite3.Connection) -> Iterator[None]:
    """Describe and record many articles inside the caller's write transaction: story bands written together
    at the end (`stories.batch`), and each organisation's id looked up once."""
    if id(conn) in _organisation_ids:  # inside a batch already
        yield
        return
    _organisation_ids[id(conn)] = {}
    try:
        with stories.batch(conn):
            yield
    finally:
        del _organisation_ids[id(conn)]


def record_links(conn: sqlite3.Connection, rowid: int, url: str, description: Description, *, replace: bool) -> None:
    """Write what a description needs beside the article's row: its story's bands, its organisation links."""
    # Single-row statements only: a statement that may change several rows opens a statement savepoint, and
    # FTS5 writes out its whole pending index at each one (see archive.db): an INSERT ... SELECT here made
    # every article naming an organisation cost 3 ms and a new index segment.
    stories.record_bands(conn, rowid, description.placement)
    if replace:
        for (known,) in conn.execute("SELECT organisation_id FROM article_organisations WHERE url = ?",
                                     (url,)).fetchall():
            conn.execute("DELETE FROM article_organisations WHERE url = ? AND organisation_id = ?", (url, known))
    known_ids = _organisation_ids.get(id(conn), {})
    for name, kind in description.organisations:
        key = organisations.organisation_key(name)
        organisation_id = known_ids.get(key)
        if organisation_id is None:
            conn.execute("INSERT OR IGNORE INTO organisations (name, kind, key) VALUES (?, ?, ?)",
                         (name, kind, key))
            (organisation_id,) = conn.execute("SELECT id FROM organisations WHERE key = ?", (key,)).fetchone()
            known_ids[key] = organisation_id
        conn.execute("INSERT OR IGNORE INTO article_organisations (url, organisation_id) VALUES (?, ?)",
                     (url, organisation_id))


def rebuild(conn: sqlite3.Connection) -> int:
    """Recompute topics, organisations and stories of every article, in archive order; returns how many."""
    conn.execute("DELETE FROM story_bands")
    conn.execute("DELETE FROM article_organisations")
    conn.execute("DELETE FROM organisations")
    count = 0
    with batch(conn):
        for rowid, url, title, body, published_date in conn.execute(
                "SELECT rowid, url, title, body, published_date FROM articles ORDER BY rowid").fetchall():
            row = {"url": url, "title": title, "body": body, "published_date": published_date}
            description = describe(conn, row, Stems.of(title, body), rowid=rowid)
            columns = description.columns()
            conn.execute("UPDATE articles SET topics = ?, organisations = ?, story_id = ? WHERE rowid = ?",
                         (columns["topics"], columns["organisations"], columns["story_id"], rowid))
            record_links(conn, rowid, url, description, replace=False)
            count += 1
    conn.execute("INSERT OR REPLACE INTO rules_versions (name, version) VALUES (?, ?)", (RULES_KEY, rules_version()))
    return count


def _recorded_version(conn: sqlite3.Connection) -> str | None:
    found = conn.execute("SELECT version FROM rules_versions WHERE name = ?", (RULES_KEY,)).fetchone()
    return found[0] if found else None


def rebuild_if_rules_changed(db: sqlite_utils.Database) -> None:
    """Recompute the whole archive when it was described with other rules (or never)."""
    refresh_if_changed(db, _recorded_version, rules_version(), rebuild)


def explain(db: sqlite_utils.Database, url: str) -> dict[str, Any] | None:
    """Why an archived article has its topics, organisations and story: the cues found for each topic (title
    and text), the organisations with their kinds, and the other articles of its story. None if not archived."""
    found = db.conn.execute("SELECT title, body, topics, organisations, story_id FROM articles WHERE url = ?",
                            (url,)).fetchone()
    if found is None:
        return None
    title, body, stored_topics, stored_organisations, story_id = found
    evidence = topics.topic_evidence(topics.TextForms.of(title), topics.TextForms.of(body))
    members = [member for (member,) in db.conn.execute(
        "SELECT url FROM articles WHERE story_id = ? AND url != ? ORDER BY rowid", (story_id, url))]
    return {
        "url": url,
        "title": title,
        "topics": json.loads(stored_topics),
        "evidence": [{"topic": item.topic, "score": item.score, "title_cues": list(item.title_cues),
                      "text_cues": list(item.body_cues)} for item in evidence],
        "organisations": [{"name": name, "kind": kind}
                          for name, kind in organisations.article_organisations(title, body)],
        "stored_organisations": json.loads(stored_organisations),
        "story_id": story_id,
        "same_story": members,
        "rules": rules_version(),
    }
