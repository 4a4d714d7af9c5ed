"""Bounded nesting before parsing (SECURITY.md, "Parsing").

An HTML tree builder checks "is there a <p> in scope" by walking the stack of open elements at each block start
tag, so a page of 100,000 nested `<div>`s costs lexbor minutes (quadratic). Browsers bound this: Blink stops
nesting at 512 open elements. `flatten_deep_nesting` does the same on the markup: start tags beyond the limit are
dropped with their end tags, their text stays. Pages with few tags are left alone without a look: whatever their
shape, lexbor parses 10,000 tags in well under a second.
"""

from __future__ import annotations

import re
from typing import AnyStr

MAX_OPEN_ELEMENTS = 512
UNCHECKED_TAGS = 10_000      # pages with at most this many start tags are parsed as they are

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
_TAG = r"<(!--|/?[A-Za-z][A-Za-z0-9:-]*)((?:\"[^\"]*\"|'[^']*'|[^<>\"'])*)"
_TAG_STR = re.compile(_TAG)
_TAG_BYTES = re.compile(_TAG.encode())
_START_STR = re.compile(r"<[A-Za-z]")
_START_BYTES = re.compile(rb"<[A-Za-z]")


def flatten_deep_nesting(markup: AnyStr, limit: int = MAX_OPEN_ELEMENTS) -> AnyStr:
    """`markup` with start tags beyond `limit` open elements (and their end tags) removed; unchanged (the same
    object) when it never nests that deep, which is every real page."""
    is_bytes = isinstance(markup, bytes)
    if markup.count(b"<" if is_bytes else "<") <= UNCHECKED_TAGS \
            or len((_START_BYTES if is_bytes else _START_STR).findall(markup)) <= UNCHECKED_TAGS:
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
        if name == "!--":
            end = markup.find(b"-->" if is_bytes else "-->", position)
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
