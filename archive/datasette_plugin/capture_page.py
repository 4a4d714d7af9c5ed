"""`/-/capture?url=<article url>[&at=<fetch time>]`: the archived copy of a page (DESIGN §15).

The page is served from its WARC record, sanitised (archive.safe_page) and under a Content-Security-Policy that
allows no script, no form, no frame and no request except to this server, with a banner naming the capture time,
the live address and the article's row. Images are shown only when the archive captured them; a capture that is
missing or cut short is a 404 page that says so.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from datasette import Response
from datasette.utils import tilde_encode
from markupsafe import Markup

from archive.capture import Capture, CaptureMissing, Captures, captured_urls, find_captures, read_capture
from archive.safe_page import image_urls, make_safe, read_html

CAPTURE_PATH = "/-/capture"
CAPTURE_CSS = Path(__file__).with_name("capture.css")
CAPTURE_CSS_PATH = "/-/warta-capture.css"
NO_IMAGE_PATH = "/-/warta-no-image.svg"
NO_IMAGE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="90" viewBox="0 0 160 90">'
    '<rect width="160" height="90" fill="#eee" stroke="#999" stroke-dasharray="4"/>'
    '<text x="80" y="50" font-family="sans-serif" font-size="11" text-anchor="middle" fill="#666">'
    'image not archived</text></svg>'
)
# `sandbox` without allow-scripts / allow-forms is a second lock behind `script-src 'none'`; allow-same-origin
# keeps 'self' meaning this server, so the stylesheet and the archived images still load.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'none'; img-src 'self'; style-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'; "
    "sandbox allow-same-origin allow-popups allow-popups-to-escape-sandbox"
)
SAFE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# Images are served as recorded only in these types; SVG is not among them (it can carry script).
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp", "image/x-icon")


def capture_url(url: str, at: str | None = None) -> str:
    """The path of the archived copy of `url` (at one fetch time, or the default one)."""
    return f"{CAPTURE_PATH}?{urlencode({'url': url} | ({'at': at} if at else {}))}"


async def capture_page(datasette: Any, request: Any) -> Response:
    url = request.args.get("url", "").strip()
    database = archive_database(datasette)
    if not url or database is None:
        return _missing(datasette, database, Captures(url, None, []), "no address given: add ?url=<article url>")
    found = await database.execute_fn(lambda conn: find_captures(conn, url))
    try:
        capture = found.choose(request.args.get("at"))
        response = await asyncio.to_thread(read_capture, captures_folder(datasette, database), capture)
    except CaptureMissing as exc:
        return _missing(datasette, database, found, str(exc))
    kind = (response.content_type or "").split(";")[0].strip().lower()
    if kind in IMAGE_TYPES:
        return Response(response.body, content_type=kind, headers=dict(SAFE_HEADERS))
    if not response.is_html:
        return _missing(datasette, database, found, f"the capture of {url} is not a page ({kind})")
    html, cut = read_html(response.body, response.content_type)
    images = await database.execute_fn(lambda conn: captured_urls(conn, image_urls(html, response.url)))

    placeholder = datasette.urls.path(NO_IMAGE_PATH)

    def image(src: str) -> str:
        return datasette.urls.path(capture_url(src)) if src in images else placeholder

    page = await asyncio.to_thread(make_safe, html, response.url, image, placeholder)
    banner = _banner(datasette, database, found, capture, cut)
    return _page(datasette, f"Archived: {page.title or url}", banner, Markup(page.body_html), status=200)


def archive_database(datasette: Any) -> Any:
    """The archive: the first database attached from a file (None when there is none)."""
    for name, database in datasette.databases.items():
        if name not in ("_internal", "_memory") and database.path:
            return database
    return None


def captures_folder(datasette: Any, database: Any) -> Path:
    """Where the WARC files are: the plugin setting `captures`, else `captures/` beside the archive file."""
    configured = (datasette.plugin_config("warta") or {}).get("captures")
    return Path(configured) if configured else Path(database.path).parent / "captures"


def _row_link(datasette: Any, database: Any, found: Captures) -> Markup:
    if found.article is None:
        return Markup("")
    path = datasette.urls.row(database.name, "articles", tilde_encode(found.article["url"]))
    return Markup(' <a class="warta-row" href="{}">The article in the archive</a>.').format(path)


def _banner(datasette: Any, database: Any, found: Captures, shown: Capture, cut: bool) -> Markup:
    others = [Markup('<a href="{}">{}</a>').format(datasette.urls.path(capture_url(found.url, c.fetched_at)),
                                                   c.fetched_at)
              for c in found.captures if c != shown]
    return Markup(
        '<strong>Archived copy</strong> of <a class="warta-live" href="{live}" rel="noopener noreferrer nofollow">'
        '{live}</a>, captured by warta at <time datetime="{at}">{at}</time>.{row}'
        ' Scripts, forms, styles and everything from other hosts were removed.{cut}{others}'
    ).format(
        live=found.url, at=shown.fetched_at, row=_row_link(datasette, database, found),
        cut=Markup(" Only the start of this very long page is shown.") if cut else "",
        others=Markup(" Other captures: ") + Markup(", ").join(others) + "." if others else "",
    )


def _missing(datasette: Any, database: Any, found: Captures, reason: str) -> Response:
    banner = Markup('<strong>No archived copy</strong>: {}.{}').format(reason, _row_link(datasette, database, found))
    return _page(datasette, "No archived copy", banner, Markup(""), status=404)


def _page(datasette: Any, title: str, banner: Markup, body: Markup, *, status: int) -> Response:
    html = Markup(
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<title>{title}</title><link rel="stylesheet" href="{css}"></head>\n'
        '<body><header class="warta-banner">{banner}</header>\n<main class="warta-capture">{body}</main></body></html>'
    ).format(title=title, css=datasette.urls.path(CAPTURE_CSS_PATH), banner=banner, body=body)
    return Response(str(html), status=status, content_type="text/html; charset=utf-8", headers=dict(SAFE_HEADERS))


async def capture_stylesheet() -> Response:
    return Response(CAPTURE_CSS.read_text(encoding="utf-8"), content_type="text/css; charset=utf-8")


async def no_image() -> Response:
    return Response(NO_IMAGE_SVG, content_type="image/svg+xml", headers=dict(SAFE_HEADERS))


ROUTES = [(CAPTURE_PATH, capture_page), (CAPTURE_CSS_PATH, capture_stylesheet), (NO_IMAGE_PATH, no_image)]
