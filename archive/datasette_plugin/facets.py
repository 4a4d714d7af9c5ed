"""Facets that keep the articles pages under a second on a 1,000,000-article archive.

Datasette counts each facet with its own query over the whole result, one after another, each up to
`facet_time_limit_ms`: eleven facets over a search matching a quarter of the archive took over 3 s. warta's facets
are Datasette's own (same links, same JSON, same counts), counted one of three ways:

- a result of up to `FACET_ROW_LIMIT` rows is counted live from one read of its rows (facet_pass.py), all facets
  of the page together within `FACET_BUDGET_MS` (a facet left over is listed as timed out, as Datasette does);
- the whole table, when larger, is counted once in the background (its own connection and thread, at a lower
  priority, so visitors' queries keep Datasette's threads and the processor) and served from memory; a live
  archive is recounted when its file has changed, at most every `RECOUNT_AFTER_S`, showing the previous counts
  meanwhile;
- any other larger result shows no counts but a note saying how to get them (narrow the search).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.database import QueryInterrupted, Results
from datasette.facets import ArrayFacet, ColumnFacet, load_facet_configs
from datasette.utils import escape_sqlite

from archive.datasette_plugin.facet_pass import FacetPass

FACET_ROW_LIMIT = 20_000
FACET_BUDGET_MS = 350
RECOUNT_AFTER_S = 300.0
BACKGROUND_NICE = 10
# Where a page's facet state is left for its template (the note above the facets).
NOTE_KEY = "warta_facet_note"


@hookimpl(hookwrapper=True)
def register_facet_classes() -> Any:
    outcome = yield
    replacements = {ColumnFacet: BoundedColumnFacet, ArrayFacet: BoundedArrayFacet}
    outcome.force_result([[replacements.get(klass, klass) for klass in classes] for classes in outcome.get_result()])


def facet_note(request: Any) -> str | None:
    """What the page should say about its facets (skipped, being counted, counted earlier), if anything."""
    return request.scope.get(NOTE_KEY)


class _BoundedFacet:
    """Mixin over Datasette's facet classes: decides how the facets of this page are counted (module docstring)."""

    ds: Any
    request: Any
    database: str
    sql: str
    params: Any
    row_count: int | None

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        if not self.get_configs():  # type: ignore[attr-defined]
            return [], []
        datasette = self.ds
        if self.row_count is not None and self.row_count <= FACET_ROW_LIMIT:
            run = _page_budget(self).runner(self.type)  # type: ignore[attr-defined]
        elif self.row_count is not None and _is_whole_table(self.sql, self.params):
            run = _counter(datasette, self.database).run_for(self.request, self.table)
        else:
            self.request.scope[NOTE_KEY] = (
                f"Facets are counted for results of up to {FACET_ROW_LIMIT:,} rows: narrow the search "
                "(a school, a year, more words) to see them.")
            return [], []
        self.ds = _Queries(datasette, run)
        try:
            return await super().facet_results()  # type: ignore[misc]
        finally:
            self.ds = datasette


class BoundedColumnFacet(_BoundedFacet, ColumnFacet):
    """Datasette's column facet, counted as the module docstring says."""


class BoundedArrayFacet(_BoundedFacet, ArrayFacet):
    """Datasette's array facet (JSON arrays such as categories), counted as the module docstring says."""


def _is_whole_table(sql: str, params: Any) -> bool:
    # Datasette's query for a table page without filters or search: `select <columns> from <table> `.
    return not params and " where " not in sql.lower()


