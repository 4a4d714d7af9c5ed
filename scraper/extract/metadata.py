"""What a page says about itself: `<meta>`, JSON-LD, canonical and feed links, and every outgoing link."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.lazy_pattern import LazyPattern
from scraper.sites import same_site

# CSS white space, which separates the tokens `[rel~=canonical]` compares (str.split knows more white space).
_CSS_WHITE = re.compile(r"[ \t\n\f\r]+")
_LINK_KINDS = frozenset({"canonical", "alternate"})
# A publication date in a script's data (the state a JavaScript front end renders the post from, an analytics data
# layer), year first only.
# A data layer's values may escape their slashes (`"post_date": "2018\/01\/29"`).
_SCRIPT_DATE = LazyPattern(r'"(?:datePublished|date_published|published_at|publishedAt|publishDate|publish_date|'
                           r'firstPublished|first_published|created_at|createdAt|post_date|postDate|pubDate)"\s*:\s*'
                           r'"(\d{4}(?:-|\\?/)\d\d(?:-|\\?/)\d\d[^"]{0,30})"')
_JSONLD_DATE = {key: LazyPattern(rf'"{key}"\s*:\s*"([^"]{{8,40}})"') for key in ("datePublished", "dateModified")}
_SCRIPT_DATE_HINTS = ('"publish', '"datePublished', '"date_published', '"first', '"created', '"post_date',
                      '"postDate', '"pubDate')
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
ARTICLE_TYPES = frozenset({"article", "newsarticle", "blogposting", "reportagenewsarticle", "posting",
                           "socialmediaposting", "analysisnewsarticle", "scholarlyarticle", "techarticle"})


@dataclass(slots=True)
class Link:
    """One `<a href>` of the page: absolute URL (fragment dropped), its text and rel."""

    url: str
    text: str
    rel: str


@dataclass(slots=True)
class PageMeta:
    """Metadata read once from the parsed page."""

    base_url: str
    page_url: str = ""
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)      # lower-cased name/property → first content
    jsonld: list[dict[str, Any]] = field(default_factory=list)  # every JSON-LD object, @graph flattened
    canonical: str | None = None
    feeds: list[str] = field(default_factory=list)
    body_classes: frozenset[str] = frozenset()
    generator: str = ""
    jsonld_article: dict[str, Any] | None = None  # see `_jsonld_article`
    script_date: str | None = None  # the first publication date in another script's data, as written


def _jsonld_article(meta: PageMeta) -> dict[str, Any] | None:
    """The JSON-LD article (NewsArticle, BlogPosting, ...) about this page: the only one, or the one whose URL is
    this page's. Listings (Blogger home pages) carry one per post and get None."""
    articles = [obj for obj in meta.jsonld if is_article_object(obj)]
    page_keys = {_url_key(meta.page_url), _url_key(meta.canonical or "")}
    for obj in articles:
        if page_keys & _object_url_keys(obj):
            return obj
    if len(articles) == 1 and not _object_url_keys(articles[0]):
        return articles[0]
    return None


def is_article_object(obj: dict[str, Any]) -> bool:
    """Whether a JSON-LD object is typed as an article (NewsArticle, BlogPosting, ...)."""
    types = obj.get("@type")
    names = types if isinstance(types, list) else [types]
    return any(isinstance(name, str) and name.lower() in ARTICLE_TYPES for name in names)


def _url_key(url: str) -> str:
    """A URL compared loosely: no scheme, fragment or trailing slash."""
    return url.split("#", 1)[0].split("://", 1)[-1].rstrip("/").lower()


def _object_url_keys(obj: dict[str, Any]) -> set[str]:
    values = [obj.get("url"), obj.get("@id"), obj.get("mainEntityOfPage")]
    urls = [value.get("@id") if isinstance(value, dict) else value for value in values]
    return {_url_key(url) for url in urls if isinstance(url, str) and "://" in url}


