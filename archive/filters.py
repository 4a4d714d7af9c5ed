"""The filters that `search`, `export` and their commands share: site, category, published date range."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from archive.errors import ArchiveUserError

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(value: str | None, *, flag: str) -> str | None:
    """`value` checked as a `YYYY-MM-DD` date; a bad one raises `ArchiveUserError` naming `flag`."""
    if value is None:
        return None
    try:
        if not _ISO_DAY.match(value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise ArchiveUserError(f"{flag}: {value!r} is not a date; use YYYY-MM-DD, e.g. 2024-01-31") from None
    return value


@dataclass(frozen=True)
class Filters:
    """Exact filters on articles: `site` host, one `category`, and `since`/`until` on `published_date`."""

    site: str | None = None
    category: str | None = None
    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        parse_day(self.since, flag="--since")
        parse_day(self.until, flag="--until")

    def where(self, table: str = "articles") -> tuple[list[str], list[Any]]:
        """SQL conditions on `table` and their parameters (an empty list when nothing is filtered)."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.site is not None:
            clauses.append(f"{table}.site = ?")
            params.append(self.site)
        if self.category is not None:
            clauses.append(f"EXISTS (SELECT 1 FROM json_each({table}.categories) WHERE value = ?)")
            params.append(self.category)
        if self.since is not None:
            clauses.append(f"{table}.published_date >= ?")
            params.append(self.since)
        if self.until is not None:
            clauses.append(f"{table}.published_date <= ?")
            params.append(self.until)
        return clauses, params
