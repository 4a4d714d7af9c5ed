"""warta's Datasette plugin: SQL functions for the canned queries and links from each article to its source page.

Registered by `warta serve`, and as the `datasette` entry point `warta` so a plain `datasette archive.db` picks it
up wherever warta is installed.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape

from archive.errors import ArchiveUserError
from archive.search import parse_query, to_fts

LINK_COLUMNS = ("url", "source_url")

# Whole words, except the roots that take affixes: (be)kerja sama, kerjasama, (ke)mitra(an), bermitra.
PARTNERSHIP_WORDS = re.compile(r"\b(?:mou|moa|kesepahaman|penandatanganan|perjanjian)\b|kerja\s*sama|mitra",
                               re.IGNORECASE)
# "… dengan PT. Pama Persada tentang PKL" → "PT. Pama Persada": the partner runs from "dengan"/"bersama" (or the
# second party of "antara A dan B") up to the first word that starts the subject of the agreement, or punctuation
# (not ".", which abbreviates PT. and CV.).
PARTNER = re.compile(
    r"\b(?:dengan|bersama|antara\s+.+?\s+dan)\s+(?:pihak\s+)?(?P<partner>.+?)"
    r"(?=\s+(?:tentang|terkait|dalam|untuk|guna|mengenai|soal|di|pada|sebagai|demi)\b|\s*[-–—|:;,!?(]|\.?\s*$)",
    re.IGNORECASE,
)


def stem_query(text: str | None) -> str:
    """The FTS5 query for `articles_stem_fts` that `warta search` would run for `text` (same syntax, same stems).

    An empty or malformed query matches nothing instead of failing: SQLite cannot show the reason on the page.
    """
    try:
        return to_fts(parse_query(text or ""), stem=True)
    except ArchiveUserError:
        return '""'


def is_partnership(title: str | None) -> bool:
    """True if the title speaks of an MoU, kerja sama, kemitraan, an agreement or a signing."""
    return bool(title and PARTNERSHIP_WORDS.search(title))


def partner_from_title(title: str | None) -> str | None:
    """The partner named in the title of an MoU / kerja sama article (`… dengan X …`), or None if there is none."""
    if not is_partnership(title):
        return None
    match = PARTNER.search(title)
    return match.group("partner").strip() if match else None


def is_web_url(value: Any) -> bool:
    """True for http(s) URLs: the only values safe to put in an href (never `javascript:` or `data:`)."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def source_link(href: str, text: str) -> Markup:
    """An escaped link that opens the school's page; nothing from the page is ever rendered as HTML."""
    return Markup('<a href="{}" rel="nofollow noopener" target="_blank">{}</a>').format(escape(href), escape(text))


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.create_function("stem_query", 1, stem_query, deterministic=True)
    conn.create_function("is_partnership", 1, is_partnership, deterministic=True)
    conn.create_function("mou_partner", 1, partner_from_title, deterministic=True)


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None) -> Markup | None:
    if column in LINK_COLUMNS and is_web_url(value):
        return source_link(value, value)
    if table == "articles" and column == "title" and isinstance(value, str):
        url = _row_value(row, "url")
        if is_web_url(url):
            return source_link(url, value)
    return None


def _row_value(row: Any, column: str) -> Any:
    try:
        return row[column]
    except (IndexError, KeyError):  # the column is not in this view of the table (e.g. `?_col=` hid it)
        return None
