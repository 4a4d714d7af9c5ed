"""Every facet of one page counted from one read of its rows.

Datasette runs one query per facet, and each reads the result's rows again: for a search, the matches are found
and every matching row of the table is read once per facet (eleven times for the articles table), which is what
the time goes on. Here the rows' facet columns are read once and counted in Python, in the same order Datasette's
queries sort them (most frequent first, then by value, numbers before text), so the facets show the same.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from datasette.database import Results
from datasette.utils import escape_sqlite, sqlite_timelimit

Counts = dict[str, Counter[Any]]


@dataclass
class FacetPass:
    """The facet columns (`column` → `"column"` or `"array"`) of one page's rows (`sql` with `params`)."""

    datasette: Any
    database: str
    sql: str
    params: Any
    columns: dict[str, str]
    time_limit_ms: int
    counting: asyncio.Task[Counts | None] | None = field(default=None, repr=False)

    async def answer(self, facet_type: str, facet_sql: str) -> Results | None:
        """The rows Datasette's facet query `facet_sql` would return, or None when this pass cannot say (a column
        it does not read, or the read ran out of time): then the query itself runs."""
        column = self._column_of(facet_type, facet_sql)
        if column is None:
            return None
        if self.counting is None:
            self.counting = asyncio.get_running_loop().create_task(self._count())
        counts = await self.counting
        if counts is None:
            return None
        limit = int(facet_sql.rsplit("limit", 1)[1])
        ordered = sorted(counts[column].items(), key=lambda item: (-item[1], *_sqlite_order(item[0])))
        return Results([{"value": value, "count": count} for value, count in ordered[:limit]], False,
                       [("value",), ("count",)])

    def _column_of(self, facet_type: str, facet_sql: str) -> str | None:
        for column, kind in self.columns.items():
            name = escape_sqlite(column)
            if kind != facet_type:
                continue
            if kind == "column" and facet_sql.lstrip().startswith(f"select {name} as value,"):
                return column
            if kind == "array" and f"json_each([inner].{name})" in facet_sql:
                return column
        return None

    async def _count(self) -> Counts | None:
        names = ", ".join(escape_sqlite(column) for column in self.columns)
        page_sql = self.sql  # Datasette's own query of the table page, its values as parameters
        query = f"select {names} from ({page_sql})"

        def read(conn: sqlite3.Connection) -> Counts | None:
            try:
                with sqlite_timelimit(conn, self.time_limit_ms):
                    rows = conn.execute(query, self.params or []).fetchall()
            except sqlite3.Error:  # out of time, or a column the table does not have
                return None
            return count_rows(list(self.columns.values()), list(self.columns), rows)

        return await self.datasette.get_database(self.database).execute_fn(read)


def count_rows(kinds: list[str], columns: list[str], rows: list[Any]) -> Counts:
    """Per column, how many rows have each value; for an array column (JSON), each value of the array, once a
    row (values that are not JSON are left out)."""
    counts: Counts = {column: Counter() for column in columns}
    for row in rows:
        for column, kind, value in zip(columns, kinds, row, strict=True):
            if value is None:
                continue
            if kind == "column":
                counts[column][value] += 1
            else:
                counts[column].update(_array_values(value))
    return counts


def _array_values(text: Any) -> set[Any]:
    try:
        found = json.loads(text)
    except (TypeError, ValueError):
        return set()
    items = found if isinstance(found, list) else [found]
    return {_as_sqlite_value(item) for item in items}


def _as_sqlite_value(item: Any) -> Any:
    """A JSON value as SQLite's json_each gives it: true/false as 1/0, arrays and objects as JSON text."""
    if isinstance(item, bool):
        return int(item)
    if isinstance(item, list | dict):
        return json.dumps(item, separators=(",", ":"), ensure_ascii=False)
    return item


def _sqlite_order(value: Any) -> tuple[int, Any]:
    """SQLite's order of values of mixed types: NULL, numbers, text, blobs."""
    if value is None:
        return (0, 0)
    if isinstance(value, int | float):
        return (1, value)
    if isinstance(value, str):
        return (2, value)
    return (3, bytes(value))
