"""Table counts without the full-text indexes' own tables.

Datasette counts every table of a live (mutable) database on each visit of the database page, each count under a
5 ms limit. SQLite counts a table in one step that the limit cannot interrupt, and FTS5's data table holds the
whole index, one page-sized row per leaf: counting `articles_stem_fts_data` reads it all (0.3 s warm, 5 s cold at
1,000,000 articles). Those tables are hidden and their counts mean nothing to a reader, so they are left
uncounted (shown as when a count times out); every other table is counted as Datasette does.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from datasette.database import QueryInterrupted

FTS_SHADOW_TABLE = re.compile(r"_(?:data|idx|docsize|content|config)$")


async def counts_without_index_tables(database: Any, limit: int = 10) -> dict[str, int | None]:
    """`Database.table_counts` for `database`, with None for the FTS tables and their shadow tables."""
    if not database.is_mutable and database.cached_table_counts is not None:
        return database.cached_table_counts
    index_tables = set(await database.execute_fn(_fts_tables))
    counts: dict[str, int | None] = {}
    for table in await database.table_names():
        if table in index_tables:
            counts[table] = None
            continue
        try:
            result = await database.execute(f"select count(*) from [{table}]", custom_time_limit=limit)
            counts[table] = result.rows[0][0]
        except (QueryInterrupted, sqlite3.OperationalError, sqlite3.DatabaseError):
            counts[table] = None
    if not database.is_mutable:
        database._cached_table_counts = counts  # what Datasette's own method keeps for an immutable file
    return counts


def skip_index_counts(database: Any) -> None:
    """Make `database` count its tables without the FTS ones (an instance attribute: Datasette's class is kept)."""
    async def table_counts(limit: int = 10) -> dict[str, int | None]:
        return await counts_without_index_tables(database, limit)

    database.table_counts = table_counts


def _fts_tables(conn: sqlite3.Connection) -> list[str]:
    """The FTS virtual tables and the shadow tables FTS keeps for each."""
    virtual = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING FTS%'")]
    names = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return virtual + [name for name in names for fts in virtual
                      if name.startswith(f"{fts}_") and FTS_SHADOW_TABLE.search(name)]
