"""What one site's pages share: its template (lines printed in the same place on most pages, the `<title>`
that is the same everywhere) and its numeric date order, learned from the pages seen.

Pure and incremental: `page_keys` reads a parsed page into fingerprint keys, `learn` folds a page's
`Fingerprint` into a `SiteProfile` (a small JSON-able record kept with the site in the archive), and extraction
asks the profile which of a page's nodes and lines are template (`page_template`, `template_title`) and whether
the site writes month first (`SiteProfile.month_first_dates`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.bounds import parse_bounded
from scraper.extract.decode import decode_html_source
from scraper.extract.dom import norm

try:   # `hashlib.blake2b` itself (hashlib never takes OpenSSL's), without hashlib's import, which loads OpenSSL
    from _blake2 import blake2b
except ImportError:  # a Python built without its own hash modules
    from hashlib import blake2b

VERSION = 1
MAX_KEYS = 400            # keys kept (~8 KB of JSON a site); a site's template is a few dozen lines
MAX_ELEMENTS = 5000       # elements read per page: a huge page's tail is its own, not the site's
WINDOW = 200              # pages after which older evidence is halved (recent pages count most)
_MIN_PAGES = 3            # a line is template only when seen on at least this many pages ...
_SHARE = 0.5              # ... and on at least this share of the pages learned from
_LINE_CHARS = (3, 200)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "title"})
_CLASS_DIGITS = re.compile(r"\d+")
# `15/03/2021`: a first number above 12 says day first, a second one says month first. Such a date is a whole run
# of digits and `/.-` (nothing of the kind right before or after it), so the runs are cut out at C speed (every
# other byte made a space, then split) and only those of 8 to 10 bytes are matched: 1.7x faster than one regex
# scan, which has to stop at each of a page's ~2,000 digits. Group 2 (a second digit) only after 0-3.
_DATE_RUN_BYTES = frozenset(b"0123456789/.-")
_DATE_RUNS = bytes(byte if byte in _DATE_RUN_BYTES else 0x20 for byte in range(256))
_NUMERIC_DATE = re.compile(rb"(\d)(?:(?<=[0-3])(\d))?[/.-]([0-3]?\d)[/.-](?:19|20)\d\d")


@dataclass(slots=True)
class Fingerprint:
    """What one page tells about its site: its line keys and its numeric-date order evidence."""

    keys: list[str]
    day_first: int = 0
    month_first: int = 0


@dataclass(slots=True)
class SiteProfile:
    """Per-site facts learned from many pages: how often each line key was seen, and the date order."""

    pages: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    day_first: int = 0
    month_first: int = 0

    @property
    def month_first_dates(self) -> bool:
        """Whether the site writes numeric dates month first (`03/15/2021`)."""
        return self.month_first > self.day_first

    def is_template(self, key: str) -> bool:
        """Whether a line key repeats on enough of the site's pages to be its template."""
        seen = self.counts.get(key, 0)
        return seen >= _MIN_PAGES and seen >= _SHARE * self.pages

    def to_json(self) -> dict[str, Any]:
        """The profile as stored in `sites.profile`."""
        return {"version": VERSION, "pages": self.pages, "counts": self.counts, "day_first": self.day_first,
                "month_first": self.month_first}

    @classmethod
    def from_json(cls, data: Any) -> SiteProfile:
        """A profile from its stored form; an unreadable or older form gives an empty profile."""
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return cls()
        counts = data.get("counts")
        return cls(pages=_count(data.get("pages")),
                   counts={str(k): _count(v) for k, v in counts.items()} if isinstance(counts, dict) else {},
                   day_first=_count(data.get("day_first")), month_first=_count(data.get("month_first")))


