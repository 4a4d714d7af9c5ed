"""extract_page: bytes and URL in, a Page (links, feeds, and the Article when the page is one) out."""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from scraper.article import Article
from scraper.extract import classify, content, dating, headline, language, profiles, site_profile, verdicts
from scraper.extract.bounds import parse_bounded
from scraper.extract.decode import decode_html_source
from scraper.extract.dom import inline_text, norm
from scraper.extract.metadata import Link, PageMeta, read_links, read_meta
from scraper.sites import same_site

_NOT_HTML_TYPES = (("rss", "feed"), ("atom", "feed"), ("xml", "feed"), ("json", "json"), ("image/", "binary"),
                   ("javascript", "script"), ("css", "stylesheet"), ("pdf", "binary"), ("octet-stream", "binary"))
_XML_ROOT = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|urlset|sitemapindex|rdf:RDF)\b",
                       re.DOTALL | re.IGNORECASE)
_META_REFRESH = re.compile(r"^\s*0\s*(?:[;,]|$)")
_LISTING_HEADINGS = ".page-title, .archive-title, .page-header h1, h1"
FOREIGN_AFTER_PAGES = 6   # pages of its site learned before a page sharing none of its template lines is foreign
_TEMPLATE_LINKS = f"{classify.MENU_LINKS}, header a[href], footer a[href]"


@dataclass(slots=True)
class Page:
    """Everything extraction learns from one fetched page."""

    source_url: str
    url: str
    cms: str
    article: Article | None = None
    reason: str | None = None
    links: list[Link] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    heading: str | None = None
    # the main text extraction read, kept whatever the verdict (None where the page was refused before reading)
    title: str | None = None
    body: str | None = None
    published: dating.DateEvidence | None = None  # the date evidence found, also on pages that are no article
    fingerprint: site_profile.Fingerprint | None = None  # what the page tells about its site (when asked)


class _Around(NamedTuple):
    """What the page shows around its text, read before menus and sidebars are removed."""

    in_menu: bool          # the site's menu links to the page (as menus do to static pages)
    furniture: bool        # tag or previous/next-post links (asked only when in_menu or wordpress_page)
    wordpress_page: bool   # WordPress's `page` kind (body class `page`, a `?page_id=` address)


def _not_html_reason(content: bytes, content_type: str | None) -> str | None:
    if not content[:4096].strip() and not content.strip():  # the full strip only when the start is blank
        return "empty"
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind and "html" not in kind:
        for marker, reason in _NOT_HTML_TYPES:
            if marker in kind:
                return reason
        if not kind.startswith("text/"):
            return "not html"
    head = content[:1024]
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)):
        return "binary"
    if _XML_ROOT.match(head):
        return "feed"
    stripped = head.lstrip()
    if stripped[:1] in (b"{", b"["):
        return "json"
    return None


def extract_page(content: bytes, url: str, *, tz: str = "Asia/Jakarta", content_type: str | None = None,
                 fetched_at: str | None = None, cms: str | None = None,
                 selectors: Mapping[str, str] | None = None, with_links: bool = True,
                 discovered: dating.DateHint | None = None, profile: site_profile.SiteProfile | None = None,
                 fingerprint: bool = False) -> Page:
    """Pure: bytes + URL (+ the HTTP Content-Type for the charset) → Page. Never raises on bad input.

    `with_links=False` leaves `links` empty for callers that only want the Article (`warta extract`).
    Selectors that are not valid CSS are ignored (config validation can use `valid_selector`).
    `discovered` is the date a feed, the REST API, a listing or a sitemap gave for this URL (README
    "Extraction": where it ranks, and why a feed or REST date makes a dateless post an article).
    `profile` is what the site's other pages taught (site_profile.SiteProfile: its template lines and date
    order); `fingerprint=True` fills `Page.fingerprint` so the caller can learn the profile from this page.
    """
    if reason := _not_html_reason(content, content_type):
        return Page(source_url=url, url=url, cms=cms or "generic", reason=reason)
    try:
        usable = {key: value for key, value in (selectors or {}).items() if valid_selector(value)}
        return _extract_html(*decode_html_source(content, content_type), url, tz=tz, fetched_at=fetched_at, cms=cms,
                             selectors=usable, with_links=with_links, discovered=discovered,
                             profile=profile, fingerprint=fingerprint)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, OverflowError,
            SelectolaxError) as exc:
        # Malformed input must never stop a crawl; the page is reported as unreadable instead.
        return Page(source_url=url, url=url, cms=cms or "generic", reason=f"unreadable: {exc}")


