"""Article or not: home pages, listings, archives, static pages, search results and soft 404s are not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import parse_qs, urlsplit

from selectolax.lexbor import LexborNode

from scraper.dates import CJK_LETTERS
from scraper.extract.content import is_ancestor
from scraper.extract.dom import BLOCK_TAGS, CELL_TAGS, HEADINGS, ancestors, class_and_id, iter_subtree
from scraper.extract.metadata import PageMeta, absolute_url
from scraper.lazy_pattern import LazyPattern
from scraper.sites import same_site

_HOME_PATHS = frozenset({"", "/", "/index.php", "/index.html", "/index.htm", "/home", "/beranda"})
_LISTING_PATH = re.compile(
    r"/(?:category|categories|kategori|tag|tags|label|arsip|archives?|author|penulis|page|halaman|search|cari|"
    r"hasil-pencarian|topik|rubrik|feed|rss)(?:/|$)|/search/label/|/(?:19|20)\d{2}(?:/\d{1,2}){0,2}/?$|"
    r"/\d{4}_\d{2}_\d{2}_archive\.html$|/(?:berita|news|artikel|blog|post|posts|pengumuman)/?$",
    re.IGNORECASE)
_SEARCH_PATH = re.compile(r"/(?:search|cari|pencarian|hasil-pencarian)/?$", re.IGNORECASE)
_LISTING_QUERY = frozenset({"cat", "tag", "s", "m", "author", "paged", "category_name", "search", "q",
                            "updated-max", "max-results", "label"})
_SEARCH = re.compile(r"(?:\bhasil pencarian\b|\bsearch results?\b|\bpencarian\b.{0,20}\bkata kunci\b)", re.I)
_NOT_FOUND = re.compile(r"\b(?:404|not found|tidak ditemukan|nothing found|halaman tidak ada|page not found|"
                        r"can[’']t be found|tidak dapat ditemukan|no longer available)\b", re.IGNORECASE)
# Titles of the static pages every school site has (profile, vision, contact, directories, galleries...).
_STATIC_WORDS = re.compile(
    r"\b(?:profil|profile|visi|misi|kontak|contact|hubungi|about|tentang|sejarah|struktur|organisasi|sambutan|"
    r"galeri|gallery|direktori|fasilitas|sarana|prasarana|ekstrakurikuler|ekskul|alamat|lokasi|peta|sitemap|"
    r"login|masuk|formulir|download|unduh|privacy|kebijakan|identitas|program keahlian|jurusan|"
    r"kompetensi keahlian|akreditasi|tata tertib|ppdb online|spmb online|data guru|guru dan karyawan|"
    r"tenaga kependidikan|kata pengantar|guru dan staf|guru & staf|staf pengajar|daftar guru|"
    r"denah|kurikulum sekolah)\b", re.IGNORECASE)
_WP_NOT_ARTICLE = (("error404", "soft 404"), ("search", "search results"), ("home", "home"), ("blog", "home"),
                   ("category", "listing"), ("tag", "listing"), ("date", "listing"), ("author", "listing"),
                   ("archive", "listing"), ("attachment", "attachment"))
# A paragraph of running prose: long enough to be a sentence or more, ending like one.
_PROSE_CHARS = 60          # at least this long (in Latin letters' worth) ...
_LONG_PROSE_CHARS = 300    # ... and one this long counts for two
# (Latin sentence ends and closing quotes, «guillemets» both ways, CJK, Arabic script, the danda of Indic scripts
# and Burmese; a set of characters: a regex class beyond Latin-1 is slow to search)
_PROSE_ENDS = frozenset(".!?…\"'”’»«)]。！？」』）؟۔।॥။")
MENU_LINKS = ("nav a[href], [role=navigation] a[href], [class*=menu] a[href], [id*=menu] a[href], "
               "[class*=nav] a[href], [id*=nav] a[href]")   # nav, navbar, topnav, navigasi
_BREADCRUMB = re.compile(r"breadcrumb|crumbs|trail")
# (`lang` followed by a word's end, not `langkah`)
_LANGUAGE_MENU = re.compile(r"lang(?:uages?)?(?:[\s_-]|nav|switch|select|$)|polylang|wpml|translat")
_UNSAFE_IN_SELECTOR = re.compile(r"[\"\\\n\r\f]")
MIN_BODY_CHARS = 80
MIN_MARKED_UP_BODY_CHARS = 15
_HEADING_NAMES = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TEASER_CHARS = 700
_INTRO_CHARS = 200   # text a listing prints above its first teaser (a category's description)
# an excerpt cut short by the CMS: a word run into an ellipsis at the end of its paragraph (`Humas SMK Bhakti...`)
_CUT_EXCERPT = re.compile(r"\w(?:\.{3}|…)[ \t]*(?:\n|$)")
# A teaser set loose in a cell (old CMSes): a line that is one linked headline of a few words, then its date and
# blurb, shorter than this, before the next one
_LOOSE_HEADLINE_CHARS = 15
_LOOSE_BLURB_CHARS = (40, 400)
_BYLINE_WORDS = LazyPattern(r"\b(?:oleh|by|penulis|ditulis|author|pengirim)\b", re.IGNORECASE)
_BYLINE_NODES = '[rel~="author"], [itemprop~="author"], [class*="author"], [class*="byline"]'
_FURNITURE = 'a[rel~="tag"], a[rel~="prev"], a[rel~="next"]'
_MENU_LABEL_WORDS = 6   # `Visi dan Misi`, `Sambutan Kepala Sekolah`; headlines run longer


@cache
def _cjk_letters() -> re.Pattern[str]:
    # compiled on first use: re builds a class this far beyond Latin-1 one code point at a time (~6 ms), and
    # text that is all ASCII (most titles and paragraphs of Latin-script pages) never needs it
    return re.compile(f"[{CJK_LETTERS}]")


def cjk_count(text: str) -> int:
    """How many Japanese, Chinese and Korean characters `text` holds."""
    return 0 if text.isascii() else len(_cjk_letters().findall(text))


def is_home_url(url: str, *, any_query: bool = False) -> bool:
    """Whether the URL is a site's home page (`/`, `/index.php`; without a query unless `any_query`)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.path in _HOME_PATHS and (any_query or not parts.query)


