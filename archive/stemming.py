"""Indonesian stemming for the shadow search index: Sastrawi with a tuned dictionary and a word cache.

Text and queries go through the same `stem_words`, so `penandatanganan`, `menandatangani` and `ditandatangani`
all become `tandatangan`, and `kerja sama` / `kerjasama` / `bekerja sama` all become `kerjasama`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import metadata

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

# Letters and digits, like FTS5's unicode61 tokenizer: every other character separates words.
WORD_RE = re.compile(r"[^\W_]+")

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


@lru_cache(maxsize=500_000)
def stem_word(word: str) -> str:
    """The stem of one lower-case word (cached: a language has few distinct words, a corpus many repeats)."""
    if len(word) < MIN_STEM_LENGTH or not word.isalpha():
        return word
    return _stemmer().stem_word(word)


def stem_text(text: str | None) -> str:
    """`text` as space-separated stems with two-word compounds joined: the form `articles_stem_fts` stores."""
    stems = " ".join(map(stem_word, WORD_RE.findall((text or "").lower())))
    return _COMPOUND_RE.sub(lambda match: COMPOUNDS[match.group()], stems)


def stem_words(text: str) -> list[str]:
    """The stems of the words of `text`, in order, with two-word compounds joined."""
    return stem_text(text).split()