@lru_cache(maxsize=256)
def valid_selector(selector: str) -> bool:
    """Whether a CSS selector (a per-site hint from config) is one Lexbor can use."""
    try:
        LexborHTMLParser("<p></p>").css_first(selector)  # a fresh tree: extraction runs in worker threads
    except (SelectolaxError, ValueError):
        return False
    return bool(selector.strip())


def extract_article(content: bytes, url: str, **kw) -> Article | None:
    """The Article on the page, or None when it is not an article (see extract_page)."""
    return extract_page(content, url, **kw).article


def _listing_heading(tree: LexborHTMLParser) -> str | None:
    node = tree.css_first(_LISTING_HEADINGS)
    return inline_text(node) or None if node is not None else None


def _canonical(meta: PageMeta, url: str) -> str:
    """rel=canonical within the site (unless it claims an inner page is the home page), else the given URL
    without its fragment.

    A page given without a web address (a saved file's file: URL) takes its canonical link wherever it points.
    """
    web = url.startswith(("http://", "https://"))
    if meta.canonical and (same_site(meta.canonical, url) or not web):
        if web and classify.is_home_url(meta.canonical) and not classify.is_home_url(url, any_query=True):
            return url.split("#", 1)[0]  # themes that print the home page as every page's canonical
        return meta.canonical
    return url.split("#", 1)[0]


def _extract_html(html: str, utf8: bytes | None, url: str, *, tz: str, fetched_at: str | None, cms: str | None,
                  selectors: Mapping[str, str], with_links: bool, discovered: dating.DateHint | None,
                  profile: site_profile.SiteProfile | None, fingerprint: bool) -> Page:
    tree = parse_bounded(html, utf8)
    meta = read_meta(tree, url)
    page = Page(source_url=url, url=_canonical(meta, url), cms=cms or profiles.detect_cms(meta, html),
                links=read_links(tree, meta.base_url) if with_links else [], feeds=meta.feeds)
    titles = (meta.title, meta.meta.get("og:title", ""))
    keys = site_profile.page_keys(tree, titles) if fingerprint else None
    if keys is not None:
        page.fingerprint = site_profile.fingerprint(keys, html if utf8 is None else utf8)
    if _META_REFRESH.match(meta.meta.get("refresh", "-")):
        page.reason = "redirect"
        return page
    # read before the menus go: on a page in Japanese or Chinese they tell the site's script (verdicts.Setting)
    around = _template_links_text(tree) if verdicts.cjk_title(meta.title or "") else None
    page.reason = verdicts.placeholder_reason(html, tree, utf8) or _page_reason(page, meta, html)
    template = site_profile.Template()
    if read := page.reason is None:
        content.remove_invisible(tree)
        in_menu = tree.body is not None and classify.linked_from_menu(tree.body, meta.base_url,
                                                                      {page.url, page.source_url})
        wordpress_page = classify.is_wordpress_page(meta.body_classes if page.cms == "wordpress" else frozenset(),
                                                    page.url)
        # tag and previous/next links are read before the nav goes, and only where they can decide
        furniture = (in_menu or wordpress_page) and tree.body is not None and classify.has_post_furniture(tree.body)
        content.remove_widgets(tree, content.remove_noise(tree))
        if keys is None and profile is not None:  # read after cleaning: fewer nodes, the same keys for the rest
            keys = site_profile.page_keys(tree, titles)
        template = site_profile.page_template(keys or {}, profile)
        page.article, page.reason = _article(tree, meta, page, tz, fetched_at, selectors, discovered,
                                             _Around(in_menu, furniture, wordpress_page), profile, template)
        if page.article is None and page.body:   # (an article's body was read so already)
            page.body = content.without_timestamps(page.body) or None
    setting = None if around is None else verdicts.Setting(
        " ".join([around, *template.lines]), _html_lang(tree), urlsplit(page.url).hostname or "",
        foreign=read and profile is not None and profile.pages >= FOREIGN_AFTER_PAGES and not template.lines)
    page.article, page.reason = verdicts.screen_spam(page.article, page.reason, meta.title or "", setting)
    if page.article is None:
        page.heading = _listing_heading(tree)
    return page


