"""The headline: the heading the page's `<title>` names, never the site's own name."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.content import find_main_block
from scraper.extract.dom import HEADINGS, inline_text, norm
from scraper.extract.metadata import Link, absolute_url
from scraper.sites import same_site

_TITLE_LIKE = "[class*=title], [class*=judul], [itemprop=headline], b, strong, font, big"
_CUT = (".", "…")
_HOME_PATHS = frozenset({"", "/", "/index.php"})
_NAME_WORDS = 10   # `SMA Negeri 1 Contoh Kabupaten Banjar Kalimantan Selatan`; headlines run longer
_TITLE_SEPARATOR = re.compile(r"(\s+[|\u2013\u2014:»·~/-]+\s+)")
_LABELS = "a, b, strong, h2, h3, h4, [class*=title], [class*=judul]"
_LABEL_WORDS = 3       # a section's label: `Berita`, `Info Sekolah`, `Berita Terbaru`
_TEASERS = 3          # linked headlines in the text block that make it a listing
_OPENING_CHARS = 300   # the story's heading opens the block: before it, at most a breadcrumb or a date
_NOT_ALNUM = re.compile(r"[\W_]+")
# where a part of a `<title>` or og:title ends: a run of punctuation (a site separator, `_` or `。｜` on CJK sites,
# the colon after a kicker), never a plain space inside a sentence
_SEGMENT_BOUNDARY = re.compile(r"(\s*(?:[^\w\s]|_)+\s*)")
_WORD = re.compile(r"\w+")


def site_names(declared: list[str], links: list[Link], page_url: str) -> frozenset[str]:
    """Normalised names of the site: og:site_name and the texts of links to its home page (logo, brand)."""
    # a name is short: a headline declared as the application's name or linked to the home page is none; and only
    # the first declaration counts (og:site_name before `application-name`, which some pages fill with the headline)
    short = [norm(name) for name in declared if name and len(name.split()) <= _NAME_WORDS]
    names = set(short[:1])
    for link in links:
        parts = urlsplit(link.url)
        home = parts.path in _HOME_PATHS and not parts.query and same_site(link.url, page_url)
        if home and 3 <= len(link.text) <= 100 and len(link.text.split()) <= _NAME_WORDS:
            names.add(norm(link.text))
    return frozenset(names)


def home_links(tree: LexborHTMLParser, base_url: str) -> list[Link]:
    """The links that may lead to a site's home page (path `/` or `/index.php`, no query), for `site_names`:
    read_links' work for the few hrefs shaped so, not for every link of a long page."""
    links = []
    for node in tree.css("a[href]"):
        href = (node.attributes.get("href") or "").split("#", 1)[0].strip()
        if not _may_be_home(href) or (url := absolute_url(base_url, href)) is None:
            continue
        links.append(Link(url=url, text=" ".join((node.text(deep=True) or "").split()), rel=""))
    return links


def _may_be_home(href: str) -> bool:
    if "?" in href:
        return False
    if "://" in href or href.startswith("//"):
        rest = href.split("//", 1)[1]
        path = rest[rest.find("/"):] if "/" in rest else ""
    elif href.startswith("/"):
        path = href
    else:
        return ":" not in href          # relative to the page's folder: resolve and see
    return path in _HOME_PATHS


def strip_site_name(document_title: str, names: frozenset[str]) -> str:
    """The `<title>` without a leading or trailing site-name segment."""
    pieces = _TITLE_SEPARATOR.split(document_title.strip())
    # pieces alternate text, separator, text...; drop site-name texts at either end with their separator
    while len(pieces) >= 3 and norm(pieces[-1]) in names:
        pieces = pieces[:-2]
    while len(pieces) >= 3 and norm(pieces[0]) in names:
        pieces = pieces[2:]
    return "".join(pieces).strip()


@dataclass(slots=True)
class TitleChoice:
    text: str
    node: LexborNode | None


def _squash(text: str) -> str:
    """Letters and digits only: a heading split over elements (`Kicker</span><span>Title`) or printed without the
    `<title>`'s quotes and colons still compares equal."""
    return _NOT_ALNUM.sub("", text.casefold())


@dataclass(slots=True)
class _Reference:
    """A text that names the headline (og:title, `<title>`), squashed whole and as its leading and trailing runs
    of segments (`Post – Section – Site` starts with `Post` and `Post – Section`), each with its text as written."""

    whole: str
    text: str
    starts: dict[str, str]
    ends: dict[str, str]


