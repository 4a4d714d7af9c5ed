"""Stories: articles that report one story in (nearly) the same words share a `story_id` (DESIGN §14).

Finding candidates is locality-sensitive hashing: the overlapping `SHINGLE_WORDS`-word shingles of an article's
stemmed title and body get a MinHash signature from rensa (`RMinHash`, `NUM_PERM` permutations, seed `SEED`), cut
into `BANDS` bands of `ROWS_PER_BAND` values; `story_bands` holds each article's band keys, so a new article finds
the articles it may repeat with one indexed lookup, whatever the archive's size, and checks the `MAX_CANDIDATES`
sharing most bands with it (a template a thousand schools posted must not make each new copy read a thousand). Two
texts whose opening shingles overlap by 90% (Jaccard) share a band with probability 0.9999, at 80% 0.995, at 70%
0.94, at 10% (two articles of one school on different subjects) 1e-3.

A candidate is accepted only if the two texts' shingles really overlap (Jaccard ≥ `MIN_JACCARD`) and, when both are
dated, they were published within `MAX_DAYS_APART` days: a school's yearly announcement in the same template ("Info
PPDB 2024/2025", "Info PPDB 2025/2026") is a new story each year. Texts that are all but identical (Jaccard ≥
`SAME_TEXT_JACCARD`: a post re-published later under a new URL) are one story whatever their dates. Shared
boilerplate (a footer, a school profile) is a small part of each text's shingles, so articles sharing only that stay
apart. An article joins the story of the first candidate it nearly repeats (most bands shared, then earliest); a
story's id is its first article's URL, and an article that repeats none starts its own. The same articles stored in
the same order get the same stories.
"""

from __future__ import annotations

import sqlite3
import struct
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from rensa import RMinHash

# Bump when anything below changes the grouping: archives then regroup every article on open.
RULES_VERSION = 2

NUM_PERM = 40
BANDS = 10
ROWS_PER_BAND = NUM_PERM // BANDS
SEED = 20_260_101
SHINGLE_WORDS = 4
# The signature reads the first words only (the title's and the text's opening): enough to find a near-copy,
# and what the import pays for does not grow with long texts. Candidates are then compared in full.
SIGNATURE_WORDS = 80
MIN_JACCARD = 0.5
MAX_DAYS_APART = 60
SAME_TEXT_JACCARD = 0.9
MAX_CANDIDATES = 8

# Band keys are the band's values as one integer, folded below 2**63 with the band's number in the low digits.
_KEY_MODULUS = (1 << 63) // BANDS - 1
_VALUES_FORMAT = struct.Struct(f"<{NUM_PERM}I")
_BAND_BYTES = ROWS_PER_BAND * 4


def minhash_version() -> str:
    """Which MinHash the band keys were made with (part of the rules' version)."""
    return f"rensa RMinHash algorithm {RMinHash.ALGORITHM_VERSION}"


def band_keys(text_shingles: list[str]) -> list[int]:
    """The LSH keys of a text's shingles: one 63-bit integer per band (the band's number is part of it)."""
    sketch = RMinHash(NUM_PERM, SEED)
    sketch.update(text_shingles)
    raw = _VALUES_FORMAT.pack(*sketch.digest())
    return [(int.from_bytes(raw[band * _BAND_BYTES:(band + 1) * _BAND_BYTES], "little") % _KEY_MODULUS) * BANDS + band
            for band in range(BANDS)]


def shingles(words: list[str]) -> list[str]:
    """The text's overlapping `SHINGLE_WORDS`-word shingles (the whole text when it is shorter)."""
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words)] if words else []
    return list(map(" ".join, zip(*(words[offset:] for offset in range(SHINGLE_WORDS)), strict=False)))


def jaccard(first: set[str], second: set[str]) -> float:
    """How much two shingle sets overlap (0 to 1)."""
    return len(first & second) / len(first | second) if first or second else 0.0


def _days_apart(first: str | None, second: str | None) -> int:
    if not first or not second:
        return 0
    return abs((date.fromisoformat(first[:10]) - date.fromisoformat(second[:10])).days)


@dataclass(frozen=True)
class Placement:
    """Where an article goes: its `story_id`, and its band keys (to record, so later articles find it)."""

    story_id: str
    new_bands: tuple[int, ...]


def place(conn: sqlite3.Connection, *, url: str, rowid: int | None, published_date: str | None,
          words: list[str], stem: Callable[[str, str], list[str]]) -> Placement:
    """The story of an article whose stemmed title and body are `words` (`rowid` when it is archived already: an
    edited article is not a repeat of itself): that of the archived article it nearly repeats, else a new story of
    its own. `stem(title, body)` gives a candidate's words."""
    keys = band_keys(shingles(words[:SIGNATURE_WORDS]))
    marks = ",".join("?" * len(keys))
    # Counted here: the same query with GROUP BY and ORDER BY in SQL took three times as long.
    shared = Counter(article for (article,) in conn.execute(
        f"SELECT article FROM story_bands WHERE band IN ({marks})", keys) if article != rowid)
    own_set: set[str] | None = None
    for candidate in sorted(shared, key=lambda article: (-shared[article], article))[:MAX_CANDIDATES]:
        row = conn.execute("SELECT story_id, title, body, published_date FROM articles WHERE rowid = ?",
                           (candidate,)).fetchone()
        if row is None:
            continue
        story_id, title, body, published = row
        own_set = set(shingles(words)) if own_set is None else own_set
        overlap = jaccard(own_set, set(shingles(stem(title, body))))
        if overlap >= SAME_TEXT_JACCARD or (
                overlap >= MIN_JACCARD and _days_apart(published, published_date) <= MAX_DAYS_APART):
            return Placement(story_id, tuple(keys))
    return Placement(url, tuple(keys))


def record_bands(conn: sqlite3.Connection, rowid: int, placement: Placement) -> None:
    """Remember an article's bands."""
    if placement.new_bands:
        conn.executemany("INSERT OR IGNORE INTO story_bands (band, article) VALUES (?, ?)",
                         [(key, rowid) for key in placement.new_bands])
