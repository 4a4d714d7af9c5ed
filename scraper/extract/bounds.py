"""Bounds on the markup before parsing, so no page costs lexbor more than linear time (SECURITY.md, "Parsing").

Nesting: an HTML tree builder checks "is there a <p> in scope" by walking the stack of open elements at each block start
tag, so a page of 100,000 nested `<div>`s costs lexbor minutes (quadratic). Browsers bound this: Blink stops
nesting at 512 open elements. `flatten_deep_nesting` does the same (at 128) on the markup: start tags beyond it are
dropped with their end tags, their text stays. (The extractor's own walks also cost depth × size.) A first pass
over the tag names alone decides; real pages, never deeper than a few dozen, come back untouched.

Attributes: lexbor checks each new attribute name against the tag's earlier ones, so 80,000 distinct names in one
tag cost it half a minute. `limit_attributes` keeps the first 1,000 of a tag's attributes (real tags have tens),
counting them as the tokenizer does: names separated by white space, by `/`, or by nothing after a quoted value.
"""

from __future__ import annotations

import re
from typing import AnyStr

from selectolax.lexbor import LexborHTMLParser

MAX_ATTRIBUTES = 1_000
MAX_OPEN_ELEMENTS = 128     # 8 times the deepest page of the corpus (16); Blink allows 512
# Up to this many `<`, parse first: lexbor's worst case stays ~0.1 s, and the tree's depth costs ~0.2 ms to check
# against ~0.6 ms for the token pass on a typical page. Corpus pages have 500-800.
PARSE_FIRST_MAX_TAGS = 3_000
# Matches an element below html, body and MAX_OPEN_ELEMENTS + 1 others: a tree deeper than the bound allows.
# The deepest compound is a first child (an element that deep has a sibling that deep which is one), so lexbor
# walks up from the first children only: a fifth less matching on a real page.
_DEEPER_THAN_LIMIT = " > ".join(["*"] * (MAX_OPEN_ELEMENTS + 3)) + ":first-child"
# A tree past the bound is past this depth too, and no real page is (the corpus nests 16 deep): asked first, it
# spares ordinary pages lexbor's parse of the long selector (~0.1 ms, as much as matching it).
_DEEPER_THAN_REAL_PAGES = " > ".join(["*"] * 40) + ":first-child"

# Elements that never stay open (void) or whose end tag is optional and implied by the next sibling: neither
# deepens the tree the way an unclosed <div> does, so neither counts.
_NOT_NESTING = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup",
    "caption", "rb", "rt", "rp", "rtc", "html", "head", "body", "!--",
})
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
                       "plaintext"})