def url_reason(url: str, cms: str) -> str | None:
    """What the URL alone says a page is not (home, listing, search, static, feed), or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    query = parse_qs(parts.query)
    path = parts.path
    if cms == "blogger" and path.startswith("/p/"):
        return "static page"
    if "feed" in query or path.rstrip("/").endswith(("/feed", "/rss", ".xml", ".rss", "/atom")):
        return "feed"
    if _LISTING_QUERY & query.keys() and "p" not in query:
        return "search results" if {"s", "q", "search"} & query.keys() else "listing"
    if path in _HOME_PATHS and not query:
        return "home"
    if _LISTING_PATH.search(path):
        return "search results" if _SEARCH_PATH.search(path) else "listing"
    return None


def wordpress_reason(body_classes: frozenset[str]) -> str | None:
    """WordPress's `body_class()`: `single` for posts; home, archive, search, error404 for the rest (a `page`
    is judged on what it shows: see is_wordpress_page)."""
    if "single" in body_classes or "single-post" in body_classes:
        return None
    for css_class, reason in _WP_NOT_ARTICLE:
        if css_class in body_classes:
            return reason
    return None


def is_wordpress_page(body_classes: frozenset[str], url: str) -> bool:
    """A WordPress `page` (body class `page`, or a `?page_id=` address) rather than a post: on a school site
    mostly a static page, but also where some sites publish their stories, so it is judged on what it shows."""
    if "single" in body_classes or "single-post" in body_classes:
        return False
    try:
        query = parse_qs(urlsplit(url).query)
    except ValueError:
        query = {}
    return "page" in body_classes or "page_id" in query


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a page without article markup (or a WordPress page) shows of being a story or a static page."""

    listed_as_post: bool    # a feed, the REST API or a listing lists the URL (they list posts only)
    dated: bool             # a publication date the page itself shows (not a sitemap's lastmod, not a widget's)
    shown_date: bool        # … and not only an SEO plugin's WebPage JSON-LD, which dates every page
    strong_date: bool       # … printed as `article:published_time` meta or a <time> element
    marked_up: bool         # JSON-LD typing it an article
    byline: bool            # an author named by the headline (rel=author, `oleh …`; asked where in_menu or a page)
    furniture: bool         # what only posts carry: tag links, links to the previous/next post
    story: bool             # several paragraphs of running prose (asked of WordPress pages, where it decides)
    wordpress_page: bool    # WordPress's `page` body class or a `?page_id=` address
    in_menu: bool           # the site's menu links to it under a short label


