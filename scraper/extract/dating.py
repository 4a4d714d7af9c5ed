"""The publication date: evidence in DESIGN §6's order, with the traps of real school sites avoided.

Every date carries its source. A date that lies after the page's capture (or a published date after the page's
own modified date) is no publication date; a year-less date takes its year from the article's own evidence
(its permalink's month, its modified date) and never lands after it or after the capture. With a site profile,
dates printed in the site's template (a sidebar's recent posts, a header's today widget) are not read.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import functools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from scraper.dates import find_dates, parse_date, parse_ref, resolve_zone, to_zone
from scraper.extract.dom import INVISIBLE_TAGS, render_text, within
from scraper.extract.metadata import PageMeta, absolute_url, is_article_object
from scraper.lazy_pattern import LazyPattern

PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "publishdate", "pubdate",
                  "publish_date", "dc.date.issued", "dc.date", "dcterms.date", "date", "sailthru.date",
                  # what other publishing systems and plugins write (the names htmldate reads, too)
                  "article:published", "article.published", "article:post_date", "og:article:published_time",
                  "og:pubdate", "og:publish_date", "parsely-pub-date", "citation_publication_date",
                  "citation_date", "dc.date.created", "dc.created", "dc.date.publication", "dcterms.created",
                  "dcterms.issued", "date_published", "published_date", "publication_date", "published_time",
                  "publish-date", "published-date", "datecreated", "displaydate", "rnews:datepublished",
                  "article_date_original", "originalpublicationdate", "cxenseparse:recs:publishtime",
                  "pub_date", "article.created", "pdate", "ptime", "search_date", "wt.date", "created")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified")
# Labels that introduce the publication date in an article's meta line (Indonesian and English themes).
_PUBLISHED_LABEL = re.compile(
    r"\b(?:diterbitkan|diposting|dipos|diposkan|dipublikasikan|dipublikasi|terbit|ditulis|tanggal|tgl|"
    r"posted|published|written|date|on|"
    # the open web's other languages: German, Dutch, French, Spanish, Portuguese, Italian
    r"veröffentlicht|erschienen|datum|gepubliceerd|publié|publiée|publicado|publicada|fecha|pubblicato|"
    # Polish, Czech, Russian, Turkish, Swedish, Danish, Norwegian, Finnish
    r"opublikowano|publikováno|vydáno|опубликовано|yayınlanma|publicerad|publiceret|publisert|julkaistu)\b",
    re.IGNORECASE)
# Of those, the ones that say "published" (not `on`, `date`): what ends a modified part of a meta line.
_PUBLISHED_VERB = LazyPattern(r"\b(?:diterbitkan|diposting|diposkan|dipublikasikan|terbit|ditulis|posted|published|"
                              r"written|veröffentlicht|erschienen|gepubliceerd|publié|publiée|publicado|publicada|"
                              r"pubblicato|opublikowano|publikováno|vydáno|опубликовано|yayınlanma|publicerad|"
                              r"publiceret|publisert|julkaistu)\b", re.IGNORECASE)
_MODIFIED_LABEL = re.compile(r"\b(?:diperbarui|diperbaharui|terakhir diubah|update[ds]?|modified|last updated|"
                             r"last edited|dernière modification|última modificación|aktualisiert|"
                             r"letzte änderung|geändert|bijgewerkt|mis à jour|actualizado|atualizado|aggiornato|"
                             r"zaktualizowano|aktualizováno|обновлено|güncellenme|uppdaterad|opdateret|oppdatert|"
                             r"päivitetty)\b",
                             re.IGNORECASE)
# Words before a date that make it a deadline, a period or the day something takes effect, not the day of the
# event (Indonesian, English, German, Dutch, French, Spanish, Portuguese, Italian).
_DEADLINE = LazyPattern(r"\b(?:lambat|batas|sampai|hingga|s\.?\s?d\.?|s/d|sebelum|selambat|deadline|until|by|"
                        r"from|effective|starting|bis|zum|ab|vanaf|tot|jusqu'au|jusqu’au|à partir du|hasta|"
                        r"a partir del?|até|fino al|entro il)\W*"
                        r"(?:(?:hari|tanggal|tgl\.?)\W*)?(?:\w+,?\s*)?$", re.IGNORECASE)
_YEAR, _MONTH, _DAY = r"(?:19|20)\d\d", r"0[1-9]|1[0-2]", r"0[1-9]|[12]\d|3[01]"
# A permalink's day: `/2025/01/31/` (also `/2019/11/8/`), `-2025-01-31-`, `/31-01-2025-slug`, `/20250131/`,
# `/31012025-slug`; the compact forms only between separators, so a longer number (an ID) is none.
_URL_DAY = re.compile(
    rf"/(?P<y>{_YEAR})/(?P<m>0?[1-9]|1[0-2])/(?P<d>0?[1-9]|[12]\d|3[01])/"
    rf"|[/_-](?P<y2>{_YEAR})(?P<sep>[-_])(?P<m2>{_MONTH})(?P=sep)(?P<d2>{_DAY})(?=[/_.-]|$)"
    rf"|[/_-](?P<d3>{_DAY})(?P<sep3>[-_.])(?P<m3>{_MONTH})(?P=sep3)(?P<y3>{_YEAR})(?=[/_.-]|$)"
    rf"|/(?P<y4>{_YEAR})(?P<m4>{_MONTH})(?P<d4>{_DAY})(?=[/_.-]|$)"
    rf"|/(?P<d5>{_DAY})(?P<m5>{_MONTH})(?P<y5>{_YEAR})(?=[/_-])")
_URL_DAY_GROUPS = (("y", "m", "d"), ("y2", "m2", "d2"), ("y3", "m3", "d3"), ("y4", "m4", "d4"), ("y5", "m5", "d5"))
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/")
# Below this year a page date is a placeholder (the Unix epoch of an empty CMS Sekolahku record), not a date.
MIN_YEAR = 1995
_SHORT_LINE = 160
_LEADING_LINES = 3
_DATELINE_WINDOW = 320
_BYLINE = 100
# A byline's first word (Indonesian, English, German, Dutch, French, Spanish, Portuguese, Italian).
_BYLINE_WORD = re.compile(r"(?:oleh|penulis|reporter|pewarta|by|written by|von|door|par|por|di|autor|author)\b",
                          re.IGNORECASE)
# The end of a paragraph's first sentence: a lower-case word (not an abbreviation such as `Drs.`, `S.Pd.`, `Jan.`
# before its day) and a capital after it, a sentence's length in (`Humas SMAN 1 Contoh. Senin (3/11/2025) – …`
# opens with a place, not a sentence).
_SENTENCE_END = re.compile(r"[^\W\d_]*[a-zß-ÿ]{3}[.!?]\s+(?=[A-ZÀ-Þ])")
_SENTENCE_CHARS = 60


def _first_sentence_end(text: str) -> int:
    """Where the paragraph's second sentence starts (its length when it has one sentence)."""
    found = _SENTENCE_END.search(text, _SENTENCE_CHARS)
    return found.end() if found is not None else len(text)