def _reference(text: str) -> _Reference:
    pieces = _SEGMENT_BOUNDARY.split(text.strip())
    starts = {_squash(run): run for i in range(1, len(pieces) // 2 + 1) if (run := "".join(pieces[:2 * i - 1]).strip())}
    ends = {_squash(run): run for i in range(1, len(pieces) // 2 + 1) if (run := "".join(pieces[2 * i:]).strip())}
    return _Reference(_squash(text), text.strip(), starts, ends)


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _named_by(nodes: list[LexborNode], references: list[_Reference], names: frozenset[str],
              template: frozenset[int] = frozenset()) -> TitleChoice | None:
    """The node whose text the references (og:title, `<title>`) name: exact beats "Post – Site" (leading)
    beats "Site: Post" (trailing), longer wins among equals; the site's own name never. A partial match ends at
    punctuation in the reference: a bold name that merely starts the `<title>`'s sentence is a teaser's."""
    # a <title> an SEO plugin cut short ("Siswa SMK Raih Juara Lomba Kompe... – Site") names a longer heading
    pieces = [piece for reference in references for piece in _TITLE_SEPARATOR.split(reference.text)]
    cut_starts = [_squash(piece.rstrip("".join(_CUT))) for piece in pieces
                  if len(piece) >= 20 and piece.endswith(_CUT)]
    best: tuple[tuple[bool, bool, int], LexborNode, str] | None = None
    for node in nodes:
        if node.mem_id in template:
            continue
        text = inline_text(node)
        key = _squash(text)
        if len(key) < 3 or len(text) > 300 or norm(text) in names:
            continue
        written = next((written for reference in references for written in (
            reference.text if key == reference.whole else None, reference.starts.get(key),
            reference.ends.get(key)) if written), None)
        exact = any(key == reference.whole for reference in references)
        long_enough = len(key) > 8
        prefix = long_enough and (any(key in reference.starts for reference in references)
                                  or any(key.startswith(start) for start in cut_starts))
        suffix = long_enough and any(key in reference.ends for reference in references)
        rank = (exact, prefix, len(key))
        if (exact or prefix or suffix) and (best is None or rank > best[0]):
            # the elements of a split heading run their words together: the reference spaces them
            best = (rank, node, written if written and _words(written) > _words(text) else text)
    return TitleChoice(best[2], best[1]) if best else None


def find_title(tree: LexborHTMLParser, document_title: str, og_title: str, names: frozenset[str],
               selector: str | None, template: frozenset[int] = frozenset(),
               template_title: bool = False) -> TitleChoice:
    """The headline: a configured selector, else the heading the `<title>` or og:title names, else a bold or
    title-classed line it names (table-layout CMSes), else the only h1 (one printed twice is a logo), else
    og:title or the `<title>` minus the site name, unless that names only the site and a section: then the
    heading opening the story's text block.

    With a site profile, `template` (mem_ids of lines the whole site prints, such as a welcome banner in an
    `<h1>`) are never the headline, and a `template_title` (the same `<title>` on every page) names nothing:
    the first heading, else the first title-like line, outside the template is the headline then."""
    if selector and (node := tree.css_first(selector)) is not None and (text := inline_text(node)):
        return TitleChoice(text, node)
    if template_title:
        document_title = ""
    stripped = strip_site_name(document_title, names)
    references = [_reference(text) for text in (og_title, stripped, document_title) if text.strip()]
    headings = tree.css(HEADINGS)
    if found := _named_by(headings, references, names, template):
        return found
    title_like = tree.body.css(_TITLE_LIKE) if tree.body is not None else []
    if found := _named_by(title_like, references, names, template):
        return found
    h1s = [(node, text) for node in headings if node.tag == "h1" and node.mem_id not in template
           and (text := inline_text(node)) and norm(text) not in names]
    # an <h1> printed twice or more (a responsive theme's logo in the desktop and the mobile header) is the template's
    repeated = {key for key, count in Counter(norm(text) for _, text in h1s).items() if count > 1}
    h1s = [(node, text) for node, text in h1s if norm(text) not in repeated]
    if len(h1s) == 1:
        return TitleChoice(h1s[0][1], h1s[0][0])
    if template and not references:
        for node in [*headings, *title_like]:
            if node.mem_id not in template and len(text := inline_text(node)) >= 10 and norm(text) not in names:
                return TitleChoice(text, node)
    fallback = " ".join((og_title or stripped).split())
    if tree.body is not None and _names_a_section(fallback, tree.body) and (
            found := _story_heading(tree.body, names, template)):
        return found
    return TitleChoice(fallback, None)


def _names_a_section(title: str, body: LexborNode) -> bool:
    """Whether the `<title>` names only the site and a section (`SMP Negeri 7 - Berita`, old CMSes): one of its
    segments is a short label the page prints as a link or a bold line (asked only when no heading shows the rest)."""
    pieces = {norm(piece) for piece in _TITLE_SEPARATOR.split(title)[::2]} - {""}
    labels = {piece for piece in pieces if len(piece.split()) <= _LABEL_WORDS}
    return len(pieces) >= 2 and bool(labels) and any(
        norm(inline_text(node)) in labels for node in body.css(_LABELS))


def _story_heading(body: LexborNode, names: frozenset[str], template: frozenset[int]) -> TitleChoice | None:
    """The heading or title-like line (not a link) that opens the block of running text, unless the block is a
    listing's teasers."""
    block = find_main_block(body)
    if block is None:
        return None
    lines = block.css(f"{HEADINGS}, {_TITLE_LIKE}")
    linked = [_in_link(node, block) for node in lines]
    if sum(linked) >= _TEASERS:
        return None   # a cell of linked headlines with their blurbs: a section's listing, no story
    opening = norm(block.text(deep=True) or "")[:_OPENING_CHARS]
    for node, is_link in zip(lines, linked, strict=True):
        text = inline_text(node)
        key = norm(text)
        if node.mem_id in template or len(text.split()) < 3 or key in names or is_link:
            continue
        return TitleChoice(text, node) if key[:40] in opening else None
    return None


def _in_link(node: LexborNode, block: LexborNode) -> bool:
    """Whether the line is a link or holds one (a teaser's headline, a link list's entry)."""
    if node.css_first("a") is not None:
        return True
    while node is not None and node.mem_id != block.mem_id:
        if node.tag == "a":
            return True
        node = node.parent
    return False
