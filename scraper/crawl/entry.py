"""The door of a site: a tiny page that sends the browser on by `<meta http-equiv="refresh">`, by script
(`window.location = …`, `location.href = …`, `location.replace(…)`, `location.assign(…)`) or by a
frameset/iframe holding the real home page. Pure: the target is read from the markup, no script ever runs.

The crawler (scraper/crawl/long_tail.py) decides whether a target may be followed (`refusal`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.crawl.guard import ip_literal_problem
from scraper.extract.bounds import parse_bounded
from scraper.extract.decode import decode_html
from scraper.extract.metadata import absolute_url
from scraper.sites import same_site

MAX_DOOR_TEXT = 400          # visible characters: above this a page is content, not a door
MAX_DOOR_LINKS = 4           # `<a href>` links: a page with more is navigation, not a door
MAX_REFRESH_DELAY = 10       # seconds: a longer refresh is a page that reloads itself, not a door
_REFRESH = re.compile(r"^\s*(\d+)(?:\.\d*)?\s*(?:[;,]\s*(?:url\s*=\s*)?['\"]?([^'\"]+)['\"]?)?", re.I)
_HOME_LIKE = re.compile(r"^(/[a-z]+){0,2}/?(index\.(php|html?|aspx?|jsp))?$", re.I)
_LOCATION = r"(?:(?:window|document|top|self|parent)\s*\.\s*)?location"
_SCRIPT_TARGETS = (
    re.compile(_LOCATION + r"(?:\s*\.\s*href)?\s*=\s*(['\"])(?P<url>[^'\"]+)\1"),
    re.compile(_LOCATION + r"\s*\.\s*(?:replace|assign)\s*\(\s*(['\"])(?P<url>[^'\"]+)\1\s*\)"),
)


@dataclass(frozen=True, slots=True)
class Door:
    """Where an entry page sends the browser: `kind` is `meta refresh`, `script redirect`, `frame` or (at the
    root) `splash link`."""

    kind: str
    url: str


def find_doors(content: bytes, url: str) -> list[Door]:
    """The targets an entry page sends the browser to, in document order (empty for an ordinary page).

    A meta refresh (delay ≤ 10 s) and a frameset always count; a script redirect and an iframe only on a page
    that is itself almost empty, so a menu's `onchange="location = …"` or an embedded map are not doors."""
    markup = decode_html(content)
    if not _may_have_doors(markup):
        return []
    tree = parse_bounded(markup)
    doors = []
    for meta in tree.css("meta[http-equiv]"):
        if (meta.attributes.get("http-equiv") or "").strip().lower() == "refresh":
            match = _REFRESH.match(meta.attributes.get("content") or "")
            if match and match.group(2) and int(match.group(1)) <= MAX_REFRESH_DELAY:
                doors.append(("meta refresh", match.group(2)))
    doors += [("frame", node.attributes.get("src") or "") for node in tree.css("frameset frame[src]")]
    inner = [("frame", node.attributes.get("src") or "") for node in tree.css("iframe[src]")]
    for script in tree.css("script"):
        text = script.text(deep=True) or ""
        found = sorted((m.start(), m.group("url")) for pattern in _SCRIPT_TARGETS for m in pattern.finditer(text))
        inner += [("script redirect", target) for _, target in found]
    if inner and _is_tiny(tree):
        doors += inner
    base = _base_url(tree, url)
    resolved = [Door(kind, target) for kind, href in doors if (target := absolute_url(base, href))]
    return list({door.url: door for door in reversed(resolved)}.values())[::-1]   # first mention of a URL wins


def _may_have_doors(markup: str) -> bool:
    """Whether the markup holds a word every kind of door needs: `location` (a script redirect's pattern, case and
    all), `http-equiv` (the meta refresh's attribute name) or `frame` (in `<frame` and `<iframe`), in any case.
    Most pages hold none and are not parsed a second time (the bounded parse costs ~0.2 ms even on a small page)."""
    if "location" in markup:
        return True
    lowered = markup.lower()
    return "http-equiv" in lowered or "frame" in lowered


def splash_links(content: bytes, url: str) -> list[Door]:
    """The links of a splash page (an almost empty root whose `Masuk` link or picture leads to the site) that
    look like a home page (`/html/index.php`, `/web/`, `/portal/home`: no query, no number, no slug), as doors of
    kind `splash link`; empty for any other page (a tiny home's links to its posts are no doors)."""
    tree = parse_bounded(decode_html(content))
    links = [node.attributes.get("href") or "" for node in tree.css("a[href]")]
    if not links or not _is_tiny(tree):
        return []
    base = _base_url(tree, url)
    targets = [target for href in links if (target := absolute_url(base, href)) and target != url
               and _HOME_LIKE.match(urlsplit(target).path) and not urlsplit(target).query]
    return [Door("splash link", target) for target in dict.fromkeys(targets)]


def _is_tiny(tree: LexborHTMLParser) -> bool:
    body = tree.body
    if body is None:
        return True
    for node in body.css("script, style, noscript"):
        node.decompose()
    return len(" ".join(body.text(deep=True).split())) <= MAX_DOOR_TEXT and len(body.css("a[href]")) <= MAX_DOOR_LINKS


def _base_url(tree: LexborHTMLParser, url: str) -> str:
    node = tree.css_first("base[href]")
    base = absolute_url(url, node.attributes.get("href") or "") if node is not None else None
    return base if base and same_site(base, url) else url


def refusal(target: str, site_url: str) -> str | None:
    """Why a door's target must not be followed (another site, a private address), or None."""
    if same_site(target, site_url):
        return None
    problem = ip_literal_problem(target)
    return f"another site; {problem}" if problem else "another site"