# a page of WordPress's `page` kind is a story only when the page shows this many signs of one besides its text
_PAGE_SIGNS = 2


def static_reason(title: str, evidence: Evidence) -> str | None:
    """"static page" when the title and what the page shows make it one of a site's fixed pages, else None.

    A URL a feed, the REST API or a listing gives as a post is never one. A short title naming a static page
    (`Profil`, `Visi dan Misi`) needs a machine-readable date to be news. A WordPress page is a story only with
    text that reads as one, a title that names no static page and two signs of a post (a date, a byline, tag or
    previous/next links, article markup, a headline-long title), and not under a short title the menu links to.
    A dateless page is static when its title opens with a static page's name (`Sejarah Singkat …`), or when the
    menu links to it, unless its title is a headline or it carries a post's byline or furniture."""
    if evidence.listed_as_post:
        return None
    named = opens_with_static_name(title)
    if is_static_title(title) and not evidence.strong_date:
        return "static page"
    headline = is_headline(title)
    if evidence.wordpress_page:
        # a theme may print its date line and author on every page: a short title the menu carries stays static
        signs = (evidence.shown_date, evidence.byline, evidence.furniture, evidence.marked_up, headline)
        menu_label = evidence.in_menu and not headline
        return None if evidence.story and not named and not menu_label and sum(signs) >= _PAGE_SIGNS \
            else "static page"
    if evidence.dated or evidence.marked_up:
        return None
    if evidence.in_menu and not (headline or evidence.furniture or evidence.byline):
        return "static page"
    return "static page" if named or names_static_page(title) else None


def is_headline(title: str) -> bool:
    """A title longer than a menu label (`Visi dan Misi`, `Sambutan Kepala Sekolah`) that names no static page."""
    return len(title.split()) > _MENU_LABEL_WORDS and not opens_with_static_name(title)


def opens_with_static_name(title: str) -> bool:
    """Whether the title opens with the name of a static page, however long (`Sejarah Singkat SMA Negeri 1`)."""
    return bool(_STATIC_WORDS.match(title.strip()))


def has_byline(container: LexborNode, date_text: str | None) -> bool:
    """Whether an author is named by the headline: in the date line (`Diposting oleh Admin`, `by Jane`) or an
    author link or element in the article (static pages name nobody)."""
    return bool(date_text and _BYLINE_WORDS.search(date_text)) or container.css_first(_BYLINE_NODES) is not None


def has_post_furniture(root: LexborNode) -> bool:
    """Whether the page carries what WordPress and most blogs print on posts only: links to the post's tags
    (`rel=tag`) and to the previous/next post (`rel=prev`, `rel=next`); a sidebar's tag cloud does not count."""
    for link in root.css(_FURNITURE):
        node = link.parent
        while node is not None and node.tag not in ("aside", "footer", "body"):
            node = node.parent
        if node is None or node.tag == "body":
            return True
    return False


def is_static_title(title: str) -> bool:
    """Short titles that open with the name of a school's static page (`Profil`, `Visi dan Misi`,
    `Hubungi Kami`); a news title merely mentioning one (`Kunjungan ke Galeri Nasional`) is not one."""
    return len(title.split()) <= 4 and bool(_STATIC_WORDS.match(title.strip()))


