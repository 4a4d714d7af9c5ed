"""A captured page made safe to open: no scripts, forms, frames, styles or requests to any other host.

Pure: the captured bytes, the page's URL and the images the archive holds in, safe HTML out. Sanitising is an
allowlist (nh3, the Ammonia sanitiser: the page is parsed as a browser would parse it and only known harmless
elements and attributes survive), not a list of dangers to remove, so a trick nobody listed is dropped too.
The page's own CSS goes with it (`<style>`, `style=`, stylesheets): CSS can fetch other hosts (`url()`,
`@import`) and the stylesheets were files the crawl never captured anyway. selectolax reads the title and the
image addresses before cleaning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin

import nh3
from markupsafe import escape
from selectolax.lexbor import LexborHTMLParser

MAX_HTML_BYTES = 2_000_000  # a page is shown up to here; a bigger capture says it was cut
# Gone with everything inside them: code, CSS, embedded documents and vector graphics (SVG can script).
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "title", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
    "applet", "svg", "math", "textarea", "select", "button", "canvas", "audio", "video",
})
KEPT_ATTRIBUTES = {
    "a": {"href", "title"}, "area": {"href", "alt", "shape", "coords"}, "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}, "ol": {"start"},
    "time": {"datetime"}, "*": {"lang", "dir", "title"},
}
_SOURCELESS_IMAGE = re.compile(r'<img(?![^>]*\ssrc=")')
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(slots=True)
class SafePage:
    """What may be shown of a capture: its title as text and its body as sanitised HTML."""

    title: str
    body_html: str


def read_html(body: bytes, content_type: str | None) -> tuple[str, bool]:
    """The page's text (its first MAX_HTML_BYTES) and whether it was cut there."""
    return decode(body[:MAX_HTML_BYTES], content_type), len(body) > MAX_HTML_BYTES


def decode(body: bytes, content_type: str | None) -> str:
    """The page's text in the charset its header or `<meta charset>` names (if the bytes really are in it), else
    UTF-8, else Windows-1252 (what non-UTF-8 Indonesian pages are in practice), bad bytes replaced."""
    declared = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type or "", re.IGNORECASE)
    meta = _CHARSET.search(body[:4096])
    names = [found.group(1) if isinstance(found.group(1), str) else found.group(1).decode("ascii")
             for found in (declared, meta) if found]
    for name in [*names, "utf-8"]:
        try:
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):  # a charset Python does not know, or bytes not in it
            continue
    return body.decode("cp1252", errors="replace")


def image_urls(html: str, page_url: str) -> set[str]:
    """The absolute http(s) addresses of the page's `<img src>`: the images to look for in the archive."""
    tree = LexborHTMLParser(html)
    found = {urljoin(page_url, src.strip()) for node in tree.css("img[src]") if (src := node.attributes.get("src"))}
    return {url for url in found if url.startswith(("http://", "https://"))}


def page_title(html: str) -> str:
    """The text of the page's `<title>`, or empty."""
    node = LexborHTMLParser(html).css_first("title")
    return " ".join(node.text().split()) if node else ""


def make_safe(html: str, page_url: str, image: Callable[[str], str], placeholder: str) -> SafePage:
    """The capture's HTML as a page to show. Links become absolute links to the live site (http/https only);
    every image's address is `image(absolute url)` (the archived copy of the image, or `placeholder`), and an
    image whose address was dropped (a `data:` URL, say) shows `placeholder`."""

    def keep(element: str, attribute: str, value: str) -> str | None:
        if attribute not in ("href", "src"):
            return value
        target = urljoin(page_url, value.strip())
        if not target.startswith(("http://", "https://")):
            return None  # javascript:, data:, vbscript:, file:, ...
        return image(target) if element == "img" else target

    cleaned = nh3.clean(
        html, tags=set(nh3.ALLOWED_TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in KEPT_ATTRIBUTES.items()}, attribute_filter=keep,
        url_schemes={"http", "https"}, link_rel="noopener noreferrer nofollow", strip_comments=True,
    )
    # nh3 writes every tag it keeps with quoted attributes, so a sourceless <img> is found reliably here.
    cleaned = _SOURCELESS_IMAGE.sub(lambda _: f'<img src="{escape(placeholder)}"', cleaned)
    return SafePage(title=page_title(html), body_html=cleaned)