# A start or end tag with its attributes, or a comment opening. A quoted value may hold `<` and `>` (a fake
# `</div>` in a title attribute must not count); each quote scans only to the next quote, so the scan stays linear.
_TAG = r"<(!--|/?[A-Za-z][A-Za-z0-9:-]*)((?:\"[^\"]*\"|'[^']*'|[^<>\"'])*+)"
_TAG_STR = re.compile(_TAG)
_TAG_BYTES = re.compile(_TAG.encode())
# The deciding pass: tag names (attributes skipped, quoted values whole), as a list at C speed. Comments count as
# the tags in them do (an overestimate); looking for `-->` as well cost the pass half its time ('-' is common).
_TOKEN = re.compile(r"<(!--|/?[A-Za-z][A-Za-z0-9:-]*)(?:\"[^\"]*+\"|'[^']*+'|[^<>\"']++)*+")
# An attribute as the HTML tokenizer reads it: separators (white space, `/`), a name (anything but white space, `/`
# and `>`, so also `<` and quotes; `=` only first), then maybe `=` and a quoted or unquoted value. After a quoted
# value the next name may follow with no separator.
_WHITE = r"\t\n\f\r "
_SPACE = rf"[{_WHITE}/]"
_NAME = rf"[^{_WHITE}/>][^{_WHITE}/>=]*+"
_VALUE = rf"""[{_WHITE}]*+=[{_WHITE}]*+(?:"[^"]*+"|'[^']*+'|[^{_WHITE}>]*+)"""
_ATTRIBUTE = rf"{_SPACE}*+{_NAME}(?:{_VALUE})?+"
_TAG_OPEN = rf"<[A-Za-z][^{_WHITE}/>]*+"
# The shape of nearly every real tag, read faster (a third fewer steps on the corpus): white space before each
# attribute, a plain name, no value or a quoted one right after `=`, then `>` or `/>`. The tokenizer reads such a
# tag exactly so (a name of these letters ends at `=`, a quoted value at its quote); any other tag fails this and
# is read again by the general alternative (each tag at most twice: still linear).
_PLAIN_ATTRIBUTE = rf"""[{_WHITE}]++[A-Za-z0-9_:.-]++(?:="[^"]*+"|='[^']*+')?+"""
_PLAIN_TAG = rf"{_TAG_OPEN}(?:{_PLAIN_ATTRIBUTE}){{0,{MAX_ATTRIBUTES}}}+[{_WHITE}]*+/?>"
_ANY_TAG = rf"{_TAG_OPEN}(?:{_ATTRIBUTE}){{0,{MAX_ATTRIBUTES}}}+{_SPACE}*+(?:>|\Z)"
# One anchored pass: text and tags of at most MAX_ATTRIBUTES attributes are consumed (text and the tag after it in
# one step, half the engine's steps of one each), up to the first tag with more (group 1: the tag up to its last
# kept attribute; the rest of its attributes follow). Possessive throughout and never retried from inside a tag,
# so it stays linear even where a name holds `<`.
_CROWDED_TAG = (rf"(?:[^<]*+(?:<(?![A-Za-z])|{_PLAIN_TAG}|{_ANY_TAG}))*+[^<]*+"
                rf"(?:({_TAG_OPEN}(?:{_ATTRIBUTE}){{{MAX_ATTRIBUTES}}})(?:{_ATTRIBUTE})*+)?")
_CROWDED_TAG_STR = re.compile(_CROWDED_TAG)
_CROWDED_TAG_BYTES = re.compile(_CROWDED_TAG.encode())


def bound_markup(markup: AnyStr) -> AnyStr:
    """`markup` with both bounds applied (the same object when neither is reached: every real page)."""
    return flatten_deep_nesting(limit_attributes(markup))


def parse_bounded(markup: str, utf8: bytes | None = None) -> LexborHTMLParser:
    """The lexbor tree of `markup` with both bounds applied, as `LexborHTMLParser(bound_markup(markup))` but cheaper
    on ordinary pages: one with few tags (lexbor's quadratic cost cannot add up) is parsed first and its depth checked
    on the tree by a C-speed selector; only a tree that deep, or a page of many tags, takes the token pass.

    `utf8` is `markup` encoded as UTF-8 when the caller has it (decode.decode_html_source): lexbor parses UTF-8,
    and handing it those bytes spares encoding the text again (~15% of a parse on a page with non-ASCII text)."""
    limited = limit_attributes(markup)
    if limited.count("<") <= PARSE_FIRST_MAX_TAGS:
        tree = LexborHTMLParser(_as_given(limited, markup, utf8))
        if tree.css_first(_DEEPER_THAN_REAL_PAGES) is None or tree.css_first(_DEEPER_THAN_LIMIT) is None:
            return tree
    return LexborHTMLParser(_as_given(flatten_deep_nesting(limited), markup, utf8))


def _as_given(bounded: str, markup: str, utf8: bytes | None) -> str | bytes:
    """What lexbor should parse: the caller's UTF-8 bytes when the bounds left the markup as it was."""
    return utf8 if utf8 is not None and bounded is markup else bounded


def limit_attributes(markup: AnyStr) -> AnyStr:
    """`markup` with each tag's attributes after the first `MAX_ATTRIBUTES` removed (the same object when no tag
    has more, which is every real page)."""
    pattern = _CROWDED_TAG_BYTES if isinstance(markup, bytes) else _CROWDED_TAG_STR
    pieces: list[AnyStr] = []
    kept_from = 0
    while (match := pattern.match(markup, kept_from)) and match.group(1) is not None:
        pieces.append(markup[kept_from:match.end(1)])
        kept_from = match.end()
    if not pieces:
        return markup
    pieces.append(markup[kept_from:])
    return markup[:0].join(pieces)


