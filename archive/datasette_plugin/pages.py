"""What warta adds to Datasette's own pages: a chart above each charted canned query, links to the charts, and the
school page (the `sites` row page with the school's state, its articles per month and its latest articles).

The data always comes from the canned queries in metadata.json; which of them are charts, and how, is the plugin
setting `charts` there (`{"query": {"x": column, "y": column, "months": true|false}}`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from datasette.utils import tilde_decode
from markupsafe import Markup

from archive.charts import bar_chart, category_bars, month_bars

SCHOOL_TIMELINE_QUERY = "school_articles_per_month"
SCHOOL_LATEST_QUERY = "school_latest_articles"


def chart_settings(datasette: Any) -> dict[str, dict[str, Any]]:
    """The `charts` plugin setting: canned query name → how to chart it."""
    return (datasette.plugin_config("warta") or {}).get("charts", {})


def chart_for(datasette: Any, query_name: str | None, columns: Sequence[str], rows: Sequence[Any],
              title: str | None = None) -> Markup:
    """The chart of a canned query's rows, or nothing when the query is not a chart (or lacks its columns)."""
    setting = chart_settings(datasette).get(query_name or "")
    if not setting or setting["x"] not in columns or setting["y"] not in columns:
        return Markup("")
    x, y = columns.index(setting["x"]), columns.index(setting["y"])
    pairs = [(row[x], row[y]) for row in rows]
    months = bool(setting.get("months"))
    bars = month_bars(pairs) if months else category_bars(pairs)
    return Markup('<figure class="warta-figure">{}</figure>').format(
        bar_chart(bars, title=title or query_name or "", unit=setting["y"], months=months))


async def chart_links(datasette: Any, database: str) -> list[tuple[str, str]]:
    """(title, path) of every charted canned query of `database`, for the links above its pages."""
    links = []
    for name in chart_settings(datasette):
        query = await datasette.get_canned_query(database, name, None)
        if query is not None and not query.get("hidden"):
            links.append((query.get("title") or name, datasette.urls.query(database, name)))
    return links


async def school_timeline(datasette: Any, database: str, host: str) -> Markup:
    """The chart of one school's articles per month (empty when the canned query is not there)."""
    timeline = await _canned_rows(datasette, database, SCHOOL_TIMELINE_QUERY, {"site": host})
    if timeline is None:
        return Markup("")
    return chart_for(datasette, SCHOOL_TIMELINE_QUERY, timeline.columns, timeline.rows,
                     title=f"Articles of {host} per month")


async def school_panel(datasette: Any, database: str, request: Any) -> dict[str, Any] | None:
    """The school page's data for a `sites` row: the site row, its timeline chart and its latest articles."""
    host = tilde_decode(request.url_vars.get("pks", ""))
    db = datasette.get_database(database)
    site = (await db.execute("SELECT * FROM sites WHERE host = ?", [host])).first()
    if site is None:
        return None
    latest = await _canned_rows(datasette, database, SCHOOL_LATEST_QUERY, {"site": host})
    return {
        "site": dict(site),
        "chart": await school_timeline(datasette, database, host),
        "latest": [dict(row) for row in latest.rows] if latest else [],
        "timeline_path": f"{datasette.urls.query(database, SCHOOL_TIMELINE_QUERY)}?{urlencode({'site': host})}",
        "articles_path": f"{datasette.urls.table(database, 'articles')}?{urlencode({'site': host})}",
    }


async def _canned_rows(datasette: Any, database: str, name: str, params: dict[str, str]) -> Any:
    query = await datasette.get_canned_query(database, name, None)
    if query is None:
        return None
    return await datasette.get_database(database).execute(query["sql"], params)
