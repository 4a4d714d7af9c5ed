"""Listings of sites that announce nothing (no sitemap, no REST API): which links of a page are its posts, the
category the page stands for, the date printed on each post's card, its pagination and its POST "load more".

Pure: bytes and URL in, a Listing out; no script runs (a POST form or a button's data attributes say how the
next page is asked for). The crawler side is scraper/crawl/long_tail.py.
"""

from __future__ import annotations

import html
import json
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.crawl.discover import category_name
from scraper.crawl.urls import guess_kind, is_pagination, page_number
from scraper.dates import find_dates
from scraper.extract.bounds import parse_bounded
from scraper.extract.decode import decode_html
from scraper.extract.metadata import absolute_url
from scraper.sites import same_site

MIN_POSTS = 3                 # same-shaped title links that make a group of posts on a page not seen before
MIN_TITLE_WORDS = 4           # median words of a group's link texts: titles, not menu items
PAGE_FIELDS = ("hal", "halaman", "page", "page_number", "paged", "pg", "offset", "start")
_MODULE = re.compile(r"(?<![a-z])(berita|artikel|news|pengumuman|informasi|info|agenda|kegiatan|kategori|category|"
                     r"arsip|blog|warta|kabar|rubrik|kat|cat)(?![a-z])", re.I)
_CATEGORY_URL = re.compile(r"(?<![a-z])(kategori|category|cat|kat|catid|rubrik|id_kategori|kategori_id|topik)"
                           r"(?![a-z])", re.I)
# `Kategori: Prestasi`, `Arsip Kategori : Olahraga`, `Kategori Berita » Prestasi`, `Category Archives: Sports`
_LABELLED = re.compile(r"^\s*(?:arsip\s+)?(?:kategori|category|rubrik|topik)(?:\s+\w+)?\s*[:：»]\s*"
                       r"(?P<name>\S.{0,59}?)\s*$", re.I)
# what a listing of every post is called, or its menu link: the taxonomy's own name, not one of its categories
_NOT_A_CATEGORY = re.compile(r"^(?:(?:semua|all)\b.*|kategori|categories|category|rubrik|topik|arsip|archives?)$", re.I)
_TITLE_PARTS = re.compile(r"\s+(?:[|–—»]|::|-)\s+")
_READ_MORE = re.compile(r"^(baca\s*)?(selengkapnya|lanjut|lanjutkan|lebih lanjut|read more|more|detail|baca)"
                        r"\s*(»|›|>>|\.\.\.|…)?$", re.I)
_NEXT_TEXT = re.compile(r"^(next|selanjutnya|berikutnya|lanjut|older|sebelumnya|»|›|>|>>|next\s*»|berikut\s*»)$", re.I)
_MORE_TEXT = re.compile(r"more|lagi|lainnya|selanjutnya|berikutnya", re.I)
_SIDE = re.compile(r"(^|[-_])(sidebar|side|widgets?|aside|populer|popular|recent|latest|terbaru|terkini|lainnya|"
                   r"kanan|kiri|right|left)([-_]|$)", re.I)
_TAXONOMY_CLASS = re.compile(r"^(category|tag|kategori|label|post|type|format|status)-", re.I)  # WordPress post
_DATE_CLASS = re.compile(r"date|tanggal|tgl|time|waktu|posted|meta", re.I)
_HEADINGS = "h1, h2, h3, h4, caption, legend, .title, .judul"


@dataclass(frozen=True, slots=True)
class ListedPost:
    """A post a listing links: its URL, the link's text, the date printed on its card (as printed) and whether
    it sits in a side widget (latest/popular posts), whose posts are not the listing's own."""

    url: str
    title: str
    date: str | None = None
    aside: bool = False