def names_static_page(title: str) -> bool:
    """A short title that names a static page anywhere (`Kata Sambutan Kepala Sekolah`, `Data Guru dan
    Karyawan`): stricter than is_static_title, for pages that have no date to show they are news."""
    return len(title.split()) <= 5 and bool(_STATIC_WORDS.search(title))


def teaser_count(root: LexborNode, page_url: str) -> int:
    """How many headings link to other pages of the site: the shape of a listing."""
    count = 0
    for link in root.css("h1 a[href], h2 a[href], h3 a[href], h4 a[href], h5 a[href], h6 a[href]"):
        href = link.attributes.get("href") or ""
        if href and not href.startswith("#") and (href.startswith("/") or same_site(href, page_url)):
            count += 1
    return count


def story_beside_teasers(block: LexborNode, body: str, page_url: str) -> bool:
    """Whether the headings linking elsewhere on an untitled page (a portal's rails of other stories) stand
    beside a story: the chosen block holds at most one of them and reads as four paragraphs of prose. A
    listing's block is its teasers, so there the headings are inside it. Asked of dated pages and of those a feed,
    the REST API or a listing gave as posts only: a dateless page of prose beside such headings is as often a
    static page (a programme's, a project's)."""
    return teaser_count(block, page_url) < 2 and is_story(body, paragraphs=4)


def links_elsewhere(heading: LexborNode, base_url: str, page_urls: set[str]) -> bool:
    """Whether the heading links to a page other than this one (an excerpt's title on a listing)."""
    link = heading.css_first("a[href]")
    target = absolute_url(base_url, link.attributes.get("href") or "") if link is not None else None
    return target is not None and target not in page_urls


def is_excerpt(block: LexborNode, title: LexborNode | None, base_url: str, page_urls: set[str]) -> bool:
    """Whether the chosen text block is an excerpt on a listing: it opens with headings linking to other pages
    and holds little text for each, or its parent opens with one (archive pages holding a single post)."""
    found, inside = _headings_linking_elsewhere(block, title, base_url, page_urls)
    if sum(inside) >= 2 or inside and inside[0]:
        # teasers are short and come first: an article holding linked headings (related stories, a list of
        # reviewed products each heading linking to its page, a section label) has far more text per link, or
        # opens with its own paragraph before them
        text = block.text(deep=True) or ""
        first = found[inside.index(True)].text(deep=True) or ""
        intro = text.find(first) if first.strip() else 0
        return len(text) < _TEASER_CHARS * sum(inside) and intro < _INTRO_CHARS
    if not inside:
        if title is not None and is_ancestor(block, title):
            return False   # the block holds its own headline: a heading before it is the site's (its logo's)
        # an archive page holding one post: the post's linked heading (or its entry header) just before the text
        before = _previous_element(block)
        heading = before if before is None or before.tag in _HEADING_NAMES else before.css_first(HEADINGS)
        if heading is not None and title is not None and is_ancestor(before, title):
            heading = title   # the headline in the entry header decides, not other headings printed beside it
        return heading is not None and links_elsewhere(heading, base_url, page_urls)
    return False


def cut_excerpts(region: LexborNode, title: LexborNode | None, base_url: str, page_urls: set[str]) -> bool:
    """Whether a story region (the chosen block joined with the rest of its story) is a run of excerpts the CMS
    cut, however long: two or more headings linking to other pages come first, and the text under each of them
    (but perhaps one) ends cut once or twice (`… Humas SMK Bhakti...`). A story's parts have no such cuts, and a
    story written with trailing ellipses has more of them under one heading."""
    found, inside = _headings_linking_elsewhere(region, title, base_url, page_urls)
    linked = [heading for heading, elsewhere in zip(found, inside, strict=True) if elsewhere]
    if len(linked) < 2:
        return False
    text = region.text(separator="\n")
    starts, position = [], 0
    for heading in linked:
        position = text.find(heading.text(separator="\n").strip(), position)
        if position < 0:
            return False
        starts.append(position)
    if len("".join(text[:starts[0]].split())) >= _INTRO_CHARS:   # (the markup's indentation is no intro)
        return False
    ends = [*starts[1:], len(text)]
    cuts = [len(_CUT_EXCERPT.findall(text, start, end)) for start, end in zip(starts, ends, strict=True)]
    return max(cuts) <= 2 and sum(1 for count in cuts if count) >= len(cuts) - 1


