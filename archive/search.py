"""Full-text search over the archive: a small, forgiving query language compiled to FTS5.

Query syntax: words (all must match), `"exact phrases"`, `prefix*`, and the operators `OR`, `NOT`, `AND`
(upper case). Any other punctuation separates words. By default words are matched by their Indonesian stem in
`articles_stem_fts`; with `stem=False`, as written in `articles_fts`.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from archive.errors import ArchiveUserError
from archive.filters import Filters
from archive.records import STORED_LIST_FIELDS
from archive.stemming import WORD_RE, stem_word, stem_words
from archive.store import iter_rows

OPERATORS = ("AND", "OR", "NOT")
_CHUNK_RE = re.compile(r'"([^"]*)"|([^\s"]+)')
SNIPPET_WORDS_BEFORE = 8
SNIPPET_WORDS_AFTER = 22
RANK_WINDOW = 10_000


@dataclass(frozen=True)
class Term:
    """A word or phrase of the query; `prefix` means its last word is a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


def parse_query(query: str) -> list[Term | str]:
    """The query as terms and operator strings; malformed input raises `ArchiveUserError` in one line."""
    if query.count('"') % 2:
        raise ArchiveUserError(f"search query {query!r}: unbalanced double quote")
    items: list[Term | str] = []
    for match in _CHUNK_RE.finditer(query):
        phrase, chunk = match.groups()
        if chunk in OPERATORS:
            items.append(chunk)
            continue
        text = phrase if phrase is not None else chunk
        prefix = phrase is None and text.endswith("*")
        words = tuple(word.lower() for word in WORD_RE.findall(text))
        if prefix and not WORD_RE.search(text.rstrip("*")):
            raise ArchiveUserError(f"search query {query!r}: '*' must follow a word prefix, e.g. lomb*")
        if words:
            items.append(Term(words, prefix))
    if not any(isinstance(item, Term) for item in items):
        raise ArchiveUserError(f"search query {query!r}: no words to search for")
    for position, item in enumerate(items):
        if isinstance(item, str):
            before = items[position - 1] if position else None
            after = items[position + 1] if position + 1 < len(items) else None
            if not isinstance(before, Term) or not isinstance(after, Term):
                raise ArchiveUserError(f"search query {query!r}: {item} needs a word on each side")
    return items


def _quoted(words: list[str] | tuple[str, ...], prefix: bool) -> str:
    return '"' + " ".join(words) + '"' + ("*" if prefix else "")


def join_compounds(items: list[Term | str]) -> list[Term | str]:
    """`items` with two adjacent plain words that form a closed compound (`tanda tangan`) as one phrase.

    The stemmed index stores such a pair as one token (`tandatangan`), so searched as two separate words
    it would find only texts where they stand apart.
    """
    joined: list[Term | str] = []
    for item in items:
        before = joined[-1] if joined else None
        if (isinstance(item, Term) and isinstance(before, Term) and not before.prefix and not item.prefix
                and len(stem_words(f"{before.words[-1]} {item.words[0]}")) == 1):
            joined[-1] = Term((*before.words, *item.words), item.prefix)
        else:
            joined.append(item)
    return joined


def to_fts(items: list[Term | str], *, stem: bool) -> str:
    """The FTS5 MATCH expression for parsed query items (stemmed the same way as the indexed text)."""
    if stem:
        items = join_compounds(items)
    parts: list[str] = []
    for position, item in enumerate(items):
        if isinstance(item, str):
            parts.append(item)
            continue
        if position and isinstance(items[position - 1], Term):
            parts.append("AND")  # FTS5 does not AND a phrase and a (group) implicitly
        if not stem:
            parts.append(_quoted(item.words, item.prefix))
        elif item.prefix:
            # A prefix is matched as typed and by its stem: `pelatih*` finds the stem `latih`.
            head = stem_words(" ".join(item.words[:-1]))
            typed, stemmed = _quoted([*head, item.words[-1]], True), _quoted([*head, stem_word(item.words[-1])], True)
            parts.append(typed if typed == stemmed else f"({typed} OR {stemmed})")
        else:
            parts.append(_quoted(stem_words(" ".join(item.words)), False))
    return " ".join(parts)


