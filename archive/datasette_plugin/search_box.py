"""The articles table's search box on a large archive: the same rows and count as Datasette's, by faster plans.

Datasette filters a search with `rowid in (select rowid from <fts> where <fts> match …)`. SQLite then reads every
matching row to sort them and again to count them: for a word in a quarter of 1,000,000 articles that is two
passes over 229,000 rows of the 4.5 GB table (5 s each on a busy machine, past the time limit). So the queries
Datasette sends are rewritten on their way to SQLite, only when they have exactly Datasette's shape:

- the count of a search alone is the full-text index's own count (63 ms instead of 4 s): the index holds one
  entry per article, kept by the archive's writes;
- the page of a search sorted by an indexed date walks that index, newest first, and keeps the matches
  (`+rowid` stops SQLite driving the query from the matches) when the word matches more than
  `WALK_ABOVE_MATCHES` articles: a common word fills a page after a few hundred index entries (240 ms instead
  of 5 s), while a rare word is still read match by match.
"""

from __future__ import annotations

import re
from typing import Any

WALK_ABOVE_MATCHES = 2_000
# The columns with an index that starts with them (archive/db.py), by which a page can be walked in order.
INDEXED_SORTS = ("published", "published_date")

SEARCH_CLAUSE = re.compile(
    r"(?P<clause>rowid in \(select rowid from (?P<fts>\[?\w+\]?) where (?P=fts) match "
    r"(?P<query>escape_fts\(:search\)|:search)\))")
COUNT = re.compile(r"select count\(\*\) from (?P<table>\[?\w+\]?) where " + SEARCH_CLAUSE.pattern + r" ?")
PAGE = re.compile(
    r"select .+ from (?P<table>\[?\w+\]?) where (?:.+ and )?" + SEARCH_CLAUSE.pattern
    + r"(?: and .+)? order by \[?(?P<sort>\w+)\]?(?: desc)?(?:, .+)? limit \d+", re.DOTALL)


def search_counted_by_index(sql: str) -> str | None:
    """The full-text index's count for Datasette's count of a search alone, or None for any other query."""
    found = COUNT.fullmatch(sql)
    if not found:
        return None
    return f"select count(*) from {found['fts']} where {found['fts']} match {found['query']}"


def page_walked_by_index(sql: str) -> tuple[str, str] | None:
    """For Datasette's page of a search sorted by an indexed column: (the query walking that index, the count of
    the matches that decides whether to walk it); None for any other query."""
    found = PAGE.fullmatch(sql)
    if not found or found["sort"] not in INDEXED_SORTS:
        return None
    start = found.start("clause")
    walked = sql[:start] + "+" + sql[start:]
    return walked, f"select count(*) from {found['fts']} where {found['fts']} match {found['query']}"


def faster_search_plans(database: Any) -> None:
    """Make `database` send the search box's count and page to SQLite by the plans above (an instance attribute:
    Datasette's class and every other query are kept)."""
    execute = database.execute
    # The matches counted to choose a page's plan, kept for the count Datasette asks next for the same search.
    counted_for_page: dict[tuple[str, str], Any] = {}

    async def execute_faster(sql: str, params: Any = None, *args: Any, **options: Any) -> Any:
        if counted := search_counted_by_index(sql):
            if (found := counted_for_page.pop((counted, repr(params)), None)) is not None:
                return found
            return await execute(counted, params, *args, **options)
        if walk := page_walked_by_index(sql):
            walked, matches = walk
            counted_for_page.clear()
            found = counted_for_page[(matches, repr(params))] = await execute(matches, params)
            if found.rows[0][0] > WALK_ABOVE_MATCHES:
                return await execute(walked, params, *args, **options)
        return await execute(sql, params, *args, **options)

    database.execute = execute_faster