# What may come before a dateline that opens a paragraph: nothing, or a place and a separator (`Balikpapan, `).
_PLACE_LEAD = LazyPattern(r"(?:[^\W\d_][\w .’'()/-]{0,40}[,–—-]\s*)?")


@dataclass(slots=True, frozen=True)
class DateEvidence:
    """A date with where it was read and the raw text it was read from; `weak` evidence (a sitemap's
    `lastmod`, a date found in a stray text segment) dates a page but never makes it an article."""

    value: str
    source: str
    text: str
    weak: bool = False


# Discovery sources that list posts only: their date for a URL also says the page is an article.
POST_SOURCES = frozenset({"feed", "api", "listing"})
# A sitemap's `lastmod` is when the page last changed, not when it was published: the last resort.
WEAK_SOURCE = "sitemap"


@dataclass(slots=True, frozen=True)
class DateHint:
    """What a discovery source said about a URL's publication date, kept as the source printed it
    (feed `pubDate`/`published`, REST `date`, sitemap `lastmod`); `source` is `feed`, `api`, `listing` or
    `sitemap`. Times without an offset are the site's local time."""

    source: str
    published: str

    @property
    def lists_posts(self) -> bool:
        """Whether the source lists posts only, so the URL it dates is an article."""
        return self.source in POST_SOURCES

    def replaces(self, earlier: DateHint | None) -> bool:
        """Whether this hint should take the place of `earlier` for the same URL: a feed's or REST's date
        replaces a sitemap's lastmod, an entry without a date keeps a dated hint, and the first source that
        lists posts stays."""
        return earlier is None or (not earlier.lists_posts and bool(self.published))


def capture_reference(fetched_at: str | None) -> dt.datetime | dt.date | None:
    """The capture time as a reference for relative dates, or None when absent or unreadable."""
    try:
        return parse_ref(fetched_at.replace("Z", "+00:00")) if fetched_at else None
    except ValueError:
        return None


def evidence_from_text(text: str | None, source: str, tz: str, month_first: bool = False) -> DateEvidence | None:
    """The date in a string (an attribute, a meta value, a configured selector's text) as evidence."""
    if not text or not (text := text.strip()):
        return None
    parsed = parse_date(text, tz=tz, month_first=month_first)
    if parsed is None or parsed.date.year < MIN_YEAR:
        return None
    return DateEvidence(to_zone(parsed, tz), source, text)


def _jsonld_date(meta: PageMeta, key: str) -> str | None:
    """The page's article's date, else a non-article object's (an SEO plugin's WebPage); never the date of
    another post's BlogPosting."""
    article = meta.jsonld_article
    if article is None and len(articles := [obj for obj in meta.jsonld if is_article_object(obj)]) == 1:
        article = articles[0]  # the only article object, though its URL is not quite this page's
    candidates = [article] if article else []
    candidates.extend(obj for obj in meta.jsonld if not is_article_object(obj))
    for name in (key, "dateCreated") if key == "datePublished" else (key,):
        for obj in candidates:
            value = obj.get(name)
            if isinstance(value, str) and value.strip():
                return value
    return None


def _machine_dates(container: LexborNode, body: frozenset[int], others: frozenset[int],
                   tz: str, month_first: bool) -> tuple[DateEvidence | None, DateEvidence | None]:
    """`<time datetime>`, Blogger `abbr.published[title]`, microdata datePublished: (published, modified); when
    the element prints a whole date of another day than its attribute, the printed one.

    Not those of other posts' entries; inside the body only one marked as the publication date (an event
    written as `<time>` in the text is not the post's date)."""
    explicit = plain = modified = None
    for node in container.css("time, abbr.published, abbr.updated, [itemprop=datePublished], "
                              "[itemprop=dateModified]"):
        attrs = node.attributes
        raw = attrs.get("datetime") or attrs.get("content") or attrs.get("title") or node.text(deep=True)
        found = evidence_from_text(raw, "time", tz, month_first)
        if found is None or within(node, container, others):
            continue
        if raw != (shown := " ".join((node.text(deep=True) or "").split())) and (
                printed := find_dates(shown, tz=tz, month_first=month_first)) and (
                printed[0].date.isoformat() != _written_day(found)) and printed[0].date.year >= MIN_YEAR:
            # `<time datetime="2019-07-03T10:18Z">Publié le 29 juin 2019</time>`: what it prints (fast path only)
            found = DateEvidence(to_zone(printed[0], tz), "time", shown)
        roles = f"{attrs.get('class') or ''} {attrs.get('itemprop') or ''}".lower()
        if "published" in roles:
            explicit = explicit or found
        elif within(node, container, body):
            continue
        elif "updated" in roles or "modified" in roles:
            modified = modified or found
        else:
            plain = plain or found
    return explicit or plain, modified


# Links that name the post's own categories, tags, author (or the author's profile on a forum-like CMS:
# XOOPS `userinfo.php?uid=`, phpBB `memberlist.php?mode=viewprofile`, Drupal `/user/6`) or date archive.
_TAXONOMY = re.compile(r"/(?:category|categories|kategori|tag|tags|label|author|penulis)/|[?&](?:cat|tag|author|m)="
                       r"|/(?:user|users|member|members|profile|profil)/[^/]+/?$|/(?:userinfo|memberlist)\.php"
                       r"|/(?:19|20)\d\d/\d\d(?:/\d\d)?/?$", re.IGNORECASE)
# A site's home or a top-level section (`/columnists/`, `/berita`): one short path segment, no slug of a post.
_SECTION_PATH = re.compile(r"/(?:[^\W\d_]{1,20}(?:-[^\W\d_]{1,20})?/?)?")


def _names_no_post(target: str) -> bool:
    """Whether a link's target is the site's home, a section, or a category, tag, author or date archive."""
    return bool(_TAXONOMY.search(target)) or bool(_SECTION_PATH.fullmatch(urlsplit(target).path or "/"))


def _to_other_post(link: LexborNode, base_url: str, page_urls: frozenset[str] | set[str]) -> bool:
    """Whether a link points at another post: not this page, its home, a section or an archive."""
    target = absolute_url(base_url, link.attributes.get("href") or "")
    return target is not None and target not in page_urls and not _names_no_post(target)


_TAXONOMY_REL = re.compile(r"\b(?:category|tag|author|bookmark)\b")
_ENTRY_TAGS = frozenset({"li", "p", "div", "dd", "dt", "tr", "td", "section", "article", "h2", "h3", "h4", "h5",
                         "h6"})


def _outside(*nodes: LexborNode | None) -> frozenset[int]:
    return frozenset(node.mem_id for node in nodes if node is not None)


