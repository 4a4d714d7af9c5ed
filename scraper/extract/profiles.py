"""Platform knowledge: which CMS made a page, and what each one prints for categories, tags and author."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from selectolax.lexbor import LexborNode

from scraper.extract.dom import inline_text, within
from scraper.extract.metadata import PageMeta, absolute_url
from scraper.lazy_pattern import LazyPattern

SEKOLAHKU_POST = re.compile(r"^/read/\d+(?:/|$)")
BLOGGER_POST = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")
_CATEGORY_PATH = re.compile(r"/(?:category|categories|kategori|rubrik|topics?)/", re.IGNORECASE)
_TAG_PATH = re.compile(r"/(?:tag|tags|topik|label)/", re.IGNORECASE)
_BLOGGER_LABEL = re.compile(r"/search/label/")
# Most specific first: `[itemprop=author]` alone often wraps a label ("Ditulis oleh ...").
_AUTHOR_NODES = ("[itemprop=author] [itemprop=name]", '[rel~="author"]', ".author .fn", ".byline .fn", ".vcard .fn",
                 "[itemprop=author]")
_ANY_AUTHOR_NODE = ", ".join(_AUTHOR_NODES)
_CATEGORY_NODES = (".cat-links a, .category-name a, .post-categories a, .entry-categories a, "
                   "[itemprop=articleSection], a[itemprop=genre]")
_SEKOLAHKU_FOOTER_AUTHOR = LazyPattern(r"\d{2}/\d{2}/\d{4}\s+\d{1,2}[:.]\d{2}(?:\s+WI[BT]A?)?\s+-\s+(.+)$")


def detect_cms(meta: PageMeta, html: str) -> str:
    """wordpress, sekolahku, blogger, joomla or generic, from the generator tag and platform paths."""
    generator = meta.generator.lower()
    if "wordpress" in generator or "/wp-content/" in html or "/wp-includes/" in html:
        return "wordpress"
    if "sekolahku.web.id" in html or ("_BASE_URL" in html and "media_library/" in html):
        return "sekolahku"
    if "blogger" in generator or "blogger.com/" in html and "blogspot" in html:
        return "blogger"
    if "joomla" in generator or "/media/jui/" in html or "com_content" in html:
        return "joomla"
    return "generic"


def _unique(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return list(seen)


def categories_and_tags(container: LexborNode | None, skip: frozenset[int], meta: PageMeta, cms: str,
                        selector: str | None = None) -> tuple[list[str], list[str]]:
    """Categories and tags as displayed: rel=category/tag links (WordPress), labels (Blogger, kept as
    categories because a blog's labels are its only sections), taxonomy-looking links, then metadata."""
    categories: list[str] = []
    tags: list[str] = []
    if container is not None and selector:
        categories = [inline_text(node) for node in container.css(selector)]
    elif container is not None:
        # the links by one selector walk (a Python walk of the container visited every node), those in skipped
        # blocks dropped
        for node in container.css("a"):
            if skip and within(node, container, skip):
                continue
            attrs = node.attributes
            rel = (attrs.get("rel") or "").lower().split()
            href = absolute_url(meta.base_url, attrs.get("href") or "") or ""
            parts = urlsplit(href)
            query = parse_qs(parts.query)
            is_label = cms == "blogger" and ("tag" in rel or _BLOGGER_LABEL.search(parts.path))
            if "category" in rel or _CATEGORY_PATH.search(parts.path) or "cat" in query or is_label:
                categories.append(inline_text(node))
            elif "tag" in rel or _TAG_PATH.search(parts.path) or "tag" in query:
                tags.append(inline_text(node))
    if not categories and container is not None:
        categories = [inline_text(node) for node in container.css(_CATEGORY_NODES)]
    article = meta.jsonld_article or {}
    if not categories:
        section = meta.meta.get("article:section") or _jsonld_text(article.get("articleSection"))
        categories = [part.strip() for part in (section or "").split(",")] if section else []
    if not tags and (keywords := _jsonld_text(article.get("keywords"))):
        tags = [part.strip() for part in keywords.split(",")]
    return _unique(categories), _unique(tags)


def _jsonld_text(value: object) -> str | None:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value if isinstance(item, str))
    return value if isinstance(value, str) else None


def author_of(meta: PageMeta, container: LexborNode | None, date_text: str | None, cms: str) -> str | None:
    """The byline: JSON-LD author, `<meta name=author>`, a rel=author link, or CMS Sekolahku's footer."""
    article = meta.jsonld_article or {}
    author = article.get("author")
    if isinstance(author, list) and author:
        author = author[0]
    if isinstance(author, dict):
        author = author.get("name")
    if isinstance(author, str) and author.strip():
        return author.strip()
    if meta.meta.get("author"):
        return meta.meta["author"]
    if cms == "sekolahku" and date_text and (match := _SEKOLAHKU_FOOTER_AUTHOR.search(date_text)):
        return match.group(1).strip() or None
    # one walk tells whether any of them is there (most pages have none: six walks spared)
    if container is not None and container.css_first(_ANY_AUTHOR_NODE) is not None:
        for selector in _AUTHOR_NODES:
            node = container.css_first(selector)
            if node is not None and (text := inline_text(node)):
                return text
    return None


def sekolahku_page_kind(url: str, html: str) -> str | None:
    """CMS Sekolahku serves posts only at /read/ID/slug; static pages share the route but list
    'Halaman Lainnya' (other pages) where posts list 'Tulisan Lainnya' (other posts)."""
    if not SEKOLAHKU_POST.match(urlsplit(url).path):
        return "static page"
    return "static page" if "Halaman Lainnya" in html else None
