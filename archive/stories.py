"""Stories: articles that report one story in (nearly) the same words share a `story_id` (DESIGN §14).

Finding candidates is locality-sensitive hashing: the overlapping `SHINGLE_WORDS`-word shingles of an article's
stemmed title and body get a MinHash signature from rensa (`RMinHash`, `NUM_PERM` permutations, seed `SEED`), cut
into `BANDS` bands of `ROWS_PER_BAND` values; `story_bands` holds each article's band keys, so a new article finds
the articles it may repeat with one indexed lookup, whatever the archive's size, reading the first (earliest)
`MAX_PER_KEY` articles of each key, and checks the `MAX_CANDIDATES` among them sharing most bands with it (a
template a thousand schools posted must not make each new copy read a thousand). Two
texts whose opening shingles overlap by 90% (Jaccard) share a band with probability 0.9999, at 80% 0.995, at 70%
0.94, at 10% (two articles of one school on different subjects) 1e-3.
Most new articles share no band with any archived one: a connection that places many articles keeps a Bloom filter
of the table's keys (`KnownBands`) and queries only for the keys it may hold; an import's reading process keeps
one for the archive and every article it reads, and the writer then queries only for the keys it names
(`filtered_elsewhere`). Inside `batch` (a write transaction), the band rows are held back and written together
in key order at its end.

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
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import repeat
from pathlib import Path

from rensa import RMinHash

# Bump when anything below changes the grouping: archives then regroup every article on open.
RULES_VERSION = 3

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
MAX_PER_KEY = 64
# Candidates' shingles kept: a story many schools repost is the candidate of every new copy.
CACHED_CANDIDATES = 256

# Band keys are the band's values as one integer, folded below 2**63 with the band's number in the low digits.
_KEY_MODULUS = (1 << 63) // BANDS - 1
# Band rows written a statement at a time, `INSERT_ROWS` rows each: a third less of the writer's time than one
# statement a row (executemany). OR IGNORE also keeps such a statement from opening a statement savepoint, at which
# FTS5 would write out its pending index (see `archive.research.record_links`).
INSERT_ROWS = 400
_BAND_STARTS = range(0, NUM_PERM, ROWS_PER_BAND)


def minhash_version() -> str:
    """Which MinHash the band keys were made with (part of the rules' version)."""
    return f"rensa RMinHash algorithm {RMinHash.ALGORITHM_VERSION}"


def band_keys(text_shingles: list[str]) -> list[int]:
    """The LSH keys of a text's shingles: one 63-bit integer per band (the band's number is part of it)."""
    sketch = RMinHash(NUM_PERM, SEED)
    sketch.update(text_shingles)
    values = sketch.digest()
    # Each band's four (ROWS_PER_BAND) 32-bit values as one little-endian integer: what packing them into bytes
    # and reading those back gave, at a quarter less of the signature's cost.
    return [((values[start] | values[start + 1] << 32 | values[start + 2] << 64 | values[start + 3] << 96)
             % _KEY_MODULUS) * BANDS + start // ROWS_PER_BAND for start in _BAND_STARTS]


def signature(words: list[str]) -> tuple[int, ...]:
    """The band keys of a text whose stemmed words are `words` (its opening `SIGNATURE_WORDS`)."""
    return tuple(band_keys(shingles(words[:SIGNATURE_WORDS])))


def shingles(words: list[str]) -> list[str]:
    """The text's overlapping `SHINGLE_WORDS`-word shingles (the whole text when it is shorter)."""
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words)] if words else []
    return list(map(" ".join, zip(*(words[offset:] for offset in range(SHINGLE_WORDS)), strict=False)))


def jaccard(first: Set[str], second: Set[str]) -> float:
    """How much two shingle sets overlap (0 to 1)."""
    if not first and not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)  # the union's size, without making it


@lru_cache(maxsize=CACHED_CANDIDATES)
def _text_shingles(title: str, body: str, stem: Callable[[str, str], list[str]]) -> frozenset[str]:
    return frozenset(shingles(stem(title, body)))