def _other_page_entries(container: LexborNode, base_url: str, page_urls: set[str]) -> set[int]:
    """Blocks in the container that link to other posts ('Berita Lainnya', previous/next): their dates are
    those posts' dates. Links to the page itself and to category, tag and author pages do not count."""
    blocks: set[int] = set()
    for link in container.css("a[href]"):
        target = absolute_url(base_url, link.attributes.get("href") or "")
        rel = (link.attributes.get("rel") or "").lower()
        if target is None or target in page_urls or _TAXONOMY.search(target) or _TAXONOMY_REL.search(rel):
            continue
        block = link.parent
        while block is not None and block.tag not in _ENTRY_TAGS and block.mem_id != container.mem_id:
            block = block.parent
        if block is not None and block.mem_id != container.mem_id:
            blocks.add(block.mem_id)
    return blocks


@dataclass(slots=True, frozen=True)
class Bounds:
    """What a date of this page must respect: the capture (`ref`, for relative dates and as the latest
    possible day), the permalink's last day (`permalink`), the article's own latest possible day for
    year-less dates (`anchor`: the permalink's, or its modified date) and the site's numeric order.

    A full date after a modified date is still allowed: a scheduled post is edited before it appears."""

    ref: dt.date | dt.datetime | None = None
    anchor: dt.date | None = None
    month_first: bool = False
    permalink: dt.date | None = None

    @property
    def earliest(self) -> dt.date | None:
        """The first day of the permalink's month (a page's permalink is made when it is published), or None."""
        return self.permalink.replace(day=1) if self.permalink is not None else None

    @property
    def latest(self) -> dt.date | None:
        """The last day a publication date may fall on (a day's slack for zones), or None if unknown."""
        days = [day for day in (_day_of(self.ref), self.permalink) if day is not None]
        return min(days) + dt.timedelta(days=1) if days else None

    def allows(self, evidence: DateEvidence | None) -> bool:
        """Whether the evidence is not after the capture or the permalink's day (or month), nor before the
        permalink's month."""
        latest, earliest = self.latest, self.earliest
        return evidence is not None and (latest is None or evidence.value[:10] <= latest.isoformat()) and (
            earliest is None or evidence.value[:10] >= earliest.isoformat())


def _day_of(value: dt.date | dt.datetime | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def _before_modified(line: str) -> str:
    """A meta line without its modified parts, each from its label to the next publication label:
    `Written: 2023-11-07 / Updated: 2023-11-08` is written on the 7th, `Letzte Änderung: 31.10.2023 - Erschienen
    am: 01.11.2023` on the 1st."""
    found = _MODIFIED_LABEL.search(line)
    if found is None:
        return line
    after = _PUBLISHED_VERB.search(line, found.end())
    return line[: found.start()] + (_before_modified(line[after.start():]) if after else "")


def _labelled_date(container: LexborNode, skip: frozenset[int], tz: str,
                   bounds: Bounds) -> tuple[DateEvidence | None, bool]:
    """A date on a short line of the article's meta area (outside body and headline), labelled ones first;
    and whether it was labelled (`Diterbitkan`, `Posted on`)."""
    lines = [line for line in render_text(container, skip).split("\n\n") if len(line) <= _SHORT_LINE]
    unlabelled: DateEvidence | None = None
    for line in lines:
        line = _before_modified(line)
        for parsed in find_dates(line, tz=tz, ref=bounds.ref, anchor=bounds.anchor, month_first=bounds.month_first):
            if parsed.date.year < MIN_YEAR or not bounds.allows(found := DateEvidence(to_zone(parsed, tz), "label",
                                                                                      line)):
                continue
            if _PUBLISHED_LABEL.search(line[: parsed.start]):
                return found, True
            unlabelled = unlabelled or found
            break
    return unlabelled, False


def epoch_placeholder(container: LexborNode, body: LexborNode | None) -> bool:
    """Whether the meta area shows an empty record's date (`01/01/1970`): the mark of a soft 404."""
    if "1970" not in (container.text(deep=True) or ""):  # cheap C-level test first; nearly always false
        return False
    return any(p.date.year == 1970 for p in find_dates(render_text(container, _outside(body))))


def url_date(url: str) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) from a dated permalink (`/2025/01/31/slug/`, `/20250131/`, `/31-01-2025-slug`,
    Blogger `/2025/01/slug.html`)."""
    path = urlsplit(url).path
    if match := _URL_DAY.search(path):
        year, month, day = next(names for names in _URL_DAY_GROUPS if match[names[0]])
        return int(match[year]), int(match[month]), int(match[day])
    if match := _URL_MONTH.search(path):
        return int(match[1]), int(match[2]), None
    return None


def _dateline(body: str, tz: str, month: tuple[int, int] | None, bounds: Bounds) -> DateEvidence | None:
    """The event date at the start of the body (`Balikpapan, Jum’at 31 Januari 2025 –`), never a deadline; below a
    byline (`Von Claudia Lindner`, `Oleh: Humas`; maybe below a photo credit line) the next paragraph may open
    with it (`27.1.2022 - Bei der ...`).

    Only below a byline: below any other short line, a paragraph opening with a date is as often a listing's
    teaser (a title, then `12 Januari 2024 - ...`) and would make the listing an article. Year-less forms
    (`Senin (15/8)`) resolve against the article's own evidence only, never the capture."""
    paragraphs = body[:_DATELINE_WINDOW].split("\n\n", 3)
    windows = [(paragraphs[0], False)]
    # the byline opens the body, or follows one short line of its own (a photo credit: `Alexandra Sackmann`)
    for index in (0, 1)[: len(paragraphs) - 1]:
        if all(len(line) <= _BYLINE for line in paragraphs[: index + 1]) and _BYLINE_WORD.match(paragraphs[index]):
            windows = [(line, False) for line in paragraphs[: index + 1]] + [(paragraphs[index + 1], True)]
            break
    for window, below_byline in windows:
        first_sentence = _first_sentence_end(window)
        for parsed in find_dates(window, tz=tz, anchor=bounds.anchor, month_first=bounds.month_first):
            if below_byline and not _PLACE_LEAD.fullmatch(window, 0, parsed.start):
                break  # below a byline, only a paragraph that opens with its date
            if parsed.start >= first_sentence:
                break  # a date in a later sentence is what the story tells of, not its dateline
            if parsed.date.year < MIN_YEAR or _DEADLINE.search(window[max(0, parsed.start - 40): parsed.start]) or (
                    _MODIFIED_LABEL.search(window, 0, parsed.start)):  # `Article mis à jour le 7 janvier 2020.`
                continue
            if month is not None and (parsed.date.year, parsed.date.month) != month:
                continue
            if bounds.allows(found := DateEvidence(to_zone(parsed, tz), "dateline", parsed.text)):
                return found
    return None