@dataclass(frozen=True, slots=True)
class LoadMore:
    """A POST that asks for the next posts: its URL and form; `page_field` names the form field holding the page
    number (or offset), `total` the last page when the page says so."""

    url: str
    form: dict[str, str]
    page_field: str
    total: int | None = None
    from_form: bool = False      # a form: each answer shows the next form, no form means the last page

    def next(self, step: int = 1) -> LoadMore:
        """The same request for the following page."""
        value = int(self.form[self.page_field]) + step
        return LoadMore(self.url, {**self.form, self.page_field: str(value)}, self.page_field, self.total,
                        self.from_form)

    @property
    def number(self) -> int:
        """The page number (or offset) this request asks for."""
        return int(self.form[self.page_field])


@dataclass(slots=True)
class Listing:
    """What one page says as a listing."""

    category: str | None = None
    posts: list[ListedPost] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)              # its next pages (numbered and next links)
    first_pages: dict[str, str] = field(default_factory=dict)   # `…?hal=1` link → the listing it names (no hal)
    modules: list[tuple[str, str]] = field(default_factory=list)  # (url, link text) of menu links to listings
    areas: list[str] = field(default_factory=list)             # image-map links (menus drawn as a picture)
    load_more: LoadMore | None = None
    shapes: set[str] = field(default_factory=set)              # URL shapes of its posts (learned per site)


