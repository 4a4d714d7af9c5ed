"""The filters that `search`, `export` and their commands share: site, category, published date range, topics,
and the school's identity (level, ownership, province, regency)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from archive.errors import ArchiveUserError
from archive.provinces import province as known_province

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


def check_topics(topics: tuple[str, ...]) -> tuple[str, ...]:
    """`topics` checked against TOPICS.md's ids; an unknown one raises `ArchiveUserError` naming `--topic`."""
    from archive.topics import TOPIC_IDS

    for topic in topics:
        if topic not in TOPIC_IDS:
            raise ArchiveUserError(f"--topic: {topic!r} is not a topic; use one of {', '.join(TOPIC_IDS)}")
    return topics


@dataclass(frozen=True)
class Filters:
    """Exact filters on articles: `site` host, one `category`, `since`/`until` on `published_date`, `topics` (an
    article about any of them), and the school's `level`, `ownership`, `province` (any spelling
    `archive.provinces` knows) and `regency`, the last three without regard to case."""

    site: str | None = None
    category: str | None = None
    since: str | None = None
    until: str | None = None
    level: str | None = None
    ownership: str | None = None
    province: str | None = None
    regency: str | None = None
    topics: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        parse_day(self.since, flag="--since")
        parse_day(self.until, flag="--until")
        if self.ownership is not None and self.ownership.casefold() not in ("negeri", "swasta"):
            raise ArchiveUserError(f"--ownership: {self.ownership!r} is not negeri or swasta")
        if self.province is not None and (found := known_province(self.province)):
            object.__setattr__(self, "province", found[0])
        check_topics(self.topics)

    def where(self, table: str = "articles") -> tuple[list[str], list[Any]]:
        """SQL conditions on `table` and their parameters (an empty list when nothing is filtered)."""
        conditions = [
            (self.site, f"{table}.site = ?"),
            (self.category, f"EXISTS (SELECT 1 FROM json_each({table}.categories) WHERE value = ?)"),
            (self.since, f"{table}.published_date >= ?"),
            (self.until, f"{table}.published_date <= ?"),
            (self.level, f"{table}.level = ? COLLATE NOCASE"),
            (self.ownership and self.ownership.casefold(), f"{table}.ownership = ?"),
            (self.province, f"{table}.province = ? COLLATE NOCASE"),
            (self.regency, f"{table}.regency = ? COLLATE NOCASE"),
        ]
        active = [(value, clause) for value, clause in conditions if value is not None]
        clauses, params = [clause for _, clause in active], [value for value, _ in active]
        if self.topics:
            marks = ", ".join("?" for _ in self.topics)
            clauses.append(f"EXISTS (SELECT 1 FROM json_each({table}.topics) WHERE value IN ({marks}))")
            params.extend(self.topics)
        return clauses, params