# Elements a theme marks as holding the date (class, id or itemprop; an `<abbr>` whose title is the date),
# wherever they sit on the page.
_DATE_WORDS = ("date", "time", "publish", "posted", "datum", "fecha", "tanggal", "tgl", "waktu", "tarih", "created")
_MARKED = ", ".join(f"[{attr}*={word} i]" for attr in ("class", "id") for word in (
    *_DATE_WORDS, "byline", "meta", "submitted", "info", "author", "autor", "penulis", "subline")) + (
    ", time, small, abbr[title], [itemprop=datePublished], [itemprop=dateCreated]")
# Of those, the ones that name a date: what the others hold (a `<small>` line, a byline, an info box) may be a
# side widget's entry of another post, so it dates the page but never makes it an article (weak evidence).
_NAMES_A_DATE = ", ".join(f"[{attr}*={word} i]" for attr in ("class", "id") for word in _DATE_WORDS) + (
    ", time, abbr[title], [itemprop=datePublished], [itemprop=dateCreated]")
_MARKED_TEXT = 200


def _in_frame(node: LexborNode, skip: frozenset[int], explicit: bool = False) -> bool:
    """Whether a node sits in the page's frame (navigation, sidebar, the page's own header or footer, not an
    article's; a footer is also what old layouts name one: `<div id="footer-info">`) or in a skipped block. An
    `explicit` publication date (`time.published`, `datePublished`) in a header or footer is the article's own:
    themes print the post's header outside any `<article>`."""
    edge = False
    current: LexborNode | None = node
    while current is not None:
        tag = current.tag
        if tag in ("nav", "aside") or current.mem_id in skip:
            return True
        if tag in ("article", "main"):
            return False
        edge = edge or not explicit and (tag in ("header", "footer") or _named_footer(current))
        current = current.parent
    return edge


# A page's footer by name (`footer`, `footer-info`, `site-footer`), not an entry's (`entry-footer`, `post-footer`).
_FOOTER_NAME = LazyPattern(r"(?:(?:site|page|global|main)[-_]?)?footer(?:[-_]\w*)?", re.IGNORECASE)


def _named_footer(node: LexborNode) -> bool:
    attrs = node.attributes
    if not attrs:
        return False
    names = f"{attrs.get('id') or ''} {attrs.get('class') or ''}"
    return "ooter" in names and any(_FOOTER_NAME.fullmatch(name) for name in names.split())


_LINK_DEPTH = 6


def _links_elsewhere(node: LexborNode, base_url: str, page_urls: set[str]) -> bool:
    """Whether the node sits in a link (a few levels up) to another page: a teaser's date is that page's."""
    current: LexborNode | None = node
    for _ in range(_LINK_DEPTH):
        if current is None:
            return False
        if current.tag == "a":
            return _to_other_post(current, base_url, page_urls)
        current = current.parent
    return False


def _explicitly_published(attrs: dict) -> bool:
    roles = f"{attrs.get('class') or ''} {attrs.get('itemprop') or ''}".lower()
    return "published" in roles or "datecreated" in roles


# Elements a theme marks as holding a modified date only: `itemprop=dateModified`, `entry-updated`, `date-modified`;
# not a bare `updated` class, which hAtom themes put on the publication date itself.
_MODIFIED_MARKS = "[class*=updated i], [class*=modified i], [itemprop=dateModified], [itemprop=dateUpdated]"
_MODIFIED_CLASS = re.compile(r"modified|.updated|updated.", re.IGNORECASE)


def _modified_only(attrs: dict) -> bool:
    if _explicitly_published(attrs):
        return False
    itemprop = (attrs.get("itemprop") or "").lower()
    return "datemodified" in itemprop or "dateupdated" in itemprop or any(
        _MODIFIED_CLASS.search(token) for token in (attrs.get("class") or "").split())


_LABEL_BEFORE = 40  # characters of the text just before an element that may label it


def _marks_modified(node: LexborNode) -> bool:
    """Whether the node is or holds an element marked as a modified date only, or follows a modified label
    (`last edited: <span class="odate">17 Jun 2018</span>`)."""
    before = node.prev
    if before is not None and before.is_text_node and _MODIFIED_LABEL.search(
            (before.text(deep=False) or "")[-_LABEL_BEFORE:]):
        return True
    return any(_modified_only(mark.attributes) for mark in (
        [node] if node.css_matches(_MODIFIED_MARKS) else []) + node.css(_MODIFIED_MARKS))


def _modified_marks(container: LexborNode) -> frozenset[int]:
    """mem_ids of the short elements in the container that a theme marks as a modified date only
    (`<time class="entry-updated">`, `itemprop=dateModified`): their text is no publication date."""
    return frozenset(node.mem_id for node in container.css(_MODIFIED_MARKS)
                     if _modified_only(node.attributes) and len(node.text(deep=True) or "") <= _SHORT_LINE)


# A teaser card of another page: a short block holding a heading that links elsewhere (`<a><h5>Title</h5></a>`).
_TEASER_HEADING = ", ".join(f"a[href] {h}, {h} a[href]" for h in ("h2", "h3", "h4", "h5", "h6"))
_TEASER_LEVELS = 3
_TEASER_CHARS = 400


def _in_teaser(node: LexborNode, base_url: str, page_urls: set[str]) -> bool:
    """Whether the node sits in a short block (a few levels up) whose heading links to another page: a related
    story's card, where the date is that story's."""
    current = node.parent
    for _ in range(_TEASER_LEVELS):
        if current is None or current.tag in ("body", "html", "article", "main"):
            return False
        if len(current.text(deep=True) or "") > _TEASER_CHARS:
            return False
        for heading in current.css(_TEASER_HEADING):
            link = heading if heading.tag == "a" else heading.parent
            while link is not None and link.tag != "a":
                link = link.parent
            if link is not None and _to_other_post(link, base_url, page_urls):
                return True
        current = current.parent
    return False


def _marked_date(root: LexborNode, skip: frozenset[int], tz: str, month: tuple[int, int] | None,
                 bounds: Bounds, base_url: str = "", page_urls: frozenset[str] | set[str] = frozenset()
                 ) -> DateEvidence | None:
    """The last resort: the first short date-marked element outside the page's frame, the skipped blocks
    (other posts' entries, the site's template) and links to other pages; never the capture day itself (a today
    widget). Of a long one (WordPress' `This entry was posted on ... and is filed under ...`) only its own
    text counts, as weak evidence."""
    today = _day_of(bounds.ref)
    # one explicitly marked as the publication (`time.published`, `itemprop=dateCreated`) before the others
    for node in sorted(root.css(_MARKED), key=lambda node: not _explicitly_published(node.attributes)):
        attrs = node.attributes
        text = " ".join((node.text(deep=True) or "").split())
        weak = len(text) > _MARKED_TEXT
        if weak:
            text = " ".join((node.text(deep=False) or "").split())[: 2 * _MARKED_TEXT]
        text = _before_modified(text)
        if not text and not attrs.get("datetime") or _in_frame(
                node, skip, _explicitly_published(attrs)) or _links_elsewhere(node, base_url, page_urls) or (
                _in_teaser(node, base_url, page_urls)) or _marks_modified(node):
            continue
        for raw in (attrs.get("datetime"), attrs.get("data-datetime"), attrs.get("content"), attrs.get("title"),
                    text):
            found = evidence_from_text(raw, "text", tz, bounds.month_first)
            if found is None or not bounds.allows(found) or (
                    today is not None and found.value[:10] == today.isoformat()):
                continue
            if month is None or found.value[:7] == f"{month[0]:04d}-{month[1]:02d}":
                return found if not weak and node.css_matches(_NAMES_A_DATE) else DateEvidence(
                    found.value, found.source, found.text, weak=True)
    return None