def _days_apart(first: str | None, second: str | None) -> int:
    if not first or not second:
        return 0
    return abs((date.fromisoformat(first[:10]) - date.fromisoformat(second[:10])).days)


@dataclass(frozen=True)
class Placement:
    """Where an article goes: its `story_id`, and its band keys (to record, so later articles find it)."""

    story_id: str
    new_bands: tuple[int, ...]


class KnownBands:
    """A Bloom filter of the band keys in `story_bands` (two bits a key, `BITS_PER_KEY` bits for each): a key it
    does not hold is in no archived article, so most articles' lookups need no query at all. Never a false "no"
    while it is complete: made from the whole table, told of every band this connection records, and dropped when
    another connection commits (`PRAGMA data_version`)."""

    BITS_PER_KEY = 12

    def __init__(self, conn: sqlite3.Connection, keys: int) -> None:
        # Room for twice as many keys (at least 2 MB): the table is read again only when they are there.
        self.size = 1 << max(24, (2 * keys * self.BITS_PER_KEY).bit_length())
        self.mask = self.size - 1
        self.bits = bytearray(self.size >> 3)
        self.keys = 0
        self.add(key for (key,) in conn.execute("SELECT band FROM story_bands"))

    def add(self, keys: Iterable[int]) -> None:
        bits, mask, count = self.bits, self.mask, 0
        for key in keys:
            value = key // BANDS  # the band's number is in the low digit; the rest is random
            first, second = value & mask, (value >> 31) & mask
            bits[first >> 3] |= 1 << (first & 7)
            bits[second >> 3] |= 1 << (second & 7)
            count += 1
        self.keys += count

    @classmethod
    def read(cls, path: str, more: int) -> KnownBands:
        """The filter of the archive at `path` (read with a connection of its own, read-only: closing it must not
        checkpoint the writer's log, which other connections would take for a commit), with room for `more` keys."""
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            return cls(conn, conn.execute("SELECT count(*) FROM story_bands").fetchone()[0] + more)
        finally:
            conn.close()

    def held_then_add(self, keys: Sequence[int]) -> tuple[int, ...]:
        """`held`, then all of `keys` added: for the process that reads an import, whose filter holds the
        archive's keys and those of the import's earlier articles."""
        kept = tuple(self.held(keys))
        self.add(keys)
        return kept

    def held(self, keys: Sequence[int]) -> list[int]:
        """The keys it may hold (all that are archived, and a few more)."""
        bits, mask, kept = self.bits, self.mask, []
        for key in keys:
            value = key // BANDS
            first, second = value & mask, (value >> 31) & mask
            if bits[first >> 3] & (1 << (first & 7)) and bits[second >> 3] & (1 << (second & 7)):
                kept.append(key)
        return kept

    @property
    def full(self) -> bool:
        return self.keys * self.BITS_PER_KEY > self.size


@lru_cache(maxsize=BANDS + 1)
def _first_articles_sql(keys: int) -> str:
    """The query for the first `MAX_PER_KEY` articles of each of `keys` band keys, in one statement."""
    one = f"SELECT article FROM (SELECT article FROM story_bands WHERE band = ? ORDER BY article LIMIT {MAX_PER_KEY})"
    return " UNION ALL ".join([one] * keys)