def url_shape(url: str, *, every_segment: bool = False) -> str:
    """A URL with its varying parts (numbers, slugs; with `every_segment`, every path segment) replaced by `*`:
    `/berita/detail.php?id=*`, `/html/berita/*.html`. The posts of one listing share a shape; menu links mostly
    do not."""
    parts = urlsplit(url)
    segments = parts.path.split("/")
    last = max((index for index, seg in enumerate(segments) if seg), default=0)   # `/slug/` ends in its slug
    shaped = [re.sub(r"^[^.]+", "*", seg) if every_segment else _wild(seg, last=index == last)
              for index, seg in enumerate(segments)]
    query = "&".join(f"{key}={'*' if re.search(r'[0-9]', value) else value}"
                     for key, value in sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return "/".join(shaped) + (f"?{query}" if query else "")


def _wild(segment: str, *, last: bool) -> str:
    stem, dot, extension = segment.rpartition(".") if "." in segment else (segment, "", "")
    if re.search(r"[0-9]", stem) or last and re.search(r"[-_+]", stem):
        return "*" + dot + extension
    return segment


def read_listing(content: bytes, url: str, *, tz: str, known_shapes: frozenset[str] = frozenset(),
                 led_by: str | None = None) -> Listing:
    """Read a page as a listing. `known_shapes` are post URL shapes learned on the site's other listings (a last
    page may list one post); `led_by` is the text of the link that led here (a menu's `Prestasi`)."""
    tree = parse_bounded(decode_html(_json_as_markup(content) or content))
    links = _links(tree, url)
    listing = Listing()
    post_nodes = _post_links(links, url, known_shapes, listing.shapes)
    owners = _owners(post_nodes)
    for post_url, nodes in post_nodes.items():
        card = _card(nodes[0], post_url, owners)
        title = _title(nodes)
        date = _card_date(card, title, tz) or _date_after(card, owners, tz)
        listing.posts.append(ListedPost(post_url, title, date, _in_side_widget(card)))
    listing.category = _category(tree, url, led_by)
    listing.pages = _pagination(links, url, set(post_nodes))
    listing.first_pages = {target: _without_page(target) for target, _ in links if page_number(target) == 1}
    listing.modules = [(link_url, _text(node)) for link_url, node in links
                       if link_url not in post_nodes and link_url != url and _is_module_link(link_url)]
    listing.areas = [link_url for link_url, node in links if node.tag == "area"]
    listing.load_more = _load_more(tree, url)
    return listing


_URL_KEYS = ("url", "link", "permalink", "href", "guid")
_TITLE_KEYS = ("title", "judul", "name", "nama", "post_title")
_DATE_KEYS = ("date", "tanggal", "tgl", "published", "created_at", "post_date", "created", "waktu")


def _json_as_markup(content: bytes) -> bytes | None:
    """A "load more" answer in JSON, as the markup it stands for: its HTML strings (`{"html": "<div>…"}`) and
    its rows of posts (`[{"url": …, "title": …, "date": …}]`) as cards; None when the answer is no JSON."""
    if content.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None
    parts: list[str] = []
    todo = [data]
    while todo and len(parts) < 1000:
        item = todo.pop(0)
        if isinstance(item, str) and "<" in item and "href" in item:
            parts.append(item)
        elif isinstance(item, list):
            todo.extend(item)
        elif isinstance(item, dict):
            found = {key.lower(): value for key, value in item.items() if isinstance(value, str)}
            link = next((found[key] for key in _URL_KEYS if found.get(key)), None)
            if link:
                title = next((found[key] for key in _TITLE_KEYS if found.get(key)), "")
                date = next((found[key] for key in _DATE_KEYS if found.get(key)), "")
                parts.append(f'<div><a href="{html.escape(link)}">{html.escape(title)}</a>'
                             f'<span class="date">{html.escape(date)}</span></div>')
            todo.extend(value for key, value in item.items() if not (link and isinstance(value, str)))
    return "".join(parts).encode("utf-8")


def _post_links(links: list[tuple[str, LexborNode]], url: str, known_shapes: frozenset[str],
                learned: set[str]) -> dict[str, list[LexborNode]]:
    """The links of a page's posts (URL → its link nodes): groups of one URL shape with title-like texts (or
    "selengkapnya" links only), else, where posts' URLs differ in more than their slug (`/%category%/%postname%/`),
    title-like links of one coarse shape (`~/*/*/`: every segment varies). Adds the shapes found to `learned`."""
    by_shape: dict[str, dict[str, list[LexborNode]]] = defaultdict(lambda: defaultdict(list))
    for link_url, node in links:
        if link_url != url and not is_pagination(link_url) and guess_kind(link_url) != "listing":
            by_shape[url_shape(link_url)][link_url].append(node)
    posts: dict[str, list[LexborNode]] = {}
    for shape, group in by_shape.items():
        titles = [_title(nodes) for nodes in group.values()]
        if shape in known_shapes or len(group) >= MIN_POSTS and (
                statistics.median(len(t.split()) for t in titles) >= MIN_TITLE_WORDS
                or all(_READ_MORE.match(t) for t in titles)):      # cards whose only link is "selengkapnya"
            learned.add(shape)
            posts.update(group)
    coarse: dict[str, dict[str, list[LexborNode]]] = defaultdict(dict)
    for group in by_shape.values():
        for link_url, nodes in group.items():
            if link_url not in posts and len(_title(nodes).split()) >= MIN_TITLE_WORDS:
                coarse["~" + url_shape(link_url, every_segment=True)][link_url] = nodes
    for shape, group in coarse.items():
        if shape in known_shapes or len(group) >= MIN_POSTS:
            learned.add(shape)
            posts.update(group)
    return posts


def _title(nodes: list[LexborNode]) -> str:
    return max((_text(node) for node in nodes), key=len)


def _links(tree: LexborHTMLParser, url: str) -> list[tuple[str, LexborNode]]:
    """Same-site `<a href>` and image-map `<area href>` links, resolved, in document order."""
    found = []
    for node in tree.css("a[href], area[href]"):
        target = absolute_url(url, node.attributes.get("href") or "")
        if target and same_site(target, url):
            found.append((target, node))
    return found


def _text(node: LexborNode) -> str:
    if node.tag == "area":
        return (node.attributes.get("alt") or node.attributes.get("title") or "").strip()
    return " ".join((node.text(deep=True, separator=" ") or "").split()) or (node.attributes.get("title") or "").strip()


def _owners(post_nodes: dict[str, list[LexborNode]]) -> dict[int, set[str]]:
    """For every ancestor of a post link: the post URLs linked inside it."""
    owners: dict[int, set[str]] = defaultdict(set)
    for post_url, nodes in post_nodes.items():
        for node in nodes:
            parent = node.parent
            while parent is not None:
                owners[parent.mem_id].add(post_url)
                parent = parent.parent
    return owners


def _card(node: LexborNode, post_url: str, owners: dict[int, set[str]]) -> LexborNode:
    """The largest element around a post link holding no other post: the listing's card for that post."""
    card = node
    while card.parent is not None and card.parent.tag not in ("body", "html") \
            and owners.get(card.parent.mem_id, set()) <= {post_url}:
        card = card.parent
    return card


def _card_date(card: LexborNode, title: str, tz: str) -> str | None:
    """The date printed on a card: a `<time datetime>`, else a date-classed element, else any date in its text
    (the title's own words left out: `Upacara 17 Agustus` is no date of publication)."""
    time_node = card.css_first("time[datetime]")
    if time_node is not None:
        return time_node.attributes.get("datetime")
    classed = [n for n in card.css("[class]") if _DATE_CLASS.search(n.attributes.get("class") or "")]
    for text in [_text(n) for n in classed] + [_text(card).replace(title, " ")]:
        found = find_dates(text, tz) if text else []
        if found:
            return found[0].text
    return None


def _date_after(card: LexborNode, owners: dict[int, set[str]], tz: str) -> str | None:
    """A date printed right after a card that is no element of its own (`<a>Judul</a> (12/05/2025)<br>` rows of
    one table cell): the text of the next few siblings, up to the next post's link."""
    texts = []
    sibling = card.next
    for _ in range(4):
        if sibling is None or owners.get(sibling.mem_id) or sibling.tag == "a":
            break
        texts.append(sibling.text(deep=True, separator=" ") or "")
        sibling = sibling.next
    found = find_dates(" ".join(texts), tz)
    return found[0].text if found else None


def _in_side_widget(card: LexborNode) -> bool:
    node: LexborNode | None = card
    while node is not None and node.tag not in ("body", "html"):
        names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}".split()
        if node.tag == "aside" or any(_SIDE.search(name) and not _TAXONOMY_CLASS.match(name) for name in names):
            return True
        node = node.parent
    return False