_SEGMENTS = "h2, h3, h4, h5, h6, p, li, dd, span, div, td, em, i, b, strong, font"
_SEGMENT_CHARS = (6, 60)
_MAX_SEGMENTS = 3000  # a bound on the scan of huge pages


def _segment_date(root: LexborNode, skip: frozenset[int], tz: str, bounds: Bounds, base_url: str = "",
                  page_urls: frozenset[str] | set[str] = frozenset()) -> DateEvidence | None:
    """The very last resort: the first short text segment (an element's own text) outside the page's frame,
    the body, the skipped blocks and links to other pages that holds a full date (never year-less, relative or
    the capture day)."""
    today = _day_of(bounds.ref)
    for node in root.css(_SEGMENTS)[:_MAX_SEGMENTS]:
        text = node.text(deep=False)
        if not text or not _SEGMENT_CHARS[0] < len(text := " ".join(text.split())) < _SEGMENT_CHARS[1]:
            continue
        dates = find_dates(_before_modified(text), tz=tz, month_first=bounds.month_first)
        if not dates or _DEADLINE.search(text[: dates[0].start]) or _in_frame(node, skip) or _links_elsewhere(
                node, base_url, page_urls) or _in_teaser(node, base_url, page_urls):
            continue
        found = DateEvidence(to_zone(dates[0], tz), "text", text, weak=True)
        if dates[0].date.year >= MIN_YEAR and bounds.allows(found) and (
                today is None or found.value[:10] != today.isoformat()):
            return found
    return None


# What introduces the page's own stamp: its last change (any language's modified label, a wiki's `last edited`,
# German `Stand:`), else a copyright sign right before a whole date (`Copyright © 19.12.2019 - 12:14 h`).
_STAMP_LABELS = (
    (re.compile(rf"{_MODIFIED_LABEL.pattern}|\b(?:zuletzt|última vez|stand\s*:)", re.IGNORECASE),
     24,  # characters between the label and its date (`am`, `on`, a weekday, `de cette page le`)
     # lower-cased literals one of which every match holds: a label none of them is in is not tried
     ("diperba", "terakhir diubah", "update", "modified", "last edited", "dernière modification",
      "última modificación", "aktualisiert", "letzte änderung", "geändert", "bijgewerkt", "mis à jour",
      "actualizado", "atualizado", "aggiornato", "zaktualizowano", "aktualizováno", "обновлено", "güncellenme",
      "uppdaterad", "opdateret", "oppdatert", "päivitetty", "zuletzt", "última vez", "stand")),
    (re.compile(r"(?:\bcopyright\b\s*)?(?:©|\(c\))|\bcopyright\b", re.IGNORECASE), 3, ("©", "(c)", "copyright")),
)
# The letters that a case-blind pattern takes for one of the anchors' letters but that `str.lower` does not turn
# into it (`İ` lowers to two characters, `ı` `ſ` `ᲀ` `ᲂ` stay as they are): on a text holding one, `lower()` could
# hide a match, so every label is tried.
_LOWER_HIDES = re.compile("[\u0130\u0131\u017f\u1c80\u1c82]")


def _stamp_date(root: LexborNode, tz: str, bounds: Bounds) -> DateEvidence | None:
    """The very last resort, weaker than any other: the full date of the page's last-modified line
    (`Aktualisiert: 30.12.2016`, `[Stand: 09.10.2017, 01:40 Uhr]`), else of its copyright line, which dates the
    page but not its publication; never year-less, relative or the capture day."""
    text, today = root.text(deep=True) or "", _day_of(bounds.ref)  # C-level text: a render costs ~10x more
    # A case-blind pattern is tried at every position (~25 ms on a large page); a search for its literals is not.
    lowered = None if _LOWER_HIDES.search(text) else text.lower()
    for label, gap, anchors in _STAMP_LABELS:
        if lowered is not None and not any(anchor in lowered for anchor in anchors):
            continue
        for mark in label.finditer(text):
            dates = find_dates(text[mark.end(): mark.end() + gap + 40], tz=tz, month_first=bounds.month_first)
            if not dates or dates[0].start > gap or dates[0].date.year < MIN_YEAR:
                continue
            found = DateEvidence(to_zone(dates[0], tz), "text", text[mark.start(): mark.end() + dates[0].end],
                                 weak=True)
            if bounds.allows(found) and (today is None or found.value[:10] != today.isoformat()):
                return found
    return None


_SKIP_BELOW_HEADLINE = frozenset({"nav", "aside", "form", "select", "table"})
_STORY_LINK_TEXT = 25  # a link with more text than this names another story (an author or category link is short)
_BELOW_HEADLINE = 200  # characters of text after the headline that are its meta line
_BELOW_HEADLINE_NODES = 12


def _below_headline(title_node: LexborNode) -> list[LexborNode]:
    """The elements that follow the headline in document order, up to a meta line's worth of text."""
    following: list[LexborNode] = []
    chars, current = 0, title_node
    while current is not None and len(following) < _BELOW_HEADLINE_NODES and chars < _BELOW_HEADLINE:
        if current.next is None:
            current = current.parent
            if current is None or current.tag in ("body", "html"):
                break
            continue
        current = current.next
        if current.is_element_node and current.tag not in INVISIBLE_TAGS:
            following.append(current)
            chars += len(current.text(deep=True) or "")
    return following


_ABOVE_HEADLINE = 120  # a kicker line above the headline (`Berita | 19 November 2019`) is short


def _above_headline(title_node: LexborNode) -> list[LexborNode]:
    """The elements just before the headline in its own block, nearest first, up to a kicker line's worth of
    text (not above the block: a breadcrumb or the site's header is there)."""
    preceding: list[LexborNode] = []
    chars, current = 0, title_node.prev
    while current is not None and chars < _ABOVE_HEADLINE:
        if current.is_element_node and current.tag not in INVISIBLE_TAGS:
            preceding.append(current)
            chars += len(current.text(deep=True) or "")
        current = current.prev
    return preceding