class _BandIndex:
    """The band lookups of one connection: queries at first; the filter once this connection has placed enough
    articles to pay for reading the table once (`BUILD_SHARE`: a crawl adding a few articles to a large archive
    keeps querying, an import of many builds it at once)."""

    BUILD_SHARE = 40  # one placement saves the time of reading about 40 of the table's rows

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn  # held, so that no later connection can take its id
        self.version = conn.execute("PRAGMA data_version").fetchone()[0]
        # About how many rows the table has (counting them would read it all): every article's bands.
        self.rows = (conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0) * BANDS
        self.placed = 0
        self.known: KnownBands | None = None
        # Inside `batch`: the rows recorded and not yet written, as key -> article for the first of each key (a
        # dict of integers: a list of (key, article) tuples and a set of its keys made holding an article's bands
        # cost 10 µs, and sorting the tuples at the end 2 µs a row), and the rows of keys held already (rare: a
        # query for a held key writes them all first).
        self.batched = False
        self.pending: dict[int, int] = {}
        self.repeated: list[tuple[int, int]] = []

    def articles_with(self, keys: Sequence[int]) -> list[tuple[int]]:
        """The archived articles having any of these band keys, as `(rowid,)` rows (once per key they share:
        counted as they come, without making a list of their numbers)."""
        self.placed += 1
        if self.known is None and self.placed * self.BUILD_SHARE >= self.rows:
            self.write_pending()  # the filter is made from the table
            self.known = KnownBands(self.conn, self.rows)
        if self.known is not None:
            keys = self.known.held(keys)
            if not keys:
                return []
        return self.articles_among(keys)

    def articles_among(self, keys: Sequence[int]) -> list[tuple[int]]:
        """`articles_with` for the keys another process's complete `KnownBands` may hold (`filtered_elsewhere`)."""
        if not keys:
            return []
        if not self.pending.keys().isdisjoint(keys):
            self.write_pending()
        return self.conn.execute(_first_articles_sql(len(keys)), keys).fetchall()

    def hold(self, rowid: int, keys: tuple[int, ...]) -> None:
        """Record an article's bands, written at the end of the batch (or before a query that needs them)."""
        pending = self.pending
        if pending.keys().isdisjoint(keys):
            pending.update(zip(keys, repeat(rowid)))
        else:
            for key in keys:
                if key in pending:
                    self.repeated.append((key, rowid))
                else:
                    pending[key] = rowid
        self.recorded(keys)

    def write_pending(self) -> None:
        """Write the rows held back, in (key, article) order: each b-tree page visited once."""
        if self.pending:
            _insert_bands(self.conn, _sorted_rows(self.pending, self.repeated))
            self.drop_pending()

    def drop_pending(self) -> None:
        """Forget the rows held back (written, or rolled back with the batch)."""
        self.pending.clear()
        self.repeated.clear()

    def recorded(self, keys: tuple[int, ...]) -> None:
        self.rows += len(keys)
        if self.known is not None:
            self.known.add(keys)
            if self.known.full:
                self.write_pending()
                self.known = KnownBands(self.conn, self.known.keys)


def _sorted_rows(first: dict[int, int], repeated: list[tuple[int, int]]) -> list[int]:
    """The `(band, article)` rows of `first` (key -> article) and `repeated`, sorted, as one flat list of
    values: the integers sorted alone when no key repeats (nearly always)."""
    if repeated:
        return [value for row in sorted([*first.items(), *repeated]) for value in row]
    keys = sorted(first)
    values = [0] * (2 * len(keys))
    values[0::2] = keys
    values[1::2] = list(map(first.__getitem__, keys))
    return values


