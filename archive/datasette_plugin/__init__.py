"""warta's Datasette plugin: SQL functions for the canned queries, links from each article to its source page and
its archived copy (`/-/capture`, capture_page.py), facets that stay fast on a large archive (facets.py).

Registered by `warta serve`, and as the `datasette` entry point `warta` so a plain `datasette archive.db` picks it
up wherever warta is installed.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

from datasette import Response, hookimpl
from datasette.utils import tilde_decode, tilde_encode
from markupsafe import Markup, escape

from archive.datasette_plugin.capture_page import ROUTES as CAPTURE_ROUTES
from archive.datasette_plugin.capture_page import capture_url
from archive.datasette_plugin.counts import skip_index_counts
from archive.datasette_plugin.facets import facet_note, warm_whole_table_facets
from archive.datasette_plugin.facets import register_facet_classes as register_facet_classes
from archive.datasette_plugin.pages import chart_for, chart_links, school_panel, school_timeline
from archive.datasette_plugin.search_box import faster_search_plans
from archive.errors import ArchiveUserError
from archive.search import parse_query, to_fts

LINK_COLUMNS = ("url", "source_url")
SCHOOLS_KEPT_S = 10.0
STYLESHEET = Path(__file__).with_name("warta.css")
STYLESHEET_PATH = "/-/warta.css"
RECORD_LAYOUT_SCRIPT = """
document.querySelectorAll("table.rows-and-columns").forEach(function (table) {
  var names = Array.from(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
  var record = document.createElement("tbody");
  table.querySelectorAll("tbody tr:first-child > td").forEach(function (cell, index) {
    var line = document.createElement("tr");
    var label = document.createElement("th");
    label.scope = "row";
    label.textContent = names[index];
    line.append(label, cell);
    record.append(line);
  });
  table.replaceChildren(record);
  table.classList.add("warta-record");
});
"""

# Whole words, except the roots that take affixes: (be)kerja sama and kerjasama.
PARTNERSHIP_WORDS = re.compile(
    r"\b(?:mou|moa|kesepahaman|penandatanganan|perjanjian|kemitraan|bermitra)\b|kerja\s*sama", re.IGNORECASE
)
# The partner ends before the word that starts what the agreement is about, or at punctuation (not ".", which
# abbreviates PT. and CV.).
_PARTNER_END = (
    r"(?=\s+(?:tentang|terkait|dalam|untuk|guna|mengenai|soal|di|pada|sebagai|demi|teken|tandatangani"
    r"|menandatangani|sepakati|jalin|resmi)\b|\s*[-–—|:;,!?(]|\.?\s*$)"
)
PARTNER_PATTERNS = (
    # "MoU SMKN 7 dengan PT. Pama Persada tentang PKL", "… bersama …", "antara SMKN 5 dan CV. Maju Jaya"
    re.compile(r"\b(?:dengan|bersama|antara\s+.+?\s+dan)\s+(?:pihak\s+)?(?P<partner>.+?)" + _PARTNER_END,
               re.IGNORECASE),
    # "SMK Bhakti Wiyata & PT Lintas Data Indonesia Teken Nota Kesepahaman"
    re.compile(r"\s&\s+(?P<partner>.+?)" + _PARTNER_END, re.IGNORECASE),
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
    for pattern in PARTNER_PATTERNS:
        if match := pattern.search(title):
            return match.group("partner").strip()
    return None


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
def startup(datasette: Any) -> Any:
    async def prepare_archives() -> None:
        for database in datasette.databases.values():
            if not database.path:
                continue
            skip_index_counts(database)
            faster_search_plans(database)
            # Datasette hashes an immutable file and counts its tables on the first request (3.5 s for 1,000,000
            # articles) and keeps both: do it before serving, so no visitor waits for it.
            if not database.is_mutable:
                await asyncio.to_thread(lambda db=database: db.hash)
                await database.table_counts(10)
            await warm_whole_table_facets(datasette, database)

    return prepare_archives


@hookimpl
def prepare_jinja2_environment(env: Any, datasette: Any) -> None:
    env.globals["warta_chart"] = lambda query, columns, rows, title=None: chart_for(
        datasette, query, columns, rows, title)
    env.globals["warta_capture_url"] = lambda url: datasette.urls.path(capture_url(url))


@hookimpl
def extra_template_vars(database: str | None, table: str | None, view_name: str, request: Any,
                        datasette: Any) -> Any:
    async def template_vars() -> dict[str, Any]:
        if view_name in ("database", "table") and database:
            found = {"warta_chart_links": await chart_links(datasette, database),
                     "warta_facet_note": facet_note(request)}
            # The articles of one school (`?site=`, as the site facet links it): their timeline above them.
            if table == "articles" and (host := request.args.get("site")):
                found["warta_site_chart"] = await school_timeline(datasette, database, host)
            return found
        if view_name == "row" and table == "sites":
            return {"warta_school": await school_panel(datasette, database, request)}
        if view_name == "row" and table == "articles":
            url = tilde_decode(request.url_vars.get("pks", ""))
            return {"warta_capture_path": datasette.urls.path(capture_url(url))}
        return {}

    return template_vars


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    # A route of our own rather than a static/ mount: Datasette names static mounts after the distribution,
    # which differs between an installed warta and a plugin registered by hand.
    routes = [(STYLESHEET_PATH, _stylesheet), *CAPTURE_ROUTES]
    return [(rf"^{re.escape(path)}$", view) for path, view in routes]


async def _stylesheet() -> Response:
    return Response(STYLESHEET.read_text(encoding="utf-8"), content_type="text/css; charset=utf-8")


@hookimpl
def extra_css_urls(datasette) -> list[str]:
    return [datasette.urls.path(STYLESHEET_PATH)]


@hookimpl
def extra_body_script(view_name: str) -> str | None:
    # A row page is one record: show it as label / value lines so a long body reads as text, not as one cell
    # at the far right of a 21-column table. The cells are moved, not re-rendered, so their escaping stays.
    return RECORD_LAYOUT_SCRIPT if view_name == "row" else None


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str | None,
                datasette: Any) -> Any:
    # An article's school opens the school's page, when the archive knows the school.
    if column == "site" and table == "articles" and database and isinstance(value, str):
        return _school_link(datasette, database, value)
    # The capture time opens the archived copy (what is left when the school's site is gone), wherever the row
    # carries the URL: the articles table and the canned queries alike.
    if column == "fetched_at" and isinstance(value, str):
        url = _row_value(row, "url")
        if isinstance(url, str):
            return Markup('<a class="warta-capture-link" href="{}">{} (archived copy)</a>').format(
                datasette.urls.path(capture_url(url)), value)
    if column in LINK_COLUMNS and is_web_url(value):
        return source_link(value, value)
    # A title opens its article wherever the row carries the URL: the tables and the canned queries alike.
    if column == "title" and isinstance(value, str):
        url = _row_value(row, "url")
        if is_web_url(url):
            return source_link(url, value)
    return None


async def _school_link(datasette: Any, database: str, host: str) -> Markup | None:
    if host not in await _known_schools(datasette, database):
        return None
    return Markup('<a class="warta-school-link" href="{}">{}</a>').format(
        datasette.urls.row(database, "sites", tilde_encode(host)), host)


async def _known_schools(datasette: Any, database: str) -> frozenset[str]:
    """The hosts of the `sites` table, read once for a page's cells rather than once a cell (50 queries, each a
    trip to a database thread: a quarter of a second on a busy machine), kept SCHOOLS_KEPT_S for a live archive."""
    kept = datasette.__dict__.setdefault("_warta_known_schools", {})
    db = datasette.get_database(database)
    found = kept.get(database)
    if found is None or (db.is_mutable and time.monotonic() - found[0] > SCHOOLS_KEPT_S):
        rows = await db.execute("SELECT host FROM sites", truncate=False)
        found = kept[database] = (time.monotonic(), frozenset(host for (host,) in rows.rows))
    return found[1]


def _row_value(row: Any, column: str) -> Any:
    try:
        return row[column]
    except (IndexError, KeyError):  # the column is not in this view of the table (e.g. `?_col=` hid it)
        return None
