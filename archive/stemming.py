"""Indonesian stemming for the shadow search index: Sastrawi with a tuned dictionary and a word cache.

Text and queries go through the same `stem_words`, so `penandatanganan`, `menandatangani` and `ditandatangani`
all become `tandatangan`, and `kerja sama` / `kerjasama` / `bekerja sama` all become `kerjasama`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from itertools import islice

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

# Letters and digits, like FTS5's unicode61 tokenizer: every other character separates words.
WORD_RE = re.compile(r"[^\W_]+")
# The same for ASCII text, as a byte table: letters lowered, digits kept, everything else a space. Five times faster
# than the regex, and ASCII is most of what schools write.
_ASCII_WORDS = bytes(
    ord(char.lower()) if char.isascii() and char.isalnum() else ord(" ") for char in map(chr, range(256))
)
# Non-ASCII punctuation common in Indonesian news (curly quotes in `Jum’at`, dashes, ellipsis, no-break space):
# separators to WORD_RE, so replacing them with spaces often leaves ASCII text for the fast path.
_COMMON_SEPARATORS = ("\u2019", "\u201c", "\u201d", "\u2018", "\u2013", "\u2014", "\u2026", "\xa0")

# Changes to Sastrawi's root-word list. `unjung` (archaic) makes `mengunjungi` stem apart from `kunjungan`;
# `tandatangan` is missing, so the whole `penandatanganan` family stayed unstemmed.
EXTRA_ROOTS = frozenset({"tandatangan"})
REMOVED_ROOTS = frozenset({"unjung"})

# Closed compounds written as one or two words; after stemming, the pair is indexed as one token.
COMPOUNDS = {"tanda tangan": "tandatangan", "kerja sama": "kerjasama"}
_COMPOUND_RE = re.compile(r"\b(?:" + "|".join(COMPOUNDS) + r")\b")

# Bump when the changes above change: archives rebuild their stemmed index on open when this differs.
WARTA_STEM_RULES = 1

# Words this short or containing digits are kept as they are: stemming them only causes collisions.
MIN_STEM_LENGTH = 4


@lru_cache(maxsize=1)
def stemmer_version() -> str:
    """Which stemmer an index was built with: the Sastrawi release and warta's own rules."""
    return f"PySastrawi {metadata.version('PySastrawi')}, warta rules {WARTA_STEM_RULES}"


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer:
    roots = (set(StemmerFactory().get_words()) | EXTRA_ROOTS) - REMOVED_ROOTS
    return Stemmer(ArrayDictionary(roots))


# Distinct words remembered; a language has few, a corpus many repeats. Past this the cache starts again.
STEM_CACHE_SIZE = 500_000


class _StemCache(dict[str, str]):
    """word -> stem, filled on first use. A plain dict: a hit costs a C lookup, where `lru_cache` cost five times
    that, which mattered at a few hundred words per article."""

    def __missing__(self, word: str) -> str:
        if len(self) >= STEM_CACHE_SIZE:
            self.clear()
        stem = self[word] = word if len(word) < MIN_STEM_LENGTH or not word.isalpha() else _stemmer().stem_word(word)
        return stem


_STEMS = _StemCache()


def stems_known() -> int:
    """How many stems the cache holds: the mark to give `learned_stems` later."""
    return len(_STEMS)


def learned_stems(since: int) -> tuple[int, list[tuple[str, str]]]:
    """How many stems the cache holds, and the (word, stem) pairs it learned after it held `since` (all it holds
    when it started again and holds fewer): what this process stemmed, for another to `learn_stems`. Only a
    cache: a pair missed costs the other process a stemming, never a different stem."""
    size = len(_STEMS)
    return size, list(islice(reversed(_STEMS.items()), size - since if size >= since else size))


def learn_stems(pairs: Iterable[tuple[str, str]]) -> None:
    """Take stems another process made (`learned_stems`), so this one need not stem those words again."""
    if len(_STEMS) >= STEM_CACHE_SIZE:
        _STEMS.clear()
    _STEMS.update(pairs)


def stem_word(word: str) -> str:
    """The stem of one lower-case word."""
    return _STEMS[word]


def words_of(text: str) -> list[str]:
    """The lower-case words of `text`, exactly `WORD_RE.findall(text.lower())`, fast for (nearly) ASCII text."""
    if not text.isascii():
        plain = text
        for separator in _COMMON_SEPARATORS:
            plain = plain.replace(separator, " ")
        if not plain.isascii():
            return WORD_RE.findall(text.lower())
        text = plain
    return text.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split()


def stem_text(text: str | None) -> str:
    """`text` as space-separated stems with two-word compounds joined: the form `articles_stem_fts` stores."""
    stems = " ".join(map(_STEMS.__getitem__, words_of(text or "")))
    if any(compound in stems for compound in COMPOUNDS):
        return _COMPOUND_RE.sub(lambda match: COMPOUNDS[match.group()], stems)
    return stems


def stem_words(text: str) -> list[str]:
    """The stems of the words of `text`, in order, with two-word compounds joined."""
    return stem_text(text).split()