def _insert_bands(conn: sqlite3.Connection, values: list[int]) -> None:
    """Write `(band, article)` rows given as one flat list of values, `INSERT_ROWS` rows to a statement."""
    for start in range(0, len(values), 2 * INSERT_ROWS):
        chunk = values[start:start + 2 * INSERT_ROWS]
        conn.execute(_insert_bands_sql(len(chunk) // 2), chunk)


@lru_cache(maxsize=INSERT_ROWS)  # one statement for each row count
def _insert_bands_sql(count: int) -> str:
    return "INSERT OR IGNORE INTO story_bands (band, article) VALUES " + ", ".join(["(?, ?)"] * count)


# The band indexes of the connections that placed articles last (by id: connections take no weak references).
_band_indexes: dict[int, _BandIndex] = {}
_KEPT_INDEXES = 4


def _index_of(conn: sqlite3.Connection) -> _BandIndex:
    """This connection's band index, made anew after another connection wrote."""
    index = _band_indexes.get(id(conn))
    if index is not None and index.batched:  # checked when the batch began: no one else writes during it
        return index
    if index is None or conn.execute("PRAGMA data_version").fetchone()[0] != index.version:
        unbatched = [key for key, kept in _band_indexes.items() if not kept.batched]
        if len(_band_indexes) >= _KEPT_INDEXES and unbatched:
            del _band_indexes[unbatched[0]]
        index = _band_indexes[id(conn)] = _BandIndex(conn)
    return index


# data_version of the connections whose placements take another process's filtering (`filtered_elsewhere`).
_filtered_since: dict[int, int] = {}


@contextmanager
def filtered_elsewhere(conn: sqlite3.Connection) -> Iterator[None]:
    """While the block runs, a placement on `conn` may be given the keys that a `KnownBands` another process
    made from the table after the block began (and told of every article placed since) may hold: it then asks
    only for those. Trusted only as long as no other connection commits."""
    _filtered_since[id(conn)] = conn.execute("PRAGMA data_version").fetchone()[0]
    try:
        yield
    finally:
        del _filtered_since[id(conn)]


@contextmanager
def batch(conn: sqlite3.Connection) -> Iterator[None]:
    """Place and record many articles inside the caller's write transaction: the band index is checked once
    (while the transaction holds the write lock no other connection commits), and the band rows are written
    together, sorted, when the block ends (before the transaction commits); dropped if it raises."""
    index = _index_of(conn)
    if index.batched:  # inside a batch already: that one writes the rows
        yield
        return
    index.batched = True
    try:
        yield
        index.write_pending()
    finally:
        index.batched = False
        index.drop_pending()


def place(conn: sqlite3.Connection, *, url: str, rowid: int | None, published_date: str | None,
          keys: tuple[int, ...], words: Callable[[], list[str]], stem: Callable[[str, str], list[str]],
          maybe_archived: tuple[int, ...] | None = None) -> Placement:
    """The story of an article whose `signature` is `keys` and whose stemmed title and body `words()` gives (only
    asked for when there are candidates; `rowid` when it is archived already: an edited article is not a repeat
    of itself): that of the archived article it nearly repeats, else a new story of its own. `stem(title, body)`
    gives a candidate's words; `maybe_archived`, the keys another process's filter may hold (`filtered_elsewhere`)."""
    index = _index_of(conn)
    if maybe_archived is not None and _filtered_since.get(id(conn)) == index.version:
        found = index.articles_among(maybe_archived)
    else:
        found = index.articles_with(keys)
    if not found:  # most articles
        return Placement(url, keys)
    # Counted here: the same query with GROUP BY and ORDER BY in SQL took three times as long.
    shared = Counter(found)
    shared.pop((rowid,), None)
    own_set: set[str] | None = None
    for (candidate,) in sorted(shared, key=lambda article: (-shared[article], article))[:MAX_CANDIDATES]:
        row = conn.execute("SELECT story_id, title, body, published_date FROM articles WHERE rowid = ?",
                           (candidate,)).fetchone()
        if row is None:
            continue
        story_id, title, body, published = row
        own_set = set(shingles(words())) if own_set is None else own_set
        overlap = jaccard(own_set, _text_shingles(title, body, stem))
        if overlap >= SAME_TEXT_JACCARD or (
                overlap >= MIN_JACCARD and _days_apart(published, published_date) <= MAX_DAYS_APART):
            return Placement(story_id, keys)
    return Placement(url, keys)


def record_bands(conn: sqlite3.Connection, rowid: int, placement: Placement) -> None:
    """Remember an article's bands (inside `batch`: written when it ends)."""
    if placement.new_bands:
        index = _band_indexes.get(id(conn))
        if index is not None and index.batched:
            index.hold(rowid, placement.new_bands)
            return
        _insert_bands(conn, [value for key in placement.new_bands for value in (key, rowid)])
        if index is not None:
            index.recorded(placement.new_bands)
