"""Stories: articles that report one story in (nearly) the same words share a `story_id` (DESIGN §14).

An article's text (stemmed title and body) is cut into overlapping `SHINGLE_WORDS`-word shingles; its MinHash
signature is datasketch's `affine32` MinHash of those shingles (`NUM_PERM` permutations with seed `SEED`), computed
in one vectorised step (tests check it equals datasketch's own). The signature is cut into `BANDS` bands;
`story_bands` maps each band of each story's first article to that article, so a new article finds the stories it
may belong to with one indexed lookup, whatever the archive's size (LSH). A candidate is accepted only if the
shingles of the two texts really overlap (Jaccard ≥ `MIN_JACCARD`) and, when both are dated, they were published
within `MAX_DAYS_APART` days: a school's yearly announcement in the same template ("Info PPDB 2024/2025", "Info PPDB
2025/2026") is a new story each year. Texts that are all but identical (Jaccard ≥ `SAME_TEXT_JACCARD`: a post re-
published later under a new URL) are one story whatever their dates. A story's id is its first article's URL; an
article that joins no story starts its own. Shared boilerplate (a footer, a school profile) is a small part of each
text's shingles, so articles sharing only that stay apart.
"""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
from datasketch import MinHash

# Bump when anything below changes the grouping: archives then regroup every article on open.
RULES_VERSION = 1

NUM_PERM = 32
BANDS = 8
ROWS_PER_BAND = NUM_PERM // BANDS
SEED = 20_260_101
SHINGLE_WORDS = 4
MIN_JACCARD = 0.5
MAX_DAYS_APART = 60
SAME_TEXT_JACCARD = 0.9

# Odd multipliers that mix the shingle's words (order matters: "a b c d" is not "d c b a").
_MIXERS = tuple(np.uint32(value) for value in (0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D))
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_WORD_HASH_CACHE_SIZE = 500_000


class _WordHashes(dict[str, int]):
    """word -> a stable 32-bit hash (CRC-32 of its UTF-8), remembered: most words of a text were seen before."""

    def __missing__(self, word: str) -> int:
        if len(self) >= _WORD_HASH_CACHE_SIZE:
            self.clear()
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


_WORD_HASHES = _WordHashes()


@lru_cache(maxsize=1)
def permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's permutation parameters (a, b) for `NUM_PERM` and `SEED`."""
    return MinHash(num_perm=NUM_PERM, seed=SEED).permutations


def shingles(stemmed: str) -> np.ndarray:
    """The 32-bit hashes of the text's overlapping word shingles (the whole text when it is shorter)."""
    hashes = np.fromiter(map(_WORD_HASHES.__getitem__, stemmed.split()), dtype=np.uint32)
    if len(hashes) < SHINGLE_WORDS:
        return hashes[:0] if not len(hashes) else np.array([np.bitwise_xor.reduce(hashes * _MIXERS[0])])
    count = len(hashes) - SHINGLE_WORDS + 1
    mixed = hashes[SHINGLE_WORDS - 1:].copy()
    for offset, mixer in enumerate(_MIXERS):
        mixed ^= hashes[offset:offset + count] * mixer
    return mixed


def signature(hashes: np.ndarray) -> np.ndarray:
    """The MinHash signature of shingle hashes: datasketch's `affine32` scheme (MurmurHash3 finalizer, then
    `a * h + b` modulo 2**32, minimum per permutation)."""
    a, b = permutations()
    if not len(hashes):
        return np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    shift1, multiplier1, shift2, multiplier2, shift3 = _FMIX
    mixed = hashes ^ (hashes >> shift1)
    mixed = mixed * multiplier1
    mixed ^= mixed >> shift2
    mixed = mixed * multiplier2
    mixed ^= mixed >> shift3
    return (mixed[:, None] * a + b).min(axis=0)


def band_keys(values: np.ndarray) -> list[int]:
    """One 63-bit key per band of a signature (the band's number is part of it)."""
    raw = values.astype("<u4").tobytes()
    width = ROWS_PER_BAND * 4
    return [
        int.from_bytes(hashlib.blake2b(bytes([band]) + raw[band * width:(band + 1) * width], digest_size=8).digest(),
                       "big") >> 1
        for band in range(BANDS)
    ]


def jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """The overlap of two texts' shingle sets."""
    one, two = set(first.tolist()), set(second.tolist())
    return len(one & two) / len(one | two) if one or two else 0.0


def _days_apart(first: str | None, second: str | None) -> int:
    if not first or not second:
        return 0
    return abs((date.fromisoformat(first[:10]) - date.fromisoformat(second[:10])).days)


@dataclass(frozen=True)
class Placement:
    """Where an article goes: its `story_id`, and the band keys to record when it starts a new story."""

    story_id: str
    new_bands: tuple[int, ...]


def place(conn: sqlite3.Connection, *, url: str, rowid: int | None, published_date: str | None,
          stemmed_text: str, stem: Callable[[str, str], str]) -> Placement:
    """The story of an article with this stemmed title and body (`stemmed_text`): the earliest archived story
    whose first article it nearly repeats, else a new story of its own. `stem(title, body)` stems a candidate's
    text the same way."""
    hashes = shingles(stemmed_text)
    keys = band_keys(signature(hashes))
    marks = ",".join("?" * len(keys))
    candidates = conn.execute(
        f"SELECT DISTINCT article FROM story_bands WHERE band IN ({marks}) ORDER BY article", keys).fetchall()
    for (candidate,) in candidates:
        if candidate == rowid:
            return Placement(url, ())
        found = conn.execute("SELECT story_id, title, body, published_date FROM articles WHERE rowid = ?",
                             (candidate,)).fetchone()
        if found is None:
            continue
        story_id, title, body, published = found
        overlap = jaccard(hashes, shingles(stem(title, body)))
        if overlap >= SAME_TEXT_JACCARD or (
                overlap >= MIN_JACCARD and _days_apart(published, published_date) <= MAX_DAYS_APART):
            return Placement(story_id, ())
    return Placement(url, tuple(keys))


def record_bands(conn: sqlite3.Connection, rowid: int, placement: Placement) -> None:
    """Remember a new story's bands (the first article of a band keeps it)."""
    if placement.new_bands:
        conn.executemany("INSERT OR IGNORE INTO story_bands (band, article) VALUES (?, ?)",
                         [(key, rowid) for key in placement.new_bands])