def _links_to_stories(node: LexborNode, base_url: str, page_urls: frozenset[str] | set[str]) -> bool:
    """Whether the node holds a link to another page with a headline's worth of text (a teaser list)."""
    for link in node.css("a[href]"):
        if len(link.text(deep=True) or "") > _STORY_LINK_TEXT and _to_other_post(link, base_url, page_urls):
            return True
    return False


def _headline_date(title_node: LexborNode | None, tz: str, bounds: Bounds, base_url: str = "",
                   page_urls: frozenset[str] | set[str] = frozenset()) -> DateEvidence | None:
    """The full date of the meta line inside the headline (`<h1>Title<small>02.02.2022 • Presse</small></h1>`) or
    right below it (`<h1>…</h1><label>November 20, 2019</label>`), else of a kicker line just above it, when the
    theme prints that line outside the article's block; as weak evidence, since a listing's heading is followed by
    its first teaser. Not a deadline, a modified date, a date in a link to another page, in the page's frame, in
    a later sentence of a paragraph (the story below a headline), or the capture day (a today widget)."""
    if title_node is None:
        return None
    today = _day_of(bounds.ref)
    for node in title_node.css("small") + _below_headline(title_node) + _above_headline(title_node):
        if node.tag in _SKIP_BELOW_HEADLINE or _links_elsewhere(node, base_url, page_urls) or _links_to_stories(
                node, base_url, page_urls) or _marks_modified(node) or _in_frame(node, frozenset()):
            continue
        text = _before_modified(" ".join((node.text(deep=True) or "").split())[:_BELOW_HEADLINE])
        first_sentence = _first_sentence_end(text)
        for parsed in find_dates(text, tz=tz, month_first=bounds.month_first):
            if parsed.start >= first_sentence:
                break
            if parsed.date.year < MIN_YEAR or _DEADLINE.search(text[: parsed.start]):
                continue
            found = DateEvidence(to_zone(parsed, tz), "label", text, weak=True)
            if not bounds.allows(found) or today is not None and found.value[:10] == today.isoformat():
                return None  # a today widget or another page's date, not the headline's meta line
            return found
    return None


# A date that opens the `<title>` before a separator: press-release systems title `23.01.2022 - Headline`.
_TITLE_SEPARATOR = LazyPattern(r"\s*[-–—|:/]")


def _title_date(title: str, tz: str, bounds: Bounds) -> DateEvidence | None:
    """The full date a `<title>` opens with (`08.11.2021 | Online-Fachtag`), as weak evidence; a date later in
    the title names what it is about (`Libur 25 Desember 2025`), not when it was published."""
    dates = find_dates(title[:_SHORT_LINE], tz=tz, month_first=bounds.month_first) if title[:1].isdigit() else []
    if not dates or dates[0].start != 0 or not _TITLE_SEPARATOR.match(title, dates[0].end):
        return None
    found = DateEvidence(to_zone(dates[0], tz), "text", title, weak=True)
    return found if dates[0].date.year >= MIN_YEAR and bounds.allows(found) else None


def _script_date(meta: PageMeta, tz: str, bounds: Bounds) -> DateEvidence | None:
    """The publication date in a script's data (`"published_at":"2019-03-02T06:22:28+01:00"`), as weak
    evidence: the state of a JavaScript front end may list other posts, too."""
    found = evidence_from_text(meta.script_date, "text", tz) if meta.script_date else None
    if found is None or not bounds.allows(found):
        return None
    return DateEvidence(found.value, found.source, found.text, weak=True)


def split_leading_meta(body: str, tz: str, ref: dt.date | dt.datetime | None = None, month_first: bool = False
                       ) -> tuple[str, DateEvidence | None]:
    """Labelled date lines at the top of the body text (`Ditulis: Senin, 10 Juni 2019 | 08:30 WIB`, printed
    inside the content cell by table-layout CMSes): the body without them, and the first as evidence."""
    paragraphs = body.split("\n\n")
    found: DateEvidence | None = None
    for index, paragraph in enumerate(paragraphs[:_LEADING_LINES]):
        if len(paragraph) > _SHORT_LINE:
            break
        dates = [parsed for parsed in find_dates(paragraph, tz=tz, ref=ref, month_first=month_first)
                 if parsed.date.year >= MIN_YEAR]
        if dates and _PUBLISHED_LABEL.search(paragraph[: dates[0].start]) and not _MODIFIED_LABEL.search(paragraph):
            found = found or DateEvidence(to_zone(dates[0], tz), "label", paragraph)
            paragraphs[index] = ""
    return "\n\n".join(part for part in paragraphs if part), found


def without_date_line(body: str, published: DateEvidence | None) -> str:
    """The body without its first paragraph when that paragraph is nothing but the dateline it was dated by
    (`Senin, 3 Februari 2025`: a theme's date line between the headline and the story, inside the story's
    block). A dateline that opens a sentence of the story (`Balikpapan, 31 Januari 2025 – Siswa …`) stays."""
    if published is None or published.source != "dateline":
        return body
    first, _, rest = body.partition("\n\n")
    return rest if rest and first.strip(" \t.,;:|-–—") == published.text else body


def _permalink_end(from_url: tuple[int, int, int | None] | None) -> dt.date | None:
    """The last day a dated permalink allows: its day, or its month's last day (ValueError: no such date)."""
    if from_url is None:
        return None
    year, month, day = from_url
    return dt.date(year, month, day or calendar.monthrange(year, month)[1])


def _article_anchor(permalink: dt.date | None, modified: DateEvidence | None) -> dt.date | None:
    """The article's own latest possible publication day: its permalink's day or month end, its modified day."""
    days = [permalink] if permalink is not None else []
    if modified is not None:
        with contextlib.suppress(ValueError):
            days.append(dt.date.fromisoformat(modified.value[:10]))
    return min(days) if days else None


def _discovered_date(hint: DateHint | None, tz: str, month: tuple[int, int] | None) -> DateEvidence | None:
    """The discovery source's date as evidence; not when unreadable or outside the permalink's month."""
    found = evidence_from_text(hint.published, hint.source, tz) if hint is not None else None
    if found is not None and hint.source == WEAK_SOURCE:
        found = DateEvidence(found.value, found.source, found.text, weak=True)
    if found is None or (month is not None and found.value[:7] != f"{month[0]:04d}-{month[1]:02d}"):
        return None
    return found


# How long after its dated permalink's day a page's structured publication date may still be its own: a newsroom
# makes the permalink when the story is filed and may publish it a day or two later.
_FILED_TO_PUBLISHED = dt.timedelta(days=7)


def _republished(found: DateEvidence, permalink_day: dt.date | None) -> bool:
    """Whether a structured publication date lies weeks or years after the dated permalink's day: a system
    that writes its last republication as `datePublished`; the permalink keeps the day the page was made."""
    if permalink_day is None:
        return False
    try:
        return dt.date.fromisoformat(found.value[:10]) > permalink_day + _FILED_TO_PUBLISHED
    except ValueError:
        return False