def _with_lead(body: str, region: LexborNode, title: headline.TitleChoice, meta: PageMeta) -> str:
    """The body with the lead above its region put first (see content.lead_above), when it does not hold it."""
    description = meta.meta.get("og:description") or meta.meta.get("description") or ""
    lead = content.lead_above(region, title.node, description)
    if lead is None:
        return body
    text = content.body_text(lead, title.text)
    return f"{text}\n\n{body}" if text and norm(text)[:content.LEAD_CHARS] not in norm(body) else body


def _template_links_text(tree: LexborHTMLParser) -> str:
    """The text of the page's menu, header and footer links (read before they are removed)."""
    return " ".join(link.text(deep=True) or "" for link in tree.css(_TEMPLATE_LINKS))


def _html_lang(tree: LexborHTMLParser) -> str | None:
    root = tree.css_first("html")
    return root.attributes.get("lang") if root is not None else None


def _page_reason(page: Page, meta: PageMeta, html: str) -> str | None:
    """Reasons known before the article is read: platform routes, WordPress body classes, URL shape."""
    if not page.url.startswith(("http://", "https://")):
        return None  # a saved file without its address: only the content can tell
    if page.cms == "sekolahku":
        return classify.url_reason(page.url, page.cms) or profiles.sekolahku_page_kind(page.url, html)
    if page.cms == "wordpress" and (reason := classify.wordpress_reason(meta.body_classes)):
        return reason
    if classify.has_article_markup(meta):
        return None
    if page.cms == "blogger" and profiles.BLOGGER_POST.match(urlsplit(page.url).path):
        return None
    return classify.url_reason(page.url, page.cms)