def _lower_priority() -> None:
    """Give other threads the processor first (Linux: a thread's nice value is its own). Not the lowest
    priority: at nice 19 on a busy 2-core machine the counts had a second of processor time in five minutes."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not allowed: normal priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)


def _in_background(count: Callable[[str], Results], sql: str) -> asyncio.Future[Results]:
    """`count(sql)` in a thread of its own at a lower priority (visitors' queries go first), a daemon so that
    stopping the server does not wait for a count of a million rows."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Results] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        with contextlib.suppress(RuntimeError):  # the server stopped meanwhile: nobody waits for the count
            loop.call_soon_threadsafe(lambda: future.done() or outcome())

    def work() -> None:
        _lower_priority()
        try:
            found = count(sql)
        except sqlite3.Error as exc:
            settle(lambda error=exc: future.set_exception(error))
        else:
            settle(lambda: future.set_result(found))

    threading.Thread(target=work, name="warta-facets", daemon=True).start()
    return future


Runner = Callable[[str, str, Any, dict[str, Any]], Any]


class _Queries:
    """The Datasette instance as a facet sees it, with its queries sent to `run`."""

    def __init__(self, datasette: Any, run: Runner) -> None:
        self._datasette = datasette
        self._run = run

    def __getattr__(self, name: str) -> Any:
        return getattr(self._datasette, name)

    async def execute(self, database: str, sql: str, params: Any = None, **options: Any) -> Results:
        return await self._run(database, sql, params, options)


@dataclass
class _PageBudget:
    """One time limit shared by every facet query of one page, and one read of its rows for all of them."""

    datasette: Any
    rows: FacetPass
    deadline: float = 0.0

    def runner(self, facet_type: str) -> Runner:
        async def run(database: str, sql: str, params: Any, options: dict[str, Any]) -> Results:
            if not self.deadline:
                self.deadline = time.monotonic() + FACET_BUDGET_MS / 1000
            if (counted := await self.rows.answer(facet_type, sql)) is not None:
                return counted
            left_ms = int((self.deadline - time.monotonic()) * 1000)
            if left_ms <= 0:
                raise QueryInterrupted(None, sql, params)
            limit = min(left_ms, options.pop("custom_time_limit", None) or left_ms)
            return await self.datasette.execute(database, sql, params, custom_time_limit=limit, **options)

        return run


def _page_budget(facet: Any) -> _PageBudget:
    """The budget of `facet`'s page, made by the first of its facets to count."""
    budget = facet.request.scope.get("warta_facet_budget")
    if budget is None:
        configs = load_facet_configs(facet.request, facet.metadata)
        columns = {config["config"].get("column") or config["config"]["simple"]: kind
                   for kind in ("column", "array") for config in configs.get(kind, [])}
        rows = FacetPass(facet.ds, facet.database, facet.sql, facet.params, columns, FACET_BUDGET_MS)
        budget = facet.request.scope["warta_facet_budget"] = _PageBudget(facet.ds, rows)
    return budget


@dataclass
class _Counted:
    results: Results
    version: tuple[int, ...]
    at: float


@dataclass
class WholeTableCounter:
    """Facet counts of whole tables of one database, counted in the background and kept in memory."""

    path: str
    immutable: bool
    counted: dict[str, _Counted] = field(default_factory=dict)
    # Datasette's facet query → the query that counts the same, in the order they were asked for.
    waiting: dict[str, str] = field(default_factory=dict)
    worker: asyncio.Task[None] | None = None

    def run_for(self, request: Any, table: str) -> Runner:
        """The facet query runner of a whole-table page: counts from memory, leaving a note while counting."""
        async def run(database: str, sql: str, params: Any, options: dict[str, Any]) -> Results:
            found = self.counted.get(sql)
            version = self.version()
            if found is None or (found.version != version and time.time() - found.at > RECOUNT_AFTER_S):
                self.recount(sql, whole_table_array_query(sql, table) or sql)
            if found is None:
                request.scope[NOTE_KEY] = ("The facets of the whole table are being counted: "
                                           "reload the page in a moment to see them.")
                raise QueryInterrupted(None, sql, params)
            if found.version != version:
                request.scope[NOTE_KEY] = (
                    "Facet counts of the whole table as of " + time.strftime("%H:%M UTC", time.gmtime(found.at))
                    + "; the archive has changed since and they are recounted every few minutes.")
            return found.results

        return run

    def version(self) -> tuple[int, ...]:
        """What changes when the archive does: size and time of the file and of its write-ahead log."""
        if self.immutable:
            return ()
        stamps: list[int] = []
        for path in (self.path, self.path + "-wal"):
            try:
                stat = os.stat(path)
            except FileNotFoundError:
                continue
            stamps += [stat.st_size, stat.st_mtime_ns]
        return tuple(stamps)

    def recount(self, sql: str, query: str) -> None:
        """Queue the facet query `sql` (of a whole table: no parameters), counted by `query`, for the one
        background worker, once."""
        self.waiting.setdefault(sql, query)
        if self.worker is None or self.worker.done():
            self.worker = asyncio.get_running_loop().create_task(self._work())

    async def _work(self) -> None:
        while self.waiting:
            sql, query = next(iter(self.waiting.items()))
            version, started = self.version(), time.time()
            try:
                results = await _in_background(self._count, query)
            except sqlite3.Error:  # e.g. a value that is not JSON in an array column: no counts, as Datasette
                results = Results([], False, [("value",), ("count",)])
            self.counted[sql] = _Counted(results, version, started)
            del self.waiting[sql]

    def _count(self, sql: str) -> Results:
        mode = "ro&immutable=1" if self.immutable else "ro"
        conn = sqlite3.connect(f"{Path(self.path).resolve().as_uri()}?mode={mode}", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            cursor = conn.execute(sql)
            return Results(cursor.fetchall(), False, cursor.description)
        finally:
            conn.close()


ARRAY_FACET = re.compile(r"json_each\(\[inner\]\.(?P<column>.+?)\) j\b.*\blimit (?P<limit>\d+)\s*$", re.DOTALL)


def whole_table_array_query(sql: str, table: str) -> str | None:
    """For Datasette's array facet query of a whole table, the query counting the same from the array column
    alone (from its index where it has one: 7 s on a busy machine), or None for other queries. Datasette's
    keeps each value with its whole row (`select distinct j.value, inner.*`) to count a value once a row: at
    1,000,000 articles that sorts every body, tens of gigabytes read; the row's rowid does the same."""
    found = ARRAY_FACET.search(sql)
    if not found:
        return None
    column, name = found["column"], escape_sqlite(table)
    return (f"select j.value as value, count(distinct {name}.rowid) as count from {name}, "
            f"json_each({name}.{column}) j group by j.value order by count desc, value limit {found['limit']}")


async def warm_whole_table_facets(datasette: Any, database: Any) -> None:
    """Start counting the facets of the articles table of `database` in the background when it is over the live
    limit, so the first visitor finds them counted: by a request of the page, whose facet queries are the ones
    to answer (one row: the page itself is not needed)."""
    if "articles" not in await database.table_names():
        return
    found = await database.execute("select count(*) from (select 1 from articles limit ?)", [FACET_ROW_LIMIT + 1])
    if found.rows[0][0] > FACET_ROW_LIMIT:
        path = datasette.urls.table(database.name, "articles") + ".json?_size=1"
        _warming(datasette).append(asyncio.get_running_loop().create_task(datasette.client.get(path)))


async def whole_table_facets_counted(datasette: Any) -> None:
    """Wait until the background counts of whole tables started so far are done (a waiter given up on, e.g. by
    a timeout, leaves them running)."""
    for warming in _warming(datasette):
        await asyncio.shield(warming)
    for counter in datasette.__dict__.get("_warta_whole_table_counters", {}).values():
        while counter.worker and not counter.worker.done():
            await asyncio.shield(counter.worker)


def _warming(datasette: Any) -> list[asyncio.Task[Any]]:
    return datasette.__dict__.setdefault("_warta_warming", [])


def _counter(datasette: Any, database: str) -> WholeTableCounter:
    counters = datasette.__dict__.setdefault("_warta_whole_table_counters", {})
    if database not in counters:
        db = datasette.get_database(database)
        counters[database] = WholeTableCounter(db.path, not db.is_mutable)
    return counters[database]