_ISO_DAY = len("2025-01-31")


def _structured_candidates(meta: PageMeta, tz: str, month_first: bool) -> list[DateEvidence]:
    """The page's structured publication dates, strongest first: JSON-LD `datePublished`, then the publication
    date `<meta>`s in PUBLISHED_META's order."""
    found = [evidence_from_text(_jsonld_date(meta, "datePublished"), "jsonld", tz, month_first)]
    seen = {found[0].text[:_ISO_DAY]} if found[0] is not None else set()
    for key in PUBLISHED_META:
        if (value := meta.meta.get(key)) is None or (written := value.strip())[:_ISO_DAY] in seen:
            continue  # one day's stamp in many tags is read once
        seen.add(written[:_ISO_DAY])
        found.append(evidence_from_text(_spaced_stamp(value), "meta", tz, month_first))
    return [evidence for evidence in found if evidence is not None]


# Evidence read from the page's text (or its permalink), not from a machine stamp.
_SHOWN_SOURCES = frozenset({"label", "dateline", "text", "url"})


def _written_day(found: DateEvidence) -> str:
    """The day a date's text names as written (a UTC stamp's UTC day), else its value's day."""
    written = parse_date(found.text)
    return written.date.isoformat() if written is not None else found.value[:10]


_COMPACT_STAMP = LazyPattern(rf"({_YEAR})({_MONTH})({_DAY})(?:([01]\d|2[0-3])([0-5]\d)([0-5]\d)?)?")


def _spaced_stamp(value: str | None) -> str | None:
    """A compact stamp as some systems write it (`pdate` `20191119`, `ptime` `201911191530`) in ISO form."""
    if value is None or not (found := _COMPACT_STAMP.fullmatch(value.strip())):
        return value
    year, month, day, hour, minute, second = found.groups()
    return f"{year}-{month}-{day}" + (f"T{hour}:{minute}:{second or '00'}" if hour else "")


# How far a site's clock may be from UTC: a UTC instant falls on one of the local days these offsets give.
_WEST, _EAST = dt.timedelta(hours=-12), dt.timedelta(hours=14)
_SAME_INSTANT = dt.timedelta(minutes=1)
_PROBE_ZONE = dt.timezone(dt.timedelta(hours=1))  # parsing in two zones tells a stamp without a zone
_LOCAL_STAMPS = "time[datetime], [itemprop=datePublished][content], [itemprop=datePublished][datetime]"


def _utc_instant(text: str) -> dt.datetime | None:
    """The instant a UTC-stamped datetime (`2023-11-09T03:28:35Z`, `+00:00`) names; None for local stamps."""
    parsed = parse_date(text)
    moment = parsed.datetime if parsed is not None else None
    return moment if moment is not None and moment.utcoffset() == dt.timedelta(0) else None


_QUARTER_HOUR = dt.timedelta(minutes=15)


def _local_statement(text: str, instant: dt.datetime) -> dt.datetime | None:
    """The instant as a stamp without a zone states it in the site's clock (`Monday, November 18, 2019, 08:19 PM`
    for `2019-11-19T01:19:34Z`: a whole number of quarter hours from UTC, within the zones' range), when that
    clock puts it on another day than UTC does; None otherwise."""
    in_utc, shifted = parse_date(text, tz=dt.UTC), parse_date(text, tz=_PROBE_ZONE)
    if in_utc is None or in_utc.datetime is None or shifted is None or shifted.datetime is None or (
            in_utc.datetime.utcoffset() == shifted.datetime.utcoffset()):
        return None  # no time, or the stamp names its own zone
    gap = in_utc.datetime - instant
    offset = round(gap / _QUARTER_HOUR) * _QUARTER_HOUR
    if not _WEST <= offset <= _EAST or abs(gap - offset) > _SAME_INSTANT or in_utc.date == instant.date():
        return None
    return in_utc.datetime.replace(tzinfo=dt.timezone(offset))


def _local_day(found: DateEvidence, meta: PageMeta, root: LexborNode | None,
               from_url: tuple[int, int, int | None] | None, tz: str,
               meta_area: tuple[LexborNode, frozenset[int]] | None = None) -> DateEvidence:
    """The publication date as the site wrote it when its metadata gives a UTC instant: the same instant
    stamped with the site's own offset elsewhere on the page (another `<meta>`, a `<time datetime>`) when that
    puts it on another day than UTC does, the permalink's day when the instant falls on it in some zone but not in
    the configured one (`tz`), or without a dated permalink the day the article's meta line (`meta_area`:
    container and what to skip) prints.

    A UTC stamp names the moment, not the local day: `2023-11-09T03:28Z` is 8 November in New York."""
    instant = _utc_instant(found.text)
    if instant is None:
        return found
    stamps = [(value, "meta") for key in PUBLISHED_META if (value := meta.meta.get(key))]
    if root is not None:
        stamps.extend((node.attributes.get("datetime") or node.attributes.get("content") or "", "time")
                      for node in root.css(_LOCAL_STAMPS))
    for text, source in stamps:
        parsed = parse_date(text)
        moment = parsed.datetime if parsed is not None else None
        if moment is not None and moment.utcoffset() and abs(moment - instant) <= _SAME_INSTANT:
            # the same instant; worth naming only when the site's day is not the UTC one
            return found if parsed.date == instant.date() else DateEvidence(to_zone(parsed, tz), source, text)
        if (local := _local_statement(text, instant)) is not None:
            return DateEvidence(local.astimezone(resolve_zone(tz)).isoformat(), source, text)
    if from_url is not None and from_url[2] is not None:
        day = dt.date(*from_url)
        if day.isoformat() != found.value[:10] and (instant + _WEST).date() <= day <= (instant + _EAST).date():
            return DateEvidence(day.isoformat(), "url", f"{from_url[0]:04d}/{from_url[1]:02d}/{from_url[2]:02d}")
    elif meta_area is not None:
        # the day the article's meta line prints (`Nov. 19, 2019`), when the instant can fall on it
        shown, _ = _labelled_date(meta_area[0], meta_area[1], tz, Bounds())
        written = parse_date(shown.text) if shown is not None else None
        if written is not None and written.datetime is None and written.date != instant.date() and (
                (instant + _WEST).date() <= written.date <= (instant + _EAST).date()):
            return DateEvidence(written.date.isoformat(), "label", shown.text)
    return found