def absolute_url(base: str, href: str) -> str | None:
    """href resolved against base, fragment dropped; None unless it is http(s) with a host."""
    href = href.strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "data:", "#")):
        return None
    if href.startswith(("http://", "https://")) and " " not in href and "[" not in href and "]" not in href:
        # already absolute: skip urljoin, the costliest step on link-heavy pages; `http://` alone has no host,
        # and brackets (IPv6 hosts, or a broken `http://[x`, `http://a]b`) are left to urlsplit below
        return href.split("#", 1)[0] if href.split("//", 1)[1][:1] not in ("", "/", "?", "#", ":") else None
    try:
        url = urldefrag(urljoin(base, href)).url
        parts = urlsplit(url)
    except ValueError:
        return None
    # `http:garbage` on an https page stays host-less after urljoin (found by fuzzing)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _flatten_jsonld(data: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > 5:
        return
    if isinstance(data, list):
        for item in data:
            _flatten_jsonld(item, out, depth + 1)
    elif isinstance(data, dict):
        out.append(data)
        if isinstance(data.get("@graph"), list):
            _flatten_jsonld(data["@graph"], out, depth + 1)


def read_meta(tree: LexborHTMLParser, url: str) -> PageMeta:
    """Title, meta tags, JSON-LD, canonical, feeds and body classes (call before scripts are removed)."""
    result = PageMeta(base_url=url, page_url=url)
    # Each tag's elements by lexbor's walk by tag name, in document order: no two kinds depend on each other's
    # order, and five such walks cost less than one CSS selector walk (lexbor matches a selector list against
    # every node, ~0.1 ms a page).
    for node in tree.tags("meta"):
        attrs = node.attributes
        if "content" in attrs:
            key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
                   or attrs.get("http-equiv") or "").strip().lower()
            if key and key not in result.meta:
                result.meta[key] = (attrs.get("content") or "").strip()
    for node in tree.tags("script"):
        attrs = node.attributes
        if "src" in attrs:
            continue
        text = node.text() or ""
        if (attrs.get("type") or "").strip().lower() != "application/ld+json":
            if result.script_date is None and any(hint in text for hint in _SCRIPT_DATE_HINTS) and (
                    found := _SCRIPT_DATE.search(text)):
                result.script_date = found[0].replace("\\/", "/")
            continue
        try:
            # strict=False: CMSes print raw line breaks and tabs inside JSON-LD strings
            _flatten_jsonld(json.loads(text, strict=False), result.jsonld)
        except (ValueError, RecursionError):
            # a broken block (a trailing comma, an unescaped quote) still names its dates
            result.jsonld.extend({key: found[1]} for key in ("datePublished", "dateModified")
                                 if (found := _JSONLD_DATE[key].search(text)))
    if titles := tree.tags("title"):
        result.title = " ".join((titles[0].text() or "").split())
    for node in tree.tags("base"):
        if "href" in (attrs := node.attributes):
            base = absolute_url(url, attrs["href"] or "")
            # An off-site <base> would send every relative link elsewhere: ignored, except in a saved file.
            result.base_url = base if base and (same_site(base, url) or url.startswith("file:")) else url
            if result.base_url != url:
                break
    result.generator = result.meta.get("generator", "")
    for node in tree.tags("link"):
        attrs = node.attributes
        rel = attrs.get("rel") or ""
        # the links `link[rel~=canonical i][href], link[rel~=alternate i][href]` picks
        if "href" not in attrs or not _LINK_KINDS & {token.lower() for token in _CSS_WHITE.split(rel)}:
            continue
        rels = rel.lower().split()
        href = absolute_url(result.base_url, attrs.get("href") or "")
        if href is None:
            continue
        if "canonical" in rels and result.canonical is None:
            result.canonical = href
        elif "alternate" in rels and (attrs.get("type") or "").lower() in FEED_TYPES:
            result.feeds.append(href)
    if tree.body is not None:
        result.body_classes = frozenset((tree.body.attributes.get("class") or "").lower().split())
    result.jsonld_article = _jsonld_article(result)
    return result


def read_links(tree: LexborHTMLParser, base: str) -> list[Link]:
    """Every http(s) `<a href>` in document order (each distinct href resolved once)."""
    links = []
    resolved: dict[str, str | None] = {}
    for node in tree.css("a[href]"):
        attrs = node.attributes
        href = attrs.get("href") or ""
        if href not in resolved:
            resolved[href] = absolute_url(base, href)
        if (url := resolved[href]) is not None:
            text = " ".join((node.text(deep=True) or "").split())
            links.append(Link(url=url, text=text, rel=(attrs.get("rel") or "").strip()))
    return links