def _category(tree: LexborHTMLParser, url: str, led_by: str | None) -> str | None:
    """The category a listing stands for: a labelled heading or title (`Kategori: Prestasi`), else, on a URL that
    names a category (`/kategori/…`, `?kat=3`), the link text that led to it or the title's first part; None for
    the listing of every post (`Semua Kategori`, a menu's `Kategori`)."""
    name = _named_category(tree, url, led_by)
    return None if name is None or _NOT_A_CATEGORY.match(name) else name


def _named_category(tree: LexborHTMLParser, url: str, led_by: str | None) -> str | None:
    title_node = tree.css_first("title")
    title_parts = _TITLE_PARTS.split(_text(title_node)) if title_node is not None else []
    for text in [_text(node) for node in tree.css(_HEADINGS)] + title_parts:
        if match := _LABELLED.match(text):
            return category_name(match.group("name"))
    parts = urlsplit(url)
    if not _CATEGORY_URL.search(parts.path + "?" + "&".join(k for k, _ in parse_qsl(parts.query))):
        return None
    if led_by and not led_by.isdigit() and not _NEXT_TEXT.match(led_by):
        return category_name(led_by)
    return category_name(title_parts[0]) if title_parts and title_parts[0].strip() else None


def _pagination(links: list[tuple[str, LexborNode]], url: str, posts: set[str]) -> list[str]:
    """Links to the listing's further pages: `?hal=2`, `/halaman/2`, `/page/2`, `offset=` and `rel=next` links to
    the same listing, and numbered or `next` / `selanjutnya` / `»` links that differ from it by one number
    (`?mod=berita&hal=3`, CodeIgniter's `/berita/index/10`), so a calendar's `?tgl=12` is none."""
    pages = []
    for target, node in links:
        text = _text(node)
        if target == url or target in posts or text == "1":      # page 1 is the listing itself
            continue
        numbered = text.isdigit() or _NEXT_TEXT.match(text) or (node.attributes.get("rel") or "").lower() == "next"
        if (numbered or is_pagination(target)) and _one_number_apart(target, url):
            pages.append(target)
    return list(dict.fromkeys(pages))