def published_date(meta: PageMeta, container: LexborNode | None, body_node: LexborNode | None,
                   title_node: LexborNode | None, body: str, url: str, page_urls: set[str],
                   tz: str, leading: DateEvidence | None = None, ref: dt.date | dt.datetime | None = None,
                   discovered: DateHint | None = None, *, root: LexborNode | None = None,
                   template: frozenset[int] = frozenset(),
                   month_first: bool = False) -> tuple[DateEvidence | None, DateEvidence | None]:
    """(published, modified) from the strongest evidence available; `leading` is a labelled date line found
    at the top of the body (see split_leading_meta). `ref` (the capture time) resolves relative and year-less
    dates of the meta area (`3 hari yang lalu`); body datelines never use it. `discovered` (a feed, REST or
    listing date) ranks below the URL and above the body dateline; a sitemap's comes only when nothing else does.
    Last comes a date-marked element anywhere on the page (`root`) outside its frame and outside `template`
    (mem_ids of the site's template lines, from its profile: a sidebar's recent posts, a header's date);
    `month_first` (the site's numeric order) comes from the profile too."""
    modified = evidence_from_text(_jsonld_date(meta, "dateModified"), "jsonld", tz, month_first)
    for key in MODIFIED_META:
        modified = modified or evidence_from_text(meta.meta.get(key), "meta", tz, month_first)
    from_url = url_date(url)
    try:
        permalink = _permalink_end(from_url)
    except ValueError:  # /2025/02/31/ is no date at all
        permalink, from_url = None, None
    permalink_day = permalink if from_url and from_url[2] else None
    candidates = [found for found in _structured_candidates(meta, tz, month_first)
                  if not _republished(found, permalink_day)]

    @functools.cache
    def shown() -> tuple[DateEvidence | None, DateEvidence | None]:
        return _shown_date(meta, container, body_node, title_node, body, page_urls, tz, leading, ref, discovered,
                           root, template, month_first, from_url, permalink, modified)

    if not candidates:
        return shown()
    found = candidates[0]
    days = [_written_day(candidate) for candidate in candidates]
    if _only_generic(meta, candidates) and (visible := _story_date(shown()[0])) is not None and (
            _written_day(visible) not in days):
        # a bare `date` <meta> is the day the page was generated or last changed as often as its publication day
        return visible, modified
    if len(set(days)) > 1:
        # the page's structured dates disagree (JSON-LD against a <meta>): the one whose day the page prints (or
        # its permalink names), else the first; not a machine stamp (`<time>`, microdata), which may be either
        visible, _ = shown()
        if visible is not None and visible.source in _SHOWN_SOURCES:
            shown_day = _written_day(visible)
            found = next((candidate for candidate, day in zip(candidates, days, strict=True) if day == shown_day),
                         found)
    meta_area = (container, _outside(body_node, title_node)) if container is not None else None
    found = _local_day(found, meta, root, from_url, tz, meta_area)
    if modified is not None and _written_day(modified) not in days:
        found = _shown_revision(shown()[0], modified) or found
    return found, modified


# Evidence of the article's own meta line or dateline, where a theme prints the date it gives the story (a page's
# `Updated …` line elsewhere is read as `text`).
_STORY_DATE_SOURCES = frozenset({"label", "dateline", "time"})
# Publication `<meta>` names that do not say which date they hold (Dublin Core's `date`, a bare `date`).
_GENERIC_META = frozenset({"date", "dc.date", "dcterms.date"})


def _story_date(visible: DateEvidence | None) -> DateEvidence | None:
    """The shown date when it is the article's own (its meta line, dateline or `<time>`), else None."""
    return visible if visible is not None and visible.source in _STORY_DATE_SOURCES and not visible.weak else None


def _only_generic(meta: PageMeta, candidates: list[DateEvidence]) -> bool:
    """Whether the page's structured publication dates are all generic `<meta>` dates (no JSON-LD, no
    `article:published_time` or other name that says publication)."""
    return all(candidate.source == "meta" for candidate in candidates) and not any(
        meta.meta.get(key) for key in PUBLISHED_META if key not in _GENERIC_META)


def _shown_revision(visible: DateEvidence | None, modified: DateEvidence) -> DateEvidence | None:
    """The date the article's meta line shows when it is the day of the structured modified date and of none of
    its structured publication dates: a system that republishes a revised story prints the revision's day as
    the story's date and keeps the first draft's only in its metadata. Not an `Updated …` line, which names
    the edit beside a publication date the page does give."""
    if visible is None or visible.source not in _STORY_DATE_SOURCES or (
            _written_day(visible) != _written_day(modified)):
        return None
    return DateEvidence(visible.value, visible.source, visible.text)  # the modified stamp vouches for it


def _shown_date(meta: PageMeta, container: LexborNode | None, body_node: LexborNode | None,
                title_node: LexborNode | None, body: str, page_urls: set[str], tz: str,
                leading: DateEvidence | None, ref: dt.date | dt.datetime | None, discovered: DateHint | None,
                root: LexborNode | None, template: frozenset[int], month_first: bool,
                from_url: tuple[int, int, int | None] | None, permalink: dt.date | None,
                modified: DateEvidence | None) -> tuple[DateEvidence | None, DateEvidence | None]:
    """(published, modified) from what the page shows and its URL and discovery say, without its structured
    metadata (published_date's steps after it)."""
    bounds = Bounds(ref, _article_anchor(permalink, modified), month_first, permalink)
    others: frozenset[int] = frozenset()
    if container is not None:
        # the site's template inside the article (its label and author lines) is the article's own meta line
        others = frozenset(_other_page_entries(container, meta.base_url, page_urls))
        found, machine_modified = _machine_dates(container, _outside(body_node), others, tz, month_first)
        modified = modified or machine_modified
        if bounds.allows(found):
            return found, modified
        found, labelled = _labelled_date(container, _outside(body_node, title_node) | others
                                         | _modified_marks(container), tz, bounds)
        if found is not None and (labelled or leading is None):
            return found, modified
    if bounds.allows(leading):  # a labelled line atop the body beats an unlabelled date beside it
        return leading, modified
    if from_url and from_url[2] is not None:
        year, month, day = from_url
        return DateEvidence(dt.date(year, month, day).isoformat(), "url", f"{year:04d}/{month:02d}/{day:02d}"), modified
    month = (from_url[0], from_url[1]) if from_url else None
    hint = _discovered_date(discovered, tz, month)
    if hint is not None and hint.source != WEAK_SOURCE:
        return hint, modified
    found = _dateline(body, tz, month, bounds)
    if found is None:
        found = _headline_date(title_node, tz, bounds, meta.base_url, page_urls)
    if found is None and root is not None:
        found = _marked_date(root, others | template | _outside(title_node), tz, month, bounds, meta.base_url,
                             page_urls)
    if found is None:
        found = _title_date(meta.title, tz, bounds) or _script_date(meta, tz, bounds)
    if found is None and month is None and root is not None:
        found = _segment_date(root, others | template | _outside(title_node, body_node), tz, bounds, meta.base_url,
                              page_urls)
    if found is None and hint is None and root is not None:
        found = _stamp_date(root, tz, bounds)
    return found or hint, modified
