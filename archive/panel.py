"""Panel data for statistics software: school × period × topic counts as one tidy CSV (`warta export --panel`).

One row per school (site), period (month `YYYY-MM` or year `YYYY`) and topic, with the school's identity (name,
NPSN, level, ownership, province, regency: from `sites`, else from its articles). `stories` counts the school's
stories on that topic in that period, a story told in several of its articles once; `articles` counts the
articles; `all_stories` counts the school's stories of that period on any topic or none (the denominator of a
share). Every school has a row for every topic in every period from its first dated article to its last, zeros
included, so a school that never reported a topic shows as zeros rather than as missing. Undated articles are not
counted. The filters of `warta export` choose the articles; `--topic` also chooses the topics listed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import replace
from typing import TextIO

import sqlite_utils

from archive.errors import ArchiveUserError
from archive.filters import Filters
from archive.topics import TOPIC_IDS

PERIODS = {"month": 7, "year": 4}
IDENTITY = ("site", "name", "npsn", "level", "ownership", "province", "regency")
COLUMNS = (*IDENTITY, "period", "topic", "stories", "articles", "all_stories")


def _periods(first: str, last: str, kind: str) -> Iterator[str]:
    """Every period from `first` to `last`, both included."""
    if kind == "year":
        yield from (str(year) for year in range(int(first), int(last) + 1))
        return
    year, month = int(first[:4]), int(first[5:7])
    while f"{year:04d}-{month:02d}" <= last:
        yield f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _identities(db: sqlite_utils.Database, sites: list[str]) -> dict[str, dict[str, str | None]]:
    """Each site's identity: the registry's (`sites`) where it has it, else what its articles carry."""
    identities: dict[str, dict[str, str | None]] = {site: dict.fromkeys(IDENTITY) | {"site": site} for site in sites}
    fields = IDENTITY[2:]
    for row in db.conn.execute(f"SELECT site, {', '.join(f'max({name})' for name in fields)} FROM articles"
                               " GROUP BY site"):
        if row[0] in identities:
            identities[row[0]].update(zip(fields, row[1:], strict=True))
    for row in db.conn.execute(f"SELECT host, name, {', '.join(fields)} FROM sites"):
        if row[0] in identities:
            identities[row[0]].update({name: value for name, value in zip(IDENTITY[1:], row[1:], strict=True)
                                       if value is not None})
    return identities


def panel_rows(db: sqlite_utils.Database, period: str, filters: Filters | None = None) -> Iterator[dict]:
    """The panel's rows, by school, period and topic (see the module's description)."""
    if period not in PERIODS:
        raise ArchiveUserError(f"--panel: {period!r} is not one of {', '.join(PERIODS)}")
    filters = filters or Filters()
    topics = filters.topics or TOPIC_IDS
    # The schools, periods and denominators come from all the chosen articles, whatever their topics.
    clauses, params = replace(filters, topics=()).where("a")
    where = " AND ".join(["a.published_date IS NOT NULL", *clauses])
    width = PERIODS[period]  # checked above: 7 or 4 characters of the date
    chosen = (f"SELECT a.site, substr(a.published_date, 1, {width}) AS period, a.topics,"
              f" coalesce(a.story_id, a.url) AS story FROM articles a WHERE {where}")
    totals: dict[tuple[str, str], int] = {}
    for site, when, count in db.conn.execute(
            f"SELECT site, period, count(DISTINCT story) FROM ({chosen}) GROUP BY site, period", params):
        totals[(site, when)] = count
    counts: dict[tuple[str, str, str], tuple[int, int]] = {}
    for site, when, topic, stories, articles in db.conn.execute(
            f"SELECT site, period, t.value, count(DISTINCT story), count(*) FROM ({chosen}), json_each(topics) t"
            " GROUP BY site, period, t.value", params):
        counts[(site, when, topic)] = (stories, articles)
    spans: dict[str, tuple[str, str]] = {}
    for site, when in totals:
        first, last = spans.get(site, (when, when))
        spans[site] = (min(first, when), max(last, when))
    identities = _identities(db, list(spans))
    for site in sorted(spans):
        for when in _periods(*spans[site], period):
            for topic in topics:
                stories, articles = counts.get((site, when, topic), (0, 0))
                yield {**identities[site], "period": when, "topic": topic, "stories": stories,
                       "articles": articles, "all_stories": totals.get((site, when), 0)}


def write_panel(db: sqlite_utils.Database, out: TextIO, period: str, filters: Filters | None = None) -> int:
    """Write the panel as CSV to `out`; returns how many rows (a header line first)."""
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
    writer.writeheader()
    count = 0
    for row in panel_rows(db, period, filters):
        writer.writerow(row)
        count += 1
    return count
