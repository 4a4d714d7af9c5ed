"""Where a site lists its posts: sitemaps, feeds, the WordPress REST API and CMS Sekolahku listings.

Pure parse functions (bytes in, URLs with hints out) so they are tested without a network; the discovery steps
(`scraper.crawl.sources`) fetch what they parse, the frontier (`scraper.crawl.frontier`) decides what to queue.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import re
import string
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import DateHint
from scraper.extract.dating import POST_SOURCES

MAX_SITEMAP_BYTES = 50_000_000   # the sitemaps.org limit for an uncompressed sitemap
REST_PAGE_SIZE = 100
# A document type declaration: sitemaps and feeds never need one, and its internal subset is where XML bombs
# (entities expanding to gigabytes) and external entities (file:///etc/passwd) live. Removed before parsing.
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*(?:\[[^\]]*\])?\s*>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Lead:
    """A URL a discovery source pointed at, with what the source said about it."""

    url: str
    source: str                          # sitemap, feed, api, listing, link
    lastmod: str | None = None           # the source's modified/updated date, compared between runs
    categories: tuple[str, ...] = ()     # categories the source assigns (REST, Sekolahku listings)
    published: str | None = None         # the source's publication date as printed (feed, REST `date`)

    def date_hint(self) -> DateHint | None:
        """What the source says about the page's publication date, for extraction (a sitemap's `lastmod`
        is passed as its weak hint). A feed, the REST API or a listing lists posts only: their entry is
        passed without a date too, so a post whose page prints no date is still read as an article."""
        stamp = self.lastmod if self.source == "sitemap" else self.published
        if stamp or self.source in POST_SOURCES:
            return DateHint(self.source, stamp or "")
        return None


def parse_sitemap(content: bytes) -> tuple[list[Lead], list[str]]:
    """Page leads and nested sitemap URLs of a sitemap or sitemap index (gzip or plain XML)."""
    content = _without_doctype(_gunzip(content))
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError:
        locs = [m.decode("utf-8", "replace").strip() for m in re.findall(rb"<loc>\s*([^<]+?)\s*</loc>", content)]
        is_index = b"<sitemapindex" in content[:2000]
        return ([], locs) if is_index else ([Lead(u, "sitemap") for u in locs], [])
    pages: list[Lead] = []
    children: list[str] = []
    for entry in root:
        fields = {_local(child.tag): (child.text or "").strip() for child in entry}
        loc = fields.get("loc")
        if not loc:
            continue
        if _local(root.tag) == "sitemapindex":
            children.append(loc)
        else:
            pages.append(Lead(loc, "sitemap", lastmod=fields.get("lastmod") or None))
    return pages, children


def _without_doctype(content: bytes) -> bytes:
    head = content[:65_536]
    return _DOCTYPE.sub(b"", head, count=1) + content[65_536:] if b"<!" in head else content


def _gunzip(content: bytes) -> bytes:
    if content[:2] != b"\x1f\x8b":
        return content
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(content)) as stream:
            return stream.read(MAX_SITEMAP_BYTES)
    except (OSError, EOFError):
        return b""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_feed(content: bytes, base_url: str) -> list[Lead]:
    """Entry links of an RSS or Atom feed; `lastmod` is the entry's updated (else published) text as given,
    `published` its published text (RSS `pubDate`)."""
    content = _without_doctype(content)
    plain = _plain_rss(content, base_url)
    return plain if plain is not None else _feedparser_leads(content, base_url)


def _feedparser_leads(content: bytes, base_url: str) -> list[Lead]:
    """`parse_feed` by feedparser, which reads any feed, broken ones too."""
    import feedparser  # here: its import (~45 ms) is paid only by a run that meets a feed the fast path leaves

    parsed = feedparser.parse(content)
    leads = []
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id")
        if not link:
            continue
        # dict.get: feedparser's own get() maps a missing `updated` to `published` with a warning
        stamp = dict.get(entry, "updated") or dict.get(entry, "published")
        published = dict.get(entry, "published")
        leads.append(Lead(urljoin(base_url, link), "feed", lastmod=stamp,
                          published=published if isinstance(published, str) else None))
    return leads


# An RSS item's children that feedparser reads as dates besides `pubDate`: items carrying one take its path.
_OTHER_DATES = frozenset({"date", "updated", "modified", "issued", "created", "published"})


def _plain_rss(content: bytes, base_url: str) -> list[Lead] | None:
    """`parse_feed`'s leads of a well-formed RSS 2.0 feed whose items each give a `<link>` and no date but
    `<pubDate>` (what WordPress, CMS Sekolahku and most CMSes print), read by expat at C speed: feedparser takes
    ~3 ms a feed for what this reads in 0.05 ms (a recording holds dozens of category feeds). None for any
    other feed, which feedparser reads as before."""
    if b"<rss" not in content[:1024]:
        return None
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError:
        return None
    leads = []
    for item in root.iter("item"):
        link, published = None, None
        for child in item:
            name = _local(child.tag).lower()
            if child.tag == "link":
                link = (child.text or "").strip()
            elif child.tag == "pubDate":
                published = (child.text or "").strip() or None
            elif name in _OTHER_DATES or name == "link":
                return None
        if not link:
            return None
        leads.append(Lead(urljoin(base_url, link), "feed", lastmod=published, published=published))
    return leads


def feed_candidates(site_url: str, declared: list[str], cms: str | None) -> list[str]:
    """Post feeds to read: those the home page declares (minus comment feeds), else the CMS default."""
    feeds = [u for u in declared if "comment" not in u.lower()]
    if feeds:
        return feeds
    defaults = {"wordpress": "feed/", "blogger": "feeds/posts/default", "sekolahku": "feed"}
    return [urljoin(site_url, defaults[cms])] if cms in defaults else []


def sitemap_candidates(site_url: str, from_robots: list[str], cms: str | None) -> list[str]:
    """Sitemaps to try in order: robots.txt `Sitemap:` lines, else the usual locations for the CMS."""
    if from_robots:
        return list(dict.fromkeys(from_robots))
    if cms == "sekolahku":
        return []                                   # CMS Sekolahku has no sitemap
    if cms == "wordpress":
        # plain-permalink WordPress answers /wp-sitemap.xml with a redirect; ?sitemap=index always works
        return [urljoin(site_url, "wp-sitemap.xml"), urljoin(site_url, "?sitemap=index")]
    return [urljoin(site_url, p) for p in ("sitemap.xml", "sitemap_index.xml")]


def wordpress_api_root(headers: dict[str, str], content: bytes, site_url: str) -> str | None:
    """The REST API root a WordPress page advertises (Link header or <link rel="https://api.w.org/">)."""
    match = re.search(r'<([^>]+)>\s*;\s*rel="https://api\.w\.org/"', headers.get("link", ""))
    if match:
        return urljoin(site_url, match.group(1))
    match = re.search(rb'<link[^>]+rel=["\']https://api\.w\.org/["\'][^>]*href=["\']([^"\']+)', content[:200_000])
    return urljoin(site_url, match.group(1).decode("utf-8", "replace")) if match else None


def wp_rest_url(api_root: str, route: str, page: int = 1) -> str:
    """URL of a REST collection (`wp/v2/posts`, `wp/v2/categories`) under `api_root`, 100 items a page.

    Works for both forms: pretty `/wp-json/` roots and plain-permalink `?rest_route=/` roots.
    """
    parts = urlsplit(api_root)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    paging = {"per_page": str(REST_PAGE_SIZE), **({"page": str(page)} if page > 1 else {})}
    if "rest_route" in params:
        query = urlencode({"rest_route": "/" + route, **paging}, safe="/")
        path = parts.path.removesuffix("index.php")      # `/?rest_route=` works on every WordPress
        return urlunsplit((parts.scheme, parts.netloc, path, query, ""))
    return urljoin(api_root.rstrip("/") + "/", route) + "?" + urlencode(paging)


def parse_wp_categories(content: bytes) -> dict[int, str]:
    """Category id → name from a `wp/v2/categories` response (empty on anything unexpected)."""
    rows = _json_list(content)
    return {row["id"]: _unescape(row["name"]) for row in rows
            if isinstance(row.get("id"), int) and isinstance(row.get("name"), str)}


def parse_wp_posts(content: bytes, categories: dict[int, str]) -> list[Lead]:
    """Post leads from a `wp/v2/posts` response (a list, or the one post of `wp/v2/posts/ID`): `link`,
    `modified` as lastmod, `date` (the site's local time) as published, category names."""
    data = _json(content)
    rows = [row for row in data if isinstance(row, dict)] if isinstance(data, list) else \
        [data] if isinstance(data, dict) else []
    leads = []
    for row in rows:
        link = row.get("link")
        if not isinstance(link, str):
            continue
        listed = row.get("categories")   # a broken or hostile API may send anything here (found by hypothesis)
        names = tuple(categories[c] for c in listed if isinstance(c, int) and c in categories) \
            if isinstance(listed, list) else ()
        stamp = row.get("modified_gmt") or row.get("modified")
        published = row.get("date")
        leads.append(Lead(link, "api", lastmod=stamp if isinstance(stamp, str) else None, categories=names,
                          published=published if isinstance(published, str) else None))
    return leads


def _json(content: bytes) -> object:
    """The decoded JSON document, or None when `content` is not JSON."""
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None


def _json_list(content: bytes) -> list[dict]:
    data = _json(content)
    return [row for row in data if isinstance(row, dict)] if isinstance(data, list) else []


def _unescape(text: str) -> str:
    return html.unescape(text).strip()


@dataclass(frozen=True, slots=True)
class SekolahkuListing:
    """What a CMS Sekolahku `/kategori/slug` page says: its category, its posts and how many AJAX pages."""

    category: str | None
    category_slug: str | None
    post_urls: list[str]
    total_pages: int


def parse_sekolahku_listing(content: bytes, url: str) -> SekolahkuListing:
    """Read a CMS Sekolahku listing: the `h5.page-title` heading, the post cards and `total_page`."""
    tree = LexborHTMLParser(content)
    heading = tree.css_first("h5.page-title")
    links = [a.attributes.get("href") or "" for a in tree.css("div.card.posts .card-title a")]
    match = re.search(r"/kategori/([^/?#]+)", url)
    total = re.search(rb"var\s+total_page\s*=\s*[\"']?(\d+)", content)
    category = heading.text(strip=True) if heading is not None else None
    return SekolahkuListing(
        category=category_name(category) if category else None,
        category_slug=match.group(1) if match else None,
        post_urls=[urljoin(url, link) for link in links if link],
        total_pages=int(total.group(1)) if total else 1,
    )


def category_name(heading: str) -> str:
    """`KEGIATAN SISWA` (Sekolahku prints headings upper-cased) → `Kegiatan Siswa`."""
    return string.capwords(heading.strip().lower()) if heading.isupper() else heading.strip()


SEKOLAHKU_CATEGORY_POSTS = "public/post_categories/get_posts"


def sekolahku_page_request(site_url: str, category_slug: str, page: int) -> tuple[str, dict[str, str]]:
    """URL and form of the AJAX POST that returns page `page` of a Sekolahku category."""
    return urljoin(site_url, SEKOLAHKU_CATEGORY_POSTS), {"category_slug": category_slug, "page_number": str(page)}


def parse_sekolahku_rows(content: bytes, site_url: str, category: str | None) -> list[Lead]:
    """Post leads from the JSON `{"rows": [{id, post_slug, ...}]}` a Sekolahku AJAX page returns."""
    data = _json(content)
    rows = data.get("rows") if isinstance(data, dict) else None
    leads = []
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and str(row.get("id", "")).isdigit():
            url = urljoin(site_url, f"read/{row['id']}/{row.get('post_slug') or ''}")
            leads.append(Lead(url, "listing", categories=(category,) if category else ()))
    return leads
