"""Bytes to text: the page's charset from the HTTP header, a BOM or `<meta charset>`, else detected."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Browsers decode these labels as Windows-1252 (WHATWG Encoding Standard), and so do the school sites' authors.
_WINDOWS_1252_ALIASES = {"iso-8859-1", "latin1", "latin-1", "iso8859-1", "ascii", "us-ascii", "l1"}


def _codec(label: str | bytes | None) -> str | None:
    """A Python codec name for an HTTP/HTML charset label, or None when unknown."""
    if not label:
        return None
    name = label.decode("ascii", "ignore") if isinstance(label, bytes) else label
    name = name.strip().lower()
    if name in _WINDOWS_1252_ALIASES:
        return "cp1252"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _strict(content: bytes, codec: str) -> str | None:
    try:
        return content.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(content: bytes, content_type: str | None = None) -> str:
    """Decode page bytes; never raises.

    Order: BOM, then the HTTP charset, then `<meta charset>` (each only if the bytes really decode with it,
    because Windows-1252 pages declared as UTF-8 are common), then UTF-8, then Windows-1252.
    """
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return content[len(bom):].decode(codec, errors="replace")
    declared = []
    if content_type and (match := _HEADER_CHARSET.search(content_type)):
        declared.append(_codec(match.group(1)))
    if match := _META_CHARSET.search(content[:4096]):
        declared.append(_codec(match.group(1)))
    for codec in [*declared, "utf-8"]:
        if codec and (text := _strict(content, codec)) is not None:
            return text
    # Indonesian pages that are not UTF-8 are in practice Windows-1252 (Word-pasted quotes and dashes);
    # statistical detection guesses worse than this on short Latin-script pages and costs far more.
    return content.decode("cp1252", errors="replace")