def _headings_linking_elsewhere(block: LexborNode, title: LexborNode | None, base_url: str,
                                page_urls: set[str]) -> tuple[list[LexborNode], list[bool]]:
    """The block's headings but the page's title, and for each whether it links to another page."""
    found = [heading for heading in block.css(HEADINGS) if title is None or heading.mem_id != title.mem_id]
    return found, [links_elsewhere(heading, base_url, page_urls) for heading in found]


def loose_teasers(block: LexborNode, base_url: str, page_urls: set[str]) -> int:
    """How many teasers the block prints as lines of loose text, as old CMSes print a listing in a table cell with
    `<br>`s and no headings: a line that is only a link to another page of the site (a headline, bold or not),
    followed by a short date and blurb before the next such line; 0 unless the block opens with them (a story
    with other stories' links after it, or with `Baca juga:` lines inside it, is no listing)."""
    lines: list[list[int]] = [[0, 0]]   # per line: characters of links elsewhere, characters of other text
    for node in iter_subtree(block, include_text=True, prune=lambda element: element.tag == "a"):
        tag = node.tag
        if tag == "a":
            text = len((node.text(deep=True) or "").strip())
            target = absolute_url(base_url, node.attributes.get("href") or "")
            elsewhere = target is not None and target not in page_urls and same_site(target, base_url)
            lines[-1][0 if elsewhere else 1] += text
        elif tag == "-text":
            lines[-1][1] += len((node.text_content or "").strip())
        elif (tag in BLOCK_TAGS or tag in CELL_TAGS) and lines[-1] != [0, 0]:
            lines.append([0, 0])
    count, intro, blurb = 0, 0, None
    for linked, other in lines:
        if linked >= _LOOSE_HEADLINE_CHARS and other <= 3:   # a headline line (a bullet or `|` at most besides)
            if blurb is not None:
                if not _LOOSE_BLURB_CHARS[0] <= blurb < _LOOSE_BLURB_CHARS[1]:
                    return 0
                count += 1
            elif intro >= _INTRO_CHARS:
                return 0
            blurb = 0
        elif blurb is None:
            intro += other
        else:
            blurb += other
    if blurb is not None and blurb >= _LOOSE_BLURB_CHARS[0]:
        count += 1   # the last one's blurb runs to the block's end, so it is not bounded
    return count


def _previous_element(node: LexborNode) -> LexborNode | None:
    sibling = node.prev
    while sibling is not None and not sibling.is_element_node:
        sibling = sibling.prev
    return sibling


def has_article_markup(meta: PageMeta) -> bool:
    """Structured data typing the page as an article (JSON-LD NewsArticle/BlogPosting, WordPress single)."""
    return meta.jsonld_article is not None or bool({"single", "single-post"} & meta.body_classes)


def text_reason(title: str, body: str, marked_up: bool = False) -> str | None:
    """Reasons visible in the text: empty pages, 'not found' pages, search result pages.

    A page marked up as an article may be a one-line announcement; anything else needs a paragraph.
    """
    if _NOT_FOUND.search(title) and len(body) < 1500:
        return "soft 404"
    if _SEARCH.search(title):
        return "search results"
    if len(body) < (MIN_MARKED_UP_BODY_CHARS if marked_up else MIN_BODY_CHARS):
        return "empty"
    return None