def _word_matcher(items: list[Term | str], *, stem: bool) -> Callable[[str], bool]:
    """Whether a lower-case word of the text is one the query looked for (for highlighting snippets)."""
    terms = [item for item in items if isinstance(item, Term)]
    exact = {word for term in terms for word in term.words}
    prefixes = tuple(term.words[-1] for term in terms if term.prefix)
    stems = {stem_word(word) for word in exact} if stem else set()
    stem_prefixes = tuple(stem_word(prefix) for prefix in prefixes) if stem else ()
    # Affixes keep a stem's letters after the first (meng+kunjung -> mengunjungi): a word without them cannot
    # have that stem, which spares stemming most words of a text the cache has not seen.
    cores = {target[1:] for target in (*stems, *stem_prefixes)}
    may_have_stem = re.compile("|".join(map(re.escape, sorted(cores)))).search if stem and cores else None

    def matches(word: str) -> bool:
        if word in exact or word.startswith(prefixes):
            return True
        if may_have_stem is None or not may_have_stem(word):
            return False
        stemmed = stem_word(word)
        return stemmed in stems or stemmed.startswith(stem_prefixes or ("\0",))

    return matches


def make_snippet(text: str, matches: Callable[[str], bool]) -> str:
    """A few words of `text` around its first matching word, matching words in [brackets]."""
    words = list(WORD_RE.finditer(text))
    if not words:
        return ""
    first = next((index for index, word in enumerate(words) if matches(word.group().lower())), 0)
    start, end = max(0, first - SNIPPET_WORDS_BEFORE), min(len(words), first + SNIPPET_WORDS_AFTER)
    hits = {index for index in range(start, end) if matches(words[index].group().lower())}
    pieces, cursor = [], words[start].start()
    for index in range(start, end):
        word = words[index]
        pieces.append(text[cursor:word.start()])
        pieces.append(f"[{word.group()}]" if index in hits else word.group())
        cursor = word.end()
    snippet = " ".join("".join(pieces).split())
    return ("… " if start else "") + snippet + (" …" if end < len(words) else "")


def search(
    db: sqlite_utils.Database,
    query: str,
    *,
    site: str | None = None,
    category: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 20,
    stem: bool = True,
    topics: tuple[str, ...] = (),
    collapse_stories: bool = False,
    **school: str | None,
) -> list[dict[str, Any]]:
    """Articles matching `query`, best first (bm25, title weighted above body), with exact filters.

    When more than `RANK_WINDOW` articles match, the most recently archived `RANK_WINDOW` of them are ranked.
    Each result has the Article fields (lists decoded), `published_date`, `region`, `rank` and `snippet`.
    `topics` keeps articles about any of them; `collapse_stories` keeps the best match of each story only.
    `school` takes the identity filters of `Filters` (level, ownership, province, regency).
    A malformed query or filter raises `ArchiveUserError`.
    """
    filters = Filters(site=site, category=category, since=since, until=until, topics=topics, **school)
    if limit < 1:
        raise ArchiveUserError(f"--limit: must be at least 1, got {limit}")
    items = parse_query(query)
    fts_table = "articles_stem_fts" if stem else "articles_fts"
    clauses, params = filters.where("articles")
    join = f" JOIN articles ON articles.rowid = {fts_table}.rowid" if clauses or collapse_stories else ""
    # bm25 costs about a microsecond per matching article, so a word in half of a million articles would take
    # half a second: rank the RANK_WINDOW most recently archived matches (every match, for most queries).
    story = ", coalesce(articles.story_id, articles.url) AS story" if collapse_stories else ""
    candidates = (
        f"SELECT {fts_table}.rowid AS rowid, bm25({fts_table}, 5.0, 1.0) AS rank{story} FROM {fts_table}{join}"
        f" WHERE {fts_table} MATCH ?{''.join(' AND ' + clause for clause in clauses)}"
        f" ORDER BY {fts_table}.rowid DESC LIMIT {RANK_WINDOW}"
    )
    if collapse_stories:  # the best-ranked article of each story stands for it
        candidates = (f"SELECT rowid, rank FROM (SELECT rowid, rank, row_number() OVER (PARTITION BY story"
                      f" ORDER BY rank, rowid) AS place FROM ({candidates})) WHERE place = 1")
    # Keep the best `limit` before reading article rows: joining every candidate first read thousands of bodies.
    sql = (f"SELECT articles.*, best.rank FROM (SELECT rowid, rank FROM ({candidates}) ORDER BY rank LIMIT ?) AS best"
           " JOIN articles ON articles.rowid = best.rowid ORDER BY best.rank")
    try:
        results = list(iter_rows(db, sql, [to_fts(items, stem=stem), *params, limit]))
    except sqlite3.OperationalError as exc:
        raise ArchiveUserError(f"search query {query!r}: {exc}") from None
    matches = _word_matcher(items, stem=stem)
    for row in results:
        for name in STORED_LIST_FIELDS:
            row[name] = json.loads(row[name])
        row["snippet"] = make_snippet(row["body"], matches)
    return results
