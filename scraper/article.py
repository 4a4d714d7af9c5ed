"""The Article record: the one schema that flows from extraction to the archive and back out of export."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

# Values of `published_source`, strongest evidence first (DESIGN §6).
DATE_SOURCES = ("jsonld", "meta", "time", "label", "url", "feed", "api", "sitemap", "listing", "dateline", "text")
CMS_NAMES = ("wordpress", "sekolahku", "blogger", "joomla", "generic")


@dataclass(slots=True, kw_only=True)
class Article:
    """One article as extracted from a page; field meanings are the contract in README ("Article")."""

    url: str
    site: str
    title: str
    published: str | None = None
    published_source: str | None = None
    published_text: str | None = None
    modified: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    author: str | None = None
    body: str
    language: str = "id"
    cms: str = "generic"
    source_url: str
    fetched_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready mapping written by `warta extract` and read by the archive (lists copied; a shallow
        copy, because `dataclasses.asdict` deep-copies every value and was ~2% of a crawl's main thread)."""
        return {name: list(value) if isinstance(value := getattr(self, name), list) else value
                for name in _FIELD_NAMES}


_FIELD_NAMES = tuple(f.name for f in fields(Article))