def _count(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def learn(profile: SiteProfile | None, fingerprint: Fingerprint) -> SiteProfile:
    """A new profile with one more page folded in (the argument is not changed).

    Recent pages count most: past WINDOW pages every count is halved, so a template that changed (a new
    sidebar post, a redesign) is learned within about WINDOW / 2 pages and the old one fades; over MAX_KEYS
    keys the rarest go, never those of the page just seen (a new template line must get the chance to grow)."""
    base = profile or SiteProfile()
    counts = dict(base.counts)
    seen = set(fingerprint.keys)
    for key in seen:
        counts[key] = counts.get(key, 0) + 1
    pages, day_first = base.pages + 1, base.day_first + fingerprint.day_first
    month_first = base.month_first + fingerprint.month_first
    if pages > WINDOW:
        pages, day_first, month_first = pages // 2, day_first // 2, month_first // 2
        counts = {key: count // 2 for key, count in counts.items() if count >= 2}
    if len(counts) > MAX_KEYS:
        older = sorted((key for key in counts if key not in seen), key=lambda key: counts[key])
        for key in older[: len(counts) - MAX_KEYS]:
            del counts[key]
    return SiteProfile(pages=pages, counts=counts, day_first=day_first, month_first=month_first)


@lru_cache(maxsize=8192)
def _key(text: str) -> str:
    # cached: a site's template lines (menus, sidebars, footers) come back on every page, ~95% of the keys asked
    return blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


def title_key(title: str) -> str:
    """The key of a page's `<title>` or `og:title`."""
    return _key("title\x00" + norm(title))


def _place(node: LexborNode, tag: str, parents: dict[int, str]) -> str:
    """Where a node sits: its tag and classes and its parent's (numbers dropped: `post-123`)."""
    parent = node.parent
    if parent is None:
        above = ""
    elif (above := parents.get(parent_id := parent.mem_id)) is None:
        above = parents[parent_id] = _without_digits(f"{parent.tag}.{parent.attributes.get('class') or ''}")
    # `attributes` (a dict of them all) costs less than `attrs.get`, which raises and catches KeyError on a
    # missing class, as most text elements have none
    own = node.attributes.get("class")
    return f"{above}>{tag}.{_without_digits(own) if own else ''}"


@lru_cache(maxsize=4096)
def _without_digits(text: str) -> str:
    """`text` without its digits (a site's pages repeat the same few class names)."""
    return _CLASS_DIGITS.sub("", text)


PageKeys = dict[str, tuple[str, list[int]]]


def page_keys(tree: LexborHTMLParser, titles: Sequence[str]) -> PageKeys:
    """Line key → (the line, mem_ids of the elements printing it): each element's own text (its direct text
    nodes), keyed with where it sits; plus the keys of the page's `<title>` and `og:title` (no element)."""
    keys: PageKeys = {title_key(title): (title, []) for title in titles if title}
    root = tree.body
    if root is None:
        return keys
    parents: dict[int, str] = {}
    for node in itertools.islice(root.traverse(), MAX_ELEMENTS):
        text = node.text(deep=False)     # most elements hold no text of their own: asked first, it skips them soonest
        if not text or text.isspace() or (tag := node.tag) in _SKIP_TAGS:
            continue
        line = " ".join(text.split())
        if _LINE_CHARS[0] <= len(line) <= _LINE_CHARS[1]:
            key = _key(f"{_place(node, tag, parents)}\x00{line.casefold()}")
            keys.setdefault(key, (line, []))[1].append(node.mem_id)
    return keys


def fingerprint(keys: PageKeys, html: bytes | str) -> Fingerprint:
    """A page's fingerprint from its keys (see page_keys) and its raw text (for numeric date order)."""
    raw = html.encode("utf-8", "replace") if isinstance(html, str) else html
    day_first = month_first = 0
    for first, second in _numeric_dates(raw):
        day_first += first > 12 >= second
        month_first += second > 12 >= first
    return Fingerprint(keys=list(keys), day_first=day_first, month_first=month_first)


def _numeric_dates(raw: bytes) -> list[tuple[int, int]]:
    """(first, second) number of each numeric date (`15/03/2021`, `3.15.2021`) in the raw page, in order."""
    found = []
    for run in raw.translate(_DATE_RUNS).split():
        if 8 <= len(run) <= 10 and (match := _NUMERIC_DATE.fullmatch(run)):
            found.append((int(match[1] + (match[2] or b"")), int(match[3])))
    return found


@dataclass(slots=True, frozen=True)
class Template:
    """The parts of one page that are its site's template: element mem_ids and their normalised lines."""

    nodes: frozenset[int] = frozenset()
    lines: frozenset[str] = frozenset()


def page_template(keys: PageKeys, profile: SiteProfile | None) -> Template:
    """Which of the page's elements and lines are the site's template."""
    if profile is None or profile.pages < _MIN_PAGES:
        return Template()
    found = [(line, ids) for key, (line, ids) in keys.items() if ids and profile.is_template(key)]
    return Template(nodes=frozenset(mem_id for _, ids in found for mem_id in ids),
                    lines=frozenset(norm(line) for line, _ in found))


def template_title(title: str, profile: SiteProfile | None) -> bool:
    """Whether a page's `<title>` or `og:title` is the one the whole site prints (it names the site, not the
    article)."""
    return bool(title) and profile is not None and profile.is_template(title_key(title))


def trim_template(body: str, lines: frozenset[str]) -> str:
    """The body without the template lines it starts with (a welcome banner caught in the block); a repeated
    line later on is the story's (schools reuse a sentence, a caption, the closing `Humas ...` signature)."""
    paragraphs = body.split("\n\n")
    while len(paragraphs) > 1 and norm(paragraphs[0]) in lines:
        paragraphs.pop(0)
    return "\n\n".join(paragraphs)


def page_fingerprint(content: bytes, content_type: str | None = None) -> Fingerprint:
    """The fingerprint of a page's bytes without extracting it (the first pass of `warta extract` over WARCs);
    the same keys `extract_page(..., fingerprint=True)` gives."""
    html, utf8 = decode_html_source(content, content_type)
    tree = parse_bounded(html, utf8)
    title = tree.css_first("title")
    og_title = tree.css_first('meta[property="og:title" i][content], meta[name="og:title" i][content]')
    titles = (" ".join((title.text() or "").split()) if title is not None else "",
              (og_title.attributes.get("content") or "").strip() if og_title is not None else "")
    return fingerprint(page_keys(tree, titles), html if utf8 is None else utf8)