def is_story(body: str, paragraphs: int = 2) -> bool:
    """Whether the body reads as a story: `paragraphs` paragraphs of running prose, or one long one per two
    asked (not a list of names, a table of figures or a few captions)."""
    lengths = [_prose_length(part) for part in body.split("\n\n") if part and _ends_a_sentence(part[-1])]
    prose = [length for length in lengths if length >= _PROSE_CHARS]
    return len(prose) >= paragraphs or sum(length >= _LONG_PROSE_CHARS for length in prose) * 2 >= paragraphs


def _ends_a_sentence(char: str) -> bool:
    # a Japanese sentence written without 。 ends in the kana of a verb's or particle's ending (す, た, ね); Thai,
    # Lao and Khmer write no full stop at all (a space parts their sentences)
    return char in _PROSE_ENDS or "\u3041" <= char <= "\u309f" or "\u0e01" <= char <= "\u0eff" \
        or "\u1780" <= char <= "\u17ff"


def _prose_length(paragraph: str) -> int:
    """A paragraph's length in Latin letters' worth: a Japanese, Chinese or Korean character says about what
    two letters do (a sentence of 30 kanji is as long as one of 60 letters)."""
    return len(paragraph) + cjk_count(paragraph)


def linked_from_menu(root: LexborNode, base_url: str, page_urls: set[str]) -> bool:
    """Whether the site's menu links to this page (read before the menus are removed): a school site's menu
    leads to its static pages (profile, vision, staff), seldom to one news post. Breadcrumbs, which end at
    every page, do not count."""
    # a link can only lead here if its href holds the page's last path segment (or query): lexbor is asked for
    # those alone (a few a page), so a menu of hundreds of links costs no Python, and only they are checked to be
    # in a menu (MENU_LINKS' six scopes with each needle, matched against every node, cost more than the rest)
    needles = {_needle(url) for url in page_urls}
    if "" in needles or any(_UNSAFE_IN_SELECTOR.search(needle) for needle in needles):
        links = root.css(MENU_LINKS)
    else:
        links = [link for link in root.css(", ".join(f'a[href*="{needle}"]' for needle in needles)) if _in_menu(link)]
    for link in links:
        href = link.attributes.get("href") or ""
        # `…#` toggles a drop-down and an icon link names nothing: neither is a menu entry leading here; nor is
        # a headline (a list of recent or popular posts styled as a menu): static pages have short labels
        words = len((link.text(deep=True) or "").split())
        if "#" in href or not 0 < words <= _MENU_LABEL_WORDS:
            continue
        target = absolute_url(base_url, href)
        if target is not None and target in page_urls and not _leads_everywhere(link):
            return True
    return False


def _in_menu(link: LexborNode) -> bool:
    """Whether a link is one MENU_LINKS matches: below a `nav`, a `role=navigation`, or an element whose class or
    id holds `menu` or `nav` (in the letter case written, as lexbor compares them)."""
    return any(above.tag == "nav" or above.attributes.get("role") == "navigation" or any(
        word in (above.attributes.get(name) or "") for name in ("class", "id") for word in ("menu", "nav"))
        for above in ancestors(link))


def _needle(url: str) -> str:
    parts = urlsplit(url)
    return parts.path.rstrip("/").rsplit("/", 1)[-1] or parts.query


def _leads_everywhere(link: LexborNode) -> bool:
    """Whether a menu link to this page is one a menu prints on every page for that page: a breadcrumb's last
    step, or a language switcher's entry for the page in its own language (`hreflang`, `lang`, or a list
    named for languages: polylang, wpml's `wpml-ls`, `langnav`, `language-switcher`)."""
    if "hreflang" in link.attributes or "lang" in link.attributes:
        return True
    current = link.parent
    while current is not None and current.tag not in ("body", "html"):
        names = class_and_id(current)
        if _BREADCRUMB.search(names) or _LANGUAGE_MENU.search(names) or (
                current.attributes.get("aria-label") or "").lower() in ("breadcrumb", "breadcrumbs"):
            return True
        current = current.parent
    return False