def _one_number_apart(target: str, url: str) -> bool:
    """Whether `target` is `url` with one number changed or added: a query value, or a last path segment."""
    there, here = urlsplit(target), urlsplit(url)
    there_query = dict(parse_qsl(there.query, keep_blank_values=True))
    here_query = dict(parse_qsl(here.query, keep_blank_values=True))
    changed = {key for key in there_query.keys() | here_query.keys() if there_query.get(key) != here_query.get(key)}
    if there.path == here.path:
        return len(changed) == 1 and _is_number(there_query.get(changed.pop()))
    if changed - set(PAGE_FIELDS):
        return False
    return _unnumbered(there.path) == _unnumbered(here.path) and bool(re.search(r"/[0-9]+/?$", there.path))


def _unnumbered(path: str) -> str:
    """A listing path without its trailing page number: `/berita/index/10`, `/berita/halaman/2` → `/berita`."""
    return re.sub(r"/(?:(?:page|halaman|hal|index)/)?[0-9]+/?$", "", path).rstrip("/")


def _without_page(url: str) -> str:
    """`listing?hal=1` → `listing`, `listing/halaman/1` → `listing/`: page 1 under the listing's own name."""
    parts = urlsplit(url)
    path = re.sub(r"/(?:page|halaman|hal)/1/?$", "/", parts.path)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in PAGE_FIELDS])
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def is_dated_archive(url: str) -> bool:
    """A month or day archive (`/2025/05/`, `/arsip/2025/05`, `?m=202505`): it shows news of its own dates only."""
    parts = urlsplit(url)
    return bool(re.search(r"/(19|20)\d\d(/\d\d?)?/?$", parts.path)
                or any(k == "m" and v.isdigit() for k, v in parse_qsl(parts.query)))


def _is_module_link(url: str) -> bool:
    """A menu link to a module or category listing (berita, artikel, pengumuman, agenda, kategori …)."""
    parts = urlsplit(url)
    return guess_kind(url) != "article" and not is_pagination(url) and bool(
        _MODULE.search(parts.path + "?" + parts.query))


def _is_number(value: str | None) -> bool:
    """ASCII digits only, short: `²` or a 4000-digit value is no page number."""
    return value is not None and re.fullmatch(r"[0-9]{1,7}", value) is not None


def _load_more(tree: LexborHTMLParser, url: str) -> LoadMore | None:
    """The POST "load more" request a page shows: a `<form method=post>` with a page field, or an element whose
    data attributes give the endpoint and the next page (`data-url`, `data-page`, `data-total`)."""
    for form in tree.css("form"):
        if (form.attributes.get("method") or "").lower() != "post":
            continue
        fields = {node.attributes.get("name") or "": node.attributes.get("value") or ""
                  for node in form.css("input[name], button[name]")}
        page_field = next((name for name in PAGE_FIELDS if _is_number(fields.get(name))), None)
        target = absolute_url(url, form.attributes.get("action") or url)
        if page_field and target and same_site(target, url):
            return LoadMore(target, {k: v for k, v in fields.items() if k}, page_field, from_form=True)
    for node in tree.css("[data-url], [data-href], [data-action], [data-source]"):
        attrs = node.attributes
        label = f"{_text(node)} {attrs.get('class') or ''} {attrs.get('id') or ''}"
        number = next((attrs.get(f"data-{name}") for name in ("page", "next", "hal", "offset")
                       if _is_number(attrs.get(f"data-{name}"))), None)
        endpoint = next((attrs.get(f"data-{name}") for name in ("url", "href", "action", "source")
                         if attrs.get(f"data-{name}")), None)
        target = absolute_url(url, endpoint or "")
        if number is None or not _MORE_TEXT.search(label) or not target or not same_site(target, url):
            continue
        page_field = attrs.get("data-param") or attrs.get("data-field") or "page"
        form = {page_field: number}
        for key, value in attrs.items():
            if key.startswith("data-form-") and value is not None:
                form[key.removeprefix("data-form-")] = value
        total = next((int(value) for name in ("total", "pages", "total-pages", "last", "max")
                      if _is_number(value := attrs.get(f"data-{name}"))), None)
        return LoadMore(target, form, page_field, total)
    return None