def flatten_deep_nesting(markup: AnyStr, limit: int = MAX_OPEN_ELEMENTS) -> AnyStr:
    """`markup` with start tags beyond `limit` open elements (and their end tags) removed; unchanged (the same
    object) when it never nests that deep, which is every real page."""
    is_bytes = isinstance(markup, bytes)
    if markup.count(b"<" if is_bytes else "<") <= limit \
            or not _nests_deeper(markup.decode("latin-1") if is_bytes else markup, limit):
        return markup
    pattern = _TAG_BYTES if is_bytes else _TAG_STR
    pieces: list[AnyStr] = []
    kept_from = 0
    depth = dropped = 0
    position = 0
    while (match := pattern.search(markup, position)) is not None:
        position = match.end()
        token = match.group(1)
        name = (token.decode("latin-1") if is_bytes else token).lower()
        if name == "!--":              # from `<!` on: the tag pattern has read on past a plain comment's `--`
            end = markup.find(b"-->" if is_bytes else "-->", match.start() + 2)
            if end < 0:
                break
            position = end + 3
            continue
        closing = name.startswith("/")
        name = name.lstrip("/")
        if closing:
            if name in _NOT_NESTING:
                continue
            if dropped:
                dropped -= 1
                pieces.append(markup[kept_from:match.start()])
                kept_from = _tag_end(markup, match)
            elif depth:
                depth -= 1
            continue
        if name in _RAW_TEXT:          # its content is text, not markup: skip to after its end tag
            position = _raw_text_end(markup, name, position, is_bytes)
            if position < 0:
                break
            continue
        if name in _NOT_NESTING or _self_closing(match.group(2), is_bytes):
            continue
        if depth < limit:
            depth += 1
            continue
        dropped += 1
        pieces.append(markup[kept_from:match.start()])
        kept_from = _tag_end(markup, match)
    if not pieces:
        return markup
    pieces.append(markup[kept_from:])
    return markup[:0].join(pieces)


def _nests_deeper(markup: str, limit: int) -> bool:
    """Whether `markup` ever has more than `limit` elements open (counted as `flatten_deep_nesting` counts them,
    except that a self-closing `<path/>` counts as open: an overestimate that only costs the slower pass)."""
    depth = 0
    skipping: str | None = None      # inside a raw-text element ("/script")
    for token in _TOKEN.findall(markup):
        if skipping is not None:
            if token.lower() == skipping:
                skipping = None
            continue
        name = token.lower()
        if name in _NOT_NESTING:     # `!--` among them
            continue
        if name[0] == "/":
            depth -= depth > 0 and name[1:] not in _NOT_NESTING
        elif name in _RAW_TEXT:
            skipping = "/" + name
        elif (depth := depth + 1) > limit:
            return True
    return False


def _self_closing(attributes: AnyStr, is_bytes: bool) -> bool:
    return attributes.rstrip().endswith(b"/" if is_bytes else "/")


def _tag_end(markup: AnyStr, match: re.Match) -> int:
    """Where the tag matched ends: after its `>` when that follows, else where the match stopped."""
    end = match.end()
    return end + 1 if markup[end:end + 1] in (b">", ">") else end


_RAW_END_STR: dict[str, re.Pattern[str]] = {}
_RAW_END_BYTES: dict[str, re.Pattern[bytes]] = {}


def _raw_text_end(markup: AnyStr, name: str, position: int, is_bytes: bool) -> int:
    """Where the end tag of a raw-text element (script, style, ...) ends; -1 when it never comes."""
    cache = _RAW_END_BYTES if is_bytes else _RAW_END_STR
    if name not in cache:
        text = f"</{name}[^<>]{{0,4096}}>?"
        cache[name] = re.compile(text.encode() if is_bytes else text, re.IGNORECASE)  # type: ignore[assignment]
    found = cache[name].search(markup, position)
    return found.end() if found else -1
