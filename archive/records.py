"""Article records as the archive receives them: the DESIGN §3 fields, validated and normalised.

`archive` never imports `scraper`; anything that maps these field names to values (a dict from a JSON line, or
`Article.to_dict()`) is a record.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import date
from json.encoder import encode_basestring
from typing import Any

import orjson

ARTICLE_FIELDS = (
    "url", "site", "title", "published", "published_source", "published_text", "modified", "categories",
    "tags", "author", "body", "language", "cms", "source_url", "fetched_at",
)
REQUIRED_FIELDS = ("url", "site", "title")
LIST_FIELDS = ("categories", "tags")
EXPORT_FORMATS = ("jsonl", "csv")
# Archive bookkeeping that `warta export` writes and `warta import` honours, so a round trip keeps it.
ARCHIVE_FIELDS = ("region", "first_seen", "last_seen")
IMPORTED_FIELDS = ARTICLE_FIELDS + ARCHIVE_FIELDS
# What the archive derives from each text (DESIGN §14, archive.research): exported for research; an import
# computes them again, with the same rules, from the text it reads (so a round trip keeps them).
DERIVED_FIELDS = ("topics", "organisations", "story_id")
DERIVED_LIST_FIELDS = ("topics", "organisations")
EXPORT_FIELDS = IMPORTED_FIELDS + DERIVED_FIELDS
# Columns of `articles` that hold JSON arrays.
STORED_LIST_FIELDS = LIST_FIELDS + DERIVED_LIST_FIELDS
# A change in any of these makes a new entry in `article_versions`.
VERSIONED_FIELDS = ("title", "body", "published", "categories")

_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")


class RecordError(ValueError):
    """A record that cannot be archived; the message says which field is wrong."""


def normalise_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record's archived fields, checked: required strings present, lists of strings, the rest str or null.

    Unknown fields are ignored (DESIGN §3 lets the record grow). Raises `RecordError`.
    """
    if not isinstance(record, Mapping):
        raise RecordError(f"expected a JSON object, got {type(record).__name__}")
    clean: dict[str, Any] = {}
    for name in IMPORTED_FIELDS:
        value = record.get(name)
        if name in LIST_FIELDS:
            value = [] if value is None else value
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise RecordError(f"field {name!r} must be a list of strings")
        elif value is not None and not isinstance(value, str):
            raise RecordError(f"field {name!r} must be a string or null, got {type(value).__name__}")
        clean[name] = value
    for name in REQUIRED_FIELDS:
        if not clean[name]:
            raise RecordError(f"field {name!r} is missing or empty")
    if clean["body"] is None:
        raise RecordError("field 'body' is missing")
    if clean["published"] is not None and not _is_iso_date(clean["published"]):
        raise RecordError(f"field 'published' is not an ISO date: {clean['published']!r}")
    return clean


def _is_iso_date(value: str) -> bool:
    if not _DATE_PREFIX.match(value):
        return False
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def json_strings(values: list[str]) -> str:
    """`json.dumps(values, ensure_ascii=False)` for a list of strings, with json's own escaping of each: the
    same text at a sixth of the cost (`json.dumps` with an option builds an encoder at every call)."""
    return "[" + ", ".join(map(encode_basestring, values)) + "]"


def content_hash(record: Mapping[str, Any]) -> str:
    """A stable hash of the versioned content (title, body, published, categories): of their JSON array as
    `json.dumps(..., ensure_ascii=False)` writes it in UTF-8, written out here by orjson, whose strings are
    json's byte for byte (every code point checked) at a tenth of `encode_basestring`'s cost: it was ~8 µs of
    the import reader's ~170 µs an article."""
    values = [record[name] for name in VERSIONED_FIELDS]
    try:
        payload = b"[" + b", ".join(map(_json_bytes, values)) + b"]"
    except TypeError:  # a lone surrogate, which orjson refuses: UTF-8 refuses json's text of it, as it always did
        payload = json.dumps(values, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()[:32]


def _json_bytes(value: str | list[str] | None) -> bytes:
    if value is None:
        return b"null"
    if isinstance(value, list):
        return b"[" + b", ".join(map(orjson.dumps, value)) + b"]"
    return orjson.dumps(value)


def published_date(published: str | None) -> str | None:
    """The local `YYYY-MM-DD` part of an ISO `published` value."""
    return published[:10] if published else None


def published_year(published: str | None) -> int | None:
    """The year of an ISO `published` value, for faceting."""
    return int(published[:4]) if published else None
