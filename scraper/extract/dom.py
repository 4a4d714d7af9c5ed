"""DOM helpers over selectolax nodes: iterative walks (pages can nest 10,000 deep) and text rendering."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from selectolax.lexbor import LexborNode

# Never visible text.
HEADINGS = "h1, h2, h3, h4, h5, h6"   # every heading level, as one selector
INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "title", "iframe", "object",
                            "embed", "canvas", "map", "audio", "video", "select", "option", "textarea", "button",
                            "input", "math"})
BLOCK_TAGS = frozenset({"p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "h1", "h2",
                        "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody",
                        "tfoot", "tr", "caption", "blockquote", "pre", "figure", "figcaption", "form", "hr",
                        "address", "details", "summary", "center", "fieldset", "br", "body", "html"})
CELL_TAGS = frozenset({"td", "th"})
_NEWLINE_SPACE = re.compile(r"[ \t\r\n\f\v]*[\t\r\n\f\v][ \t\r\n\f\v]*")
PARAGRAPH_BREAK = "\n\n"


def iter_subtree(root: LexborNode, *, include_text: bool = False,
                 prune: Callable[[LexborNode], bool] | None = None) -> Iterator[LexborNode]:
    """Every node under root (root included) in document order, without recursion.

    Elements for which `prune` is true are yielded but their subtrees are not entered.
    """
    yield root
    node = root.child
    while node is not None:
        pruned = False
        if node.is_element_node:
            yield node
            pruned = prune is not None and prune(node)
        elif include_text:
            yield node
        if node.child is not None and node.is_element_node and not pruned:
            node = node.child
            continue
        while node is not None and node.next is None:
            node = node.parent
            if node is None or node.mem_id == root.mem_id:
                return
        if node is None:
            return
        node = node.next


def class_and_id(node: LexborNode) -> str:
    """The node's class and id attributes, lower-cased, for pattern tests."""
    # two look-ups in lexbor, not `node.attributes` (a dict of all of them): asked of every classed node of a page
    return f"{node.attrs.get('class') or ''} {node.id or ''}".lower()


def _normalise_paragraph(text: str) -> str:
    # Source line breaks and indentation are not content; runs of plain spaces are kept as the author typed them.
    # Most pieces between two blocks are indentation alone, and the regex costs ~1 µs even on those.
    if text.isspace():
        return ""
    return _NEWLINE_SPACE.sub(" ", text).strip()


def render_text(root: LexborNode, skip: frozenset[int] = frozenset()) -> str:
    """Plain text of root: one paragraph per block element, paragraphs separated by one blank line.

    `skip` holds mem_ids of subtrees to leave out (boilerplate inside the chosen block).
    """
    pieces: list[str] = []
    stack: list[tuple[LexborNode, bool]] = [(root, True)]
    while stack:
        node, entering = stack.pop()
        tag = node.tag
        if not entering:
            pieces.append(PARAGRAPH_BREAK if tag in BLOCK_TAGS else " " if tag in CELL_TAGS else "")
            continue
        if node.is_text_node:
            pieces.append(node.text_content or "")
            continue
        if not node.is_element_node or tag in INVISIBLE_TAGS or node.mem_id in skip:
            continue
        if tag in BLOCK_TAGS:
            pieces.append(PARAGRAPH_BREAK)
        stack.append((node, False))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((child, True) for child in reversed(children))
    paragraphs = (_normalise_paragraph(part) for part in "".join(pieces).split(PARAGRAPH_BREAK))
    return PARAGRAPH_BREAK.join(part for part in paragraphs if part)


def inline_text(node: LexborNode) -> str:
    """The node's visible text on one line, whitespace collapsed (titles, labels, link texts)."""
    child = node.child
    if child is not None and child.next is None and child.is_text_node and node.is_element_node \
            and node.tag not in INVISIBLE_TAGS:
        # a heading or a link of one text node (most of them): its words, without the walk
        return " ".join((child.text_content or "").split())
    return " ".join(render_text(node).split())


_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\xa0": " "})


def ancestors(node: LexborNode, stop: LexborNode | None = None) -> Iterator[LexborNode]:
    """The node's ancestors, nearest first, up to `stop` (left out) or the document's root."""
    current = node.parent
    while current is not None and (stop is None or current.mem_id != stop.mem_id):
        yield current
        current = current.parent


def within(node: LexborNode, container: LexborNode, blocks: frozenset[int]) -> bool:
    """Whether the node, or an element between it and the container, is one of `blocks` (mem_ids)."""
    return node.mem_id != container.mem_id and (
        node.mem_id in blocks or any(above.mem_id in blocks for above in ancestors(node, container)))


def norm(text: str) -> str:
    """Key for comparing titles and names: case, spacing and typographic quotes or dashes do not matter."""
    return " ".join(text.casefold().translate(_TYPOGRAPHY).split())
