"""Bytes to text: the page's charset from the HTTP header, a BOM or `<meta charset>`, else detected."""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Browsers decode these labels as Windows-1252 (WHATWG Encoding Standard), and so do the school sites' authors.
_WINDOWS_1252_ALIASES = {"iso-8859-1", "latin1", "latin-1", "iso8859-1", "ascii", "us-ascii", "l1"}
# Byte-pair codecs: their ASCII-range text is NUL-laden bytes that also pass as UTF-8, so a declaration of one
# is never second-guessed by the UTF-8 check.
_WIDE = ("utf-16", "utf-32")
# A UTF-8 lead byte and its continuation bytes: the sequences that make a byte string UTF-8 rather than
# Windows-1252 text, whose accented letters seldom come in exactly such runs.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_FALLBACK = "warta-cp1252"
_ASCII = bytes(range(128))


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Stray bytes in UTF-8 text read as Windows-1252 (a Latin-1 snippet pasted into a UTF-8 page)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error(_FALLBACK, _cp1252_fallback)


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

    Order: BOM; then UTF-8 when the bytes are valid UTF-8 beyond ASCII (a page whose header or `<meta>` names
    Windows-1252 or ISO-8859-2 but whose bytes are valid multibyte UTF-8 is UTF-8: legacy single-byte text
    virtually never forms such sequences); then the HTTP charset, then `<meta charset>` (each only if the bytes
    really decode with it, because Windows-1252 pages declared as UTF-8 are common); then UTF-8 with its few
    stray bytes read as Windows-1252 when most of the non-ASCII bytes are UTF-8; else Windows-1252.
    """
    return decode_html_source(content, content_type)[0]


def decode_html_source(content: bytes, content_type: str | None = None) -> tuple[str, bytes | None]:
    """`decode_html`'s text, and `content` itself when it is exactly that text's UTF-8 encoding (else None), so
    a UTF-8 parser can take the bytes as they came instead of encoding the text again."""
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return content[len(bom):].decode(codec, errors="replace"), None
    declared = []
    if content_type and (match := _HEADER_CHARSET.search(content_type)):
        declared.append(_codec(match.group(1)))
    if match := _META_CHARSET.search(content[:4096]):
        declared.append(_codec(match.group(1)))
    wide = any(codec and codec.startswith(_WIDE) for codec in declared)
    ascii_bytes = content.isascii()
    if not wide and not ascii_bytes and (text := _strict(content, "utf-8")) is not None:
        return text, content
    # UTF-8 was tried above unless a byte-pair codec was declared (ASCII bytes read the same in every codec)
    for codec in [*declared, "utf-8"] if wide else declared:
        if codec and (text := _strict(content, codec)) is not None:
            same = codec == "utf-8" or (ascii_bytes and _reads_ascii_as_ascii(codec))
            return text, content if same else None
    if _mostly_utf8(content):
        return content.decode("utf-8", errors=_FALLBACK), None
    # Indonesian pages that are not UTF-8 are in practice Windows-1252 (Word-pasted quotes and dashes);
    # statistical detection guesses worse than this on short Latin-script pages and costs far more.
    return content.decode("cp1252", errors="replace"), content if ascii_bytes else None


@lru_cache(maxsize=64)
def _reads_ascii_as_ascii(codec: str) -> bool:
    """Whether `codec` decodes each ASCII byte as that ASCII character (not so for EBCDIC or UTF-7)."""
    try:
        return _ASCII.decode(codec) == _ASCII.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return False


def _mostly_utf8(content: bytes) -> bool:
    """Whether most of the non-ASCII bytes form UTF-8 sequences (a UTF-8 page with a few stray bytes)."""
    in_sequences = sum(len(found) for found in _UTF8_SEQUENCE.findall(content))
    high = len(content.translate(None, _ASCII))
    return in_sequences > 0 and in_sequences >= 0.8 * high