def _article(tree: LexborHTMLParser, meta: PageMeta, page: Page, tz: str, fetched_at: str | None,
             selectors: Mapping[str, str], discovered: dating.DateHint | None, around: _Around,
             profile: site_profile.SiteProfile | None, template: site_profile.Template
             ) -> tuple[Article | None, str | None]:
    """The Article, or None and the reason the page's content says it is not one.

    `around`: what was read before the menus went (see _Around)."""
    root = tree.body
    if root is None:
        return None, "empty"
    names = headline.site_names([meta.meta.get("og:site_name", ""), meta.meta.get("application-name", "")],
                               headline.home_links(tree, meta.base_url), page.url)  # cleaned tree: same in both modes
    og_title = meta.meta.get("og:title", "")
    if site_profile.template_title(og_title, profile):
        og_title = ""  # the same on every page: it names the site
    title = headline.find_title(tree, meta.title, og_title, names, selectors.get("title"), template.nodes,
                                site_profile.template_title(meta.title, profile))
    chosen: LexborNode | None = tree.css_first(selectors["body"]) if selectors.get("body") else None
    block = chosen or content.find_main_block(root, title.node)
    if block is not None:
        # a configured body selector is taken as it is; a found block is joined with the rest of its story
        story = content.MainText(block, block) if chosen is not None else content.story_region(block, title.node)
        body = content.body_text(story.region, title.text, story.skip)
        if chosen is None:
            body = _with_lead(body, story.region, title, meta)
        if template.lines:  # a template line the block starts with (a welcome banner) is not the story
            body = site_profile.trim_template(body, template.lines)
        page.body = body or None
    page.title = title.text or None   # read (with the body) before the verdicts below, which keep both
    if not title.text:
        return None, "untitled"
    if norm(title.text) in names:
        return None, "home"
    if block is None:
        return None, classify.text_reason(title.text, "") or "empty"
    marked_up = classify.has_article_markup(meta)
    if reason := classify.text_reason(title.text, body, marked_up):
        return None, reason
    container = content.article_container(title.node, block)
    if dating.epoch_placeholder(container, block):
        return None, "soft 404"
    page_urls = {page.url, page.source_url}
    ref = dating.capture_reference(fetched_at)
    month_first = profile is not None and profile.month_first_dates
    body, leading = dating.split_leading_meta(body, tz, ref, month_first)
    page.body = body or None
    if not body:                      # nothing but date and author lines (found by fuzzing)
        return None, "empty"
    published, modified = dating.published_date(meta, container, block, title.node, body, page.url, page_urls, tz,
                                                leading, ref, discovered, root=root, template=template.nodes,
                                                month_first=month_first)
    if selectors.get("date") and (node := tree.css_first(selectors["date"])) is not None:
        published = dating.evidence_from_text(inline_text(node), "label", tz, month_first) or published
    body = content.without_timestamps(dating.without_date_line(body, published))
    page.body = body
    page.published = published
    if not marked_up or around.wordpress_page:
        # a byline counts only where the menu or WordPress's page kind speaks against a story
        doubted = around.in_menu or around.wordpress_page
        dated = published is not None and not published.weak
        evidence = classify.Evidence(
            listed_as_post=discovered is not None and discovered.lists_posts, dated=dated,
            shown_date=dated and (published.source != "jsonld" or meta.jsonld_article is not None
                                  # WordPress's SEO plugins print this meta on posts only, never on pages
                                  or "article:published_time" in meta.meta),
            # JSON-LD that is not article-typed dates every WebPage, so only meta and <time> count as strong
            strong_date=published is not None and published.source in ("meta", "time"),
            marked_up=meta.jsonld_article is not None,
            byline=doubted and classify.has_byline(container, published.text if published else None),
            furniture=around.furniture, story=around.wordpress_page and classify.is_story(body, paragraphs=3),
            wordpress_page=around.wordpress_page, in_menu=around.in_menu)
        if reason := _shape_reason(root, title, block, story.region, body, meta.base_url, page.url, page_urls,
                                   evidence):
            return None, reason
    skip = frozenset({block.mem_id} | ({title.node.mem_id} if title.node is not None else set()))
    categories, tags = profiles.categories_and_tags(container, skip, meta, page.cms, selectors.get("category"))
    if page.cms == "sekolahku":
        categories, tags = [], []  # not printed on CMS Sekolahku article pages; the crawler adds them
    article = Article(
        url=page.url, site=(urlsplit(page.url).hostname or ""), title=title.text,
        published=published.value if published else None,
        published_source=published.source if published else None,
        published_text=published.text if published else None,
        modified=modified.value if modified else None,
        categories=categories, tags=tags,
        author=profiles.author_of(meta, container, published.text if published else None, page.cms),
        body=body, language=language.detect_language(title.text, body), cms=page.cms,
        source_url=page.source_url, fetched_at=fetched_at)
    return article, None


def _shape_reason(root: LexborNode, title: headline.TitleChoice, block: LexborNode, region: LexborNode, body: str,
                  base_url: str, page_url: str, page_urls: set[str], evidence: classify.Evidence) -> str | None:
    """For pages without article markup, and WordPress pages: static pages, listings, and dateless pages that
    do not read as a story (classify.Evidence: what the page and the crawl show). `region`: the block joined
    with the rest of its story, which on a listing of long excerpts spans several of them."""
    if reason := classify.static_reason(title.text, evidence):
        return reason
    untitled = title.node is None or classify.links_elsewhere(title.node, base_url, page_urls)
    teasers = classify.teaser_count(root, page_url)
    # (a dated story's rails of other headlines do not make it a listing, nor a post's the crawl was given as one)
    beside = (evidence.dated or evidence.listed_as_post) and classify.story_beside_teasers(block, body, page_url)
    if teasers >= 3 and untitled and not beside \
            or classify.is_excerpt(block, title.node, base_url, page_urls) \
            or classify.cut_excerpts(region, title.node, base_url, page_urls) \
            or classify.loose_teasers(block, base_url, page_urls) >= 3:
        return "listing"
    # a sitemap lists every page, so its lastmod alone never makes a page an article
    if evidence.listed_as_post or evidence.dated or evidence.wordpress_page:
        return None   # (a WordPress page that static_reason let through reads as a story with a post's signs)
    # no date anywhere: the page's own shape decides (a headline on the page above a story, or a longer story
    # under a headline the page prints in no heading or title-like element)
    story = classify.is_story(body) if title.node is not None else classify.is_story(body, paragraphs=4)
    return None if story else "no publication date"
