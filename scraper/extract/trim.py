"""The short lines a theme prints after the story inside its block: section labels (`Aktuelle News`, `Zurück nach
oben`), share prompts, tag and category rows (`Tags: ...`, `Kategori`), rows of links.

jusText's idea, on the body's paragraphs: after the story's last paragraph of prose, a run of short lines that do not
read as sentences is the page around the story, not the story; a line the author wrote as a paragraph of its own
(a sign-off `(Humas SMK ...)`, `Penulis: ...`) stays."""

from __future__ import annotations

import re
from collections.abc import Callable

# a sentence ends in its punctuation, with a closing quote or bracket after it (`... kata dia.”`, `(Reuters).`), or
# in a closing quote alone (a quoted sentence printed without its full stop)
_SENTENCE_END = re.compile(r"(?:[.!?。！？…][\"'”’)»\]）】」]*|\w[”»」])$")
# a line ending in a colon introduces what follows it (`To see it in action, check out the footage below:`)
_INTRO_END = re.compile(r"[:：]$")
_TAIL_CHARS = 100     # a line of the page's furniture is short ...
_TAIL_WORDS = 12      # ... and a few words at most (a sentence may lack its full stop, a long line is prose)
_TAIL_LINES = 6       # lines of furniture at most: a longer run is a list of the story's (tour dates, a changelog)
_SENTENCE_WORDS = 4   # words of a short line ending in a full stop that make it a sentence, not a label (`Dibaca.`)
_SENTENCE_CHARS = 20
_LINK_LINE_CHARS = 200   # a line of links is short ...
_LINK_LINE_SHARE = 0.6   # ... and mostly link text, however it ends
_LINK_MIN = 4            # characters of a link's text that can be found in a line for what it is


def without_tail(paragraphs: list[str], links: set[str], own: Callable[[], set[str]]) -> list[str]:
    """The paragraphs without the run of short non-sentence lines after the story's last prose paragraph (see
    `_is_furniture`; `links`: the texts of the links in the region, `own()`: those of its paragraphs, list items
    and captions without links, which the author wrote: a sign-off line `(Humas SMK ...)`, the story's points;
    asked only when a line would go, as reading them costs more than the rest of the step). Kept
    whole when no prose paragraph comes before the run (a page of short lines: a schedule, a list of names), when
    the run is longer than `_TAIL_LINES` (a list), and when the paragraph before it ends in `:` (it introduces a
    list)."""
    end = len(paragraphs)
    # (one line past the longest run is enough to tell: linear on a page of a thousand short lines)
    while end > 0 and len(paragraphs) - end <= _TAIL_LINES and _is_furniture(paragraphs[end - 1], links, own):
        end -= 1
    if end in (0, len(paragraphs)) or len(paragraphs) - end > _TAIL_LINES or _INTRO_END.search(paragraphs[end - 1]):
        return paragraphs
    return paragraphs[:end]


def link_texts(texts: list[str]) -> set[str]:
    """The link texts long enough to be told in a line."""
    return {text for text in texts if len(text) >= _LINK_MIN}


def is_link_line(line: str, links: set[str]) -> bool:
    """Whether the line is short and mostly the texts of `links` (`Cetak | Kirim ke teman`)."""
    if len(line) >= _LINK_LINE_CHARS or not links:
        return False
    flat = " ".join(line.split())
    return sum(len(text) for text in links if text in flat) >= _LINK_LINE_SHARE * len(flat)


def _is_furniture(line: str, links: set[str], own: Callable[[], set[str]]) -> bool:
    """Whether the line is a label, a tag row or a prompt (short and no sentence, or mostly link texts), and none
    of the author's own lines."""
    words = len(line.split())
    short = len(line) < _TAIL_CHARS and words <= _TAIL_WORDS
    return (short and not _reads_as_sentence(line, words) or is_link_line(line, links)) \
        and " ".join(line.split()) not in own()


def _reads_as_sentence(line: str, words: int) -> bool:
    # (a line of Chinese or Japanese is one "word": its length tells)
    ends = _SENTENCE_END.search(line) or _INTRO_END.search(line)
    return bool(ends) and (words >= _SENTENCE_WORDS or len(line) >= _SENTENCE_CHARS)

