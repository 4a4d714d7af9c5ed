"""Where the article is on the page: boilerplate removal, the main text block, its container."""

from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.dates import find_dates
from scraper.extract import trim
from scraper.extract.dom import HEADINGS, INVISIBLE_TAGS, ancestors, class_and_id, iter_subtree, norm, render_text

# Regions that are never the article, by tag and by class/id words used across themes and platforms.
NOISE_TAGS = frozenset({"nav", "aside", "form", "dialog", "menu"})
# Searched in the names with a space before them, so each alternative starts with a separator: the regex engine
# skips to the separators at C speed instead of trying every word at every letter (2x faster).
_NOISE_WORDS = re.compile(
    r"[\s_-](?:comments?|komentar|comment-respond|respond|share|sharing|sharedaddy|social|sosmed|bagikan|"
    r"related|terkait|breadcrumbs?|sidebar|widget-area|pagination|page-numbers|nav-links|navigation|"
    r"post-navigation|navigasi-berita|menu|topbar|top-bar|top-header|ticker|marquee|running-text|popup|modal|"
    r"cookie|screen-reader-text|sr-only|visually-hidden|skip-link|advert|ads|iklan|newsletter|subscribe|"
    r"author-box|about-author|jp-relatedposts|yarpp|addtoany|a2a|sharethis|printfriendly|wpcnt|rating)"
    r"(?![^\s_-])"
    # a class that *is* a widget (WordPress, Blogger sidebars), not page builders' `elementor-widget-container`
    r"|\swidget(?![^\s_-])"
)
# Layout flags on wrappers (`has-sidebar`, `no-comments`) describe the page, not the element.
_LAYOUT_FLAGS = re.compile(r"\s(?:has|no|with|without|is|show|hide)-\S*")   # (searched as _NOISE_WORDS is)
_KEEP_TAGS = frozenset({"html", "body", "main", "article"})
# Lines editors insert to point at other stories or ask for a follow or a subscription (Indonesian and English
# wording); never part of the story itself.
_CROSS_LINK = re.compile(r"(?:baca juga|baca pula|lihat juga|simak juga|artikel terkait|berita terkait|"
                         r"ikuti (?:kami|juga|terus|berita)|read (?:more|also|next)\b|see also\b|related:|"
                         r"(?:get|sign up for) (?:the latest|our)|subscribe to|follow (?:us|me) on)\b",
                         re.IGNORECASE)
# Never shown: a closed pop-up, a mobile menu's copy, text kept for scripts (unless it holds the story: themes that
# fade the whole page in from `display: none`).
_HIDDEN = ('[hidden], [aria-hidden=true], [style*="display:none" i], [style*="display: none" i], '
           '[style*="visibility:hidden" i], [style*="visibility: hidden" i], '
           # an overlay over the page (a privacy notice, a sign-up box): a `<dialog>` by its role
           '[role=dialog], [role=alertdialog], [aria-modal=true]')
# What a reader types into or picks from: never part of the story's prose (a button can be: `Unduh`).
_CONTROL_TAGS = frozenset({"input", "textarea", "select"})
_WIDGET_CHARS = 600   # characters of text around a form control, at most, for it to be one widget
_WIDGET_LEVELS = 12
_NOSCRIPT_PROSE = 200   # characters of prose in a <noscript> that make it the story's copy
_WIDGET_PROSE = 100   # characters of a paragraph that is the story's, not a widget's line
# A sidebar's text widget (a welcome from the head of school) is long prose too, but never the story.
_SIDE_WORDS = re.compile(r"(?:^|[\s_-])(?:sidebar|widget)(?:$|[\s_-])")
_COMMENT_WORDS = re.compile(r"(?:^|[\s_-])(?:comments?|komentar|comment-respond|respond|disqus)(?:$|[\s_-])")
# what is shown over the page, not in it (a sign-up box, a disclosures pop-up): never the story, however long
_OVERLAY_WORDS = re.compile(r"(?:^|[\s_-])(?:popup|modal|dialog)(?:$|[\s_-])")
# What marks the story itself; not `article`, which comment lists and recent-post widgets use too.
_PROTECTED = "h1, main, [itemprop=articleBody], [itemprop=blogPost], .entry-content, .post-body"
_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’)»]*$")
_REPEATED_RUN = 3          # paragraphs in a row, and
_REPEATED_CHARS = 300      # characters at least, that make a second copy of the story rather than a repeated line
# A clock time with what may follow it (`9:27 am`, `16.45 WIB`, `10.55 Uhr`, `16h15`, `05:26 AM EST`).
_CLOCK = re.compile(r"(?<![\d.:/])\d{1,2}[:.h]\d{2}(?::\d{2})?(?![\d.:/])"
                    r"(?:\s*(?:[ap]\.?m\.?|uhr|wib|wita|wit|utc|gmt|[a-z]{1,2}[sd]t)(?![^\W\d_]))?", re.IGNORECASE)
# A view counter (`Dibaca: 532 kali`, `Dilihat 245x`, `Hits: 1.234`, `1,234 views`, `Read 12 times`).
_COUNTER = re.compile(r"(?<![^\W\d_])(?:(?:dibaca|dilihat|views?|hits|read|pembaca)"
                      r"\s*:?\s*\d[\d.,]*\s*(?:kali|times|x)?|\d[\d.,]*\s*(?:views?|hits|kali dibaca|pembaca))"
                      r"(?![^\W\d_])", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
_STAMP_CHARS = 80        # a timestamp line is short
_STAMP_WORDS = 2         # words beside the date and time: a label (`Updated`, `Diperbarui`, `Stand`, `Nachricht vom`)
_STAMP_EDGE = 2          # paragraphs at either end of the body where a dated meta line sits
_LINKED_HEADING = "h1 a, h2 a, h3 a, h4 a, h5 a, h6 a"
_TEASER_HOLDERS = frozenset({"div", "section", "ul", "ol"})
_THREAD_HOLDERS = frozenset({"div", "section", "article"})
_THREAD_ENTRY_CHARS = 1000   # characters of one entry of a thread (a comment, a dated teaser), at most
_THREAD_DATE_WITHIN = 60   # characters from an entry's start where its date sits
_TEASER_CHARS = 300   # characters per linked heading, at most, in a block of teasers (a headline and a blurb)
_NOT_SLUG = re.compile(r"[\W_]+")
_NEVER_BODY = frozenset({"header", "footer"})
# A slideshow or photo gallery set into the story (`asset_gallery`, `inlinegallery`, `swiper-container`): slides'
# captions, often twice (full and cut short), beside counters and controls. Matched anywhere in the class, as
# themes run the word into others; not in the id, which some sites fill with the page's URL (`.../slideshow/...`).
_GALLERY_WORDS = re.compile(r"gallery|galeri|slideshow|carousel|swiper|slidecount")
_TITLE_BONUS = 1.5
_LIST_ITEM_WEIGHT = 0.5
_LAYOUT_ITEMS = frozenset({"td", "li", "dd"})
_DIV_PARAGRAPHS = frozenset({"div", "section", "center"})
_DIV_PARAGRAPH_CHARS = 60
_SIBLING_PARAGRAPH_CHARS = 80   # readability's length for a sibling paragraph
_LOOSE_PROSE_CHARS = 300
_CARD_LINKS = 3      # links in a pop-up card inside a sentence, at least
_CARD_LINKED = 0.85  # of a card's text in its links
_LIST_LINKS = 0.1   # link density below which a list beside the story is the story's own
_LIST_TAGS = frozenset({"ul", "ol"})
_LIST_SHARE = 0.8   # of a wrapper's text in its lists: the wrapper is the list's
# the author's own lines, which a trim of the theme's short lines after the story keeps (when they hold no link)
_OWN_LINES = "p, li, figcaption"
_LINK_LINE_CHECKS = 200_000   # link texts × paragraphs looked at, at most
_LABEL_CHARS = 40        # a label line over a list (`Berita Lainnya:`)
_OWN_WORDS = 25   # characters of a parent's own text that make an inline element part of a sentence
_INLINE_TAGS = frozenset({"span", "a", "b", "strong", "i", "em", "u", "font", "br", "img", "small", "big", "sup", "sub",
                          "mark", "abbr", "time", "code", "q", "cite", "s", "strike", "wbr"})
_NESTED_BLOCKS = "table, div, p, ul, ol, section, article"
_STORY_MIN_PROSE = 400   # characters of prose a page needs before a boilerplate-named region can hold its story
_NAMED_STORY_PROSE = 800   # characters of prose that make a region named like boilerplate (`share-wrapper`) a story
_TOP_CANDIDATES = 6     # the chosen block and five next-best
_RIVAL_SHARE = 0.75     # of the chosen block's score: a block nearly as good
_RIVALS = 3             # such blocks under one ancestor make the ancestor the story
_OWN_MIN_SCORE = 5.0   # about two paragraphs of prose
_OWN_SHARE = 0.2   # list items are more often headline lists and menus than the story's text
_PARAGRAPH_WEIGHTS = (1.0, 0.5)   # a paragraph scores for its parent, half for the grandparent
_TEXT_DIV_WEIGHTS = (1.0, 0.75)   # a div holding text scores itself; its parent wins when it has several
_TEXT_CONTAINERS = frozenset({"div", "td", "section", "article", "main", "center"})
_MAX_WIDEN_PARAGRAPHS = 400
_DATA_TABLE_ROWS = 3   # rows, the header row included
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
LEAD_CHARS = 60   # characters of the description that tell the lead above the story
# a shorter line is a tagline, not a lead; in the headline's header a line under _DEK_CHARS is a subtitle (a dek):
# the public sets mostly leave both out of the story, a longer one there is its first paragraph
_LEAD_MIN = 100
_DEK_CHARS = 160
_SHORT_LINES_CHARS = 100   # characters of the lines beside a part that do not stop the sibling step
_LEAD_LEVELS = 5   # levels above the region where the lead is looked for
_BOILERPLATE_CANDIDATES = frozenset({"ul", "ol", "li", "p", "div", "section", "span", "dl", "table"})
PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote", "td", "li", "dd", "figcaption"})
_WIDEN_PARAGRAPHS = "p, pre, blockquote, figcaption"  # running text only: cells and list items are layout
_SCORING_SELECTOR = ", ".join(sorted(_TEXT_CONTAINERS | PARAGRAPH_TAGS | _DIV_PARAGRAPHS))
_NEVER_BODY_SELECTOR = ", ".join(sorted(_NEVER_BODY))


def remove_invisible(tree: LexborHTMLParser) -> None:
    """Drop scripts, styles and other never-visible elements (after metadata has been read). Form controls stay
    for `remove_widgets`, which reads the widgets around them. A `<noscript>` that is all the text of its parent
    and holds running text is the story itself, kept for readers without scripts (a theme that renders the post
    from a `<script type="text/template">` copy): it stays, unwrapped."""
    tree.strip_tags(list(INVISIBLE_TAGS - {"head", "title", "noscript"} - _CONTROL_TAGS))
    for node in tree.css("noscript"):
        parent = node.parent
        if parent is not None and node.css_first("p") is not None and _flat_length(parent) == _flat_length(node) \
                and _prose_length(node) >= _NOSCRIPT_PROSE:
            node.unwrap()
    tree.strip_tags(["noscript"])


def remove_widgets(tree: LexborHTMLParser, protected: set[int]) -> None:
    """Drop the form controls left once the noise has gone (after `remove_noise`: those in forms, menus and
    sidebars went with them), with the widgets around them (a newsletter sign-up with its consent line and
    thank-you, a poll, a search box, a comment box outside any `<form>`): the largest element around a control,
    at most `_WIDGET_LEVELS` up, holding under `_WIDGET_CHARS` of text, no heading of a page (`h1`, `h2`), no
    paragraph of prose and none of the story's markers (a short post's whole text may sit beside a search box).

    `protected` is what `remove_noise` returned (the story's markers with their ancestors; taken over and
    extended): nothing protected was removed, so the set still holds."""
    # by lexbor's walks by tag name (a third of a selector walk): no control's widget depends on another's
    controls = [node for tag in _CONTROL_TAGS for node in tree.tags(tag)]
    if not controls:
        return
    widgets: dict[int, LexborNode] = {}
    loose: list[LexborNode] = []
    small: set[int] = set()   # what was measured, once: a table of a thousand checkboxes stays linear
    for control in controls:
        widget, current = None, control.parent
        for _ in range(_WIDGET_LEVELS if (control.attributes.get("type") or "").lower() != "hidden" else 0):
            if current is None or current.mem_id in protected:
                break
            if current.mem_id not in small:
                if current.tag in _KEEP_TAGS or _flat_length(current) >= _WIDGET_CHARS or _holds_story_text(current):
                    protected.add(current.mem_id)
                    break
                small.add(current.mem_id)
            widget, current = current, current.parent
        if widget is None:
            loose.append(control)
        else:
            widgets[widget.mem_id] = widget
    outermost = {key: widget for key, widget in widgets.items() if not _inside_any(widget, widgets)}
    loose = [control for control in loose if not _inside_any(control, outermost)]
    for node in [*outermost.values(), *loose]:   # none holds another: no node is freed twice
        node.decompose()


def _holds_story_text(node: LexborNode) -> bool:
    return node.css_first("h1, h2") is not None or any(
        _flat_length(paragraph) >= _WIDGET_PROSE for paragraph in node.css("p"))


def _inside_any(node: LexborNode, nodes: dict[int, LexborNode]) -> bool:
    current = node.parent
    while current is not None:
        if current.mem_id in nodes:
            return True
        current = current.parent
    return False


def remove_noise(tree: LexborHTMLParser) -> set[int]:
    """Drop navigation, sidebars, comments, share buttons, related posts, forms and hidden helpers.

    A region holding the page's main heading or an article body is kept whatever its name: Blogger wraps
    the post in `div.widget.Blog`, ASP.NET sites wrap the whole page in one `<form>`. Returns the mem_ids of
    those regions with all that holds them (for `remove_widgets`: none of them is removed, so they stay the same).
    """
    # What holds a protected element, found once: only subtrees without one are removed, so it stays the same
    protected = _with_ancestors_of(tree.css(_PROTECTED))
    # Noise tags go first so that the class pass only looks at what is left (menus hold most classed nodes). Each
    # goes unless protected, whatever its order: the outermost are destroyed, so no freed node is touched. By
    # lexbor's walks by tag name, which cost less than half of one selector walk for the five.
    doomed = {node.mem_id: node for tag in NOISE_TAGS for node in tree.tags(tag) if node.mem_id not in protected}
    for node in [node for node in doomed.values() if not _inside_any(node, doomed)]:
        node.decompose()
    # Then innermost first: a node is destroyed before any ancestor that contains it.
    page_prose: list[int] = []   # measured once, and only when a named region is large enough to need it
    for selector in (_HIDDEN, "[class], [id]"):
        # lexbor gives a node once for each selector of the list it matches: one test each, and none of a freed node
        for node in reversed({node.mem_id: node for node in tree.css(selector)}.values()):
            hidden = selector == _HIDDEN
            if (hidden or _is_noise(node)) and node.mem_id not in protected and not _holds_the_story(
                    node, page_prose, tree.body, named=not hidden):
                node.decompose()
    return protected


def _with_ancestors_of(nodes: list[LexborNode]) -> set[int]:
    """mem_ids of the nodes and all their ancestors."""
    found: set[int] = set()
    for node in nodes:
        current: LexborNode | None = node
        while current is not None and current.mem_id not in found:
            found.add(current.mem_id)
            current = current.parent
    return found


def _prose_length(node: LexborNode) -> int:
    """Characters of running text in the node's paragraphs (link text excluded)."""
    total = 0
    for paragraph in node.css("p"):
        text = len(paragraph.text(deep=True) or "")
        if text >= 80:
            # its links by a walk of the paragraph (a few nodes): a selector costs lexbor ~19k instructions to set up
            total += text - sum(len(link.text(deep=True) or "") for link in paragraph.traverse() if link.tag == "a")
    return total


def _holds_the_story(node: LexborNode, page_prose: list[int], body: LexborNode | None, named: bool) -> bool:
    """Whether a region named like boilerplate (`named`) or hidden holds most of the page's running text: a wrapper
    such as `content-with-sidebar` or `l-sidebar-fixed l-article-body` is the article's, not a sidebar; a named
    one that is long running text with hardly a link (`sr-body-share-wrapper` around one story of a page of
    several), unless a sidebar or widget, is a story too. Comment threads and overlays (a pop-up, a modal) are
    never the story, however long they run. `page_prose` caches the page's prose length."""
    if node.tag in NOISE_TAGS or body is None:
        return False
    # its length before its paragraphs: most regions asked are short, and a selector costs more than their text
    length = len(node.text(deep=True) or "")
    if length < _STORY_MIN_PROSE // 2 or node.css_first("p") is None:
        return False
    names = class_and_id(node)
    if _COMMENT_WORDS.search(names) or _OVERLAY_WORDS.search(names):
        return False
    prose = _prose_length(node)
    if named and prose >= _NAMED_STORY_PROSE and prose >= 0.7 * length and link_density(node) < 0.1 \
            and not _SIDE_WORDS.search(names):
        return True   # paragraphs of running text with hardly a link: no share row, menu or list of links
    if not page_prose:
        page_prose.append(_prose_length(body))
    half = page_prose[0] // 2
    return page_prose[0] >= _STORY_MIN_PROSE and length >= half and prose > half


def _is_noise(node: LexborNode) -> bool:
    tag = node.tag
    if tag in NOISE_TAGS:
        return True
    if tag in _KEEP_TAGS or not _named_as_noise(node) or tag == "a" and _inside_a_sentence(node):
        return False   # (a link in running text is words of the sentence, whatever a script calls it: `popup`)
    # A section whose id is its heading's slug (`sharing-with-a-single-developer`, as documentation and wiki
    # renderers anchor sections) is named by its text, not by its part in the layout: only its class counts.
    anchor = node.attributes.get("id")
    if anchor and _is_heading_slug(node, anchor):
        return _noise_names(node.attributes.get("class") or "")
    return True


def _is_heading_slug(node: LexborNode, anchor: str) -> bool:
    anchor_slug = _NOT_SLUG.sub("-", anchor.casefold()).strip("-")
    if len(anchor_slug) <= 12:
        return False   # (no heading's slug can equal it: the heading is not looked for)
    heading = node.css_first(HEADINGS)
    if heading is None:
        return False
    return _NOT_SLUG.sub("-", (heading.text(deep=True) or "").casefold()).strip("-") == anchor_slug


def _named_as_noise(node: LexborNode) -> bool:
    # The class and the id apart (no noise word spans the space between them), each as written: a page's classes
    # repeat and are found in the cache, its ids mostly are not, and lower-casing is done once per new name.
    return _noise_names(node.attrs.get("class") or "") or _noise_names(node.id or "")


@lru_cache(maxsize=4096)
def _noise_names(names: str) -> bool:
    # cached: themes repeat the same class strings on every page of a site
    return bool(_NOISE_WORDS.search(_LAYOUT_FLAGS.sub(" ", " " + names.lower())))


def _flat_text(node: LexborNode) -> str:
    """The node's text (every descendant, unlike dom.inline_text) on one line, whitespace collapsed."""
    return " ".join((node.text(deep=True) or "").split())


def _flat_length(node: LexborNode) -> int:
    """`len(_flat_text(node))`, without building the line."""
    return _collapsed_length(node.text(deep=True) or "")


def _collapsed_length(text: str) -> int:
    """`len(" ".join(text.split()))`."""
    words = text.split()
    return sum(map(len, words)) + len(words) - 1 if words else 0


def _solid_length(node: LexborNode) -> int:
    """Characters of the node's text that are not white space."""
    return _non_space_length(node.text(deep=True) or "")


def _non_space_length(text: str) -> int:
    return sum(map(len, text.split()))


def _paragraph_score(text: str, length: int) -> float:
    """The score of a paragraph of `text` (`length`: its characters once white space is collapsed)."""
    return 1.0 + text.count(",") + min(length / 100.0, 3.0)


def _own_text_length(node: LexborNode) -> int:
    return len(node.text(deep=False, strip=True))   # each own text node stripped, joined: in C


def _inline_only(node: LexborNode) -> bool:
    """Whether the element holds inline content only (spans, links, emphasis, line breaks): readability's
    `<div>` that stands for a paragraph."""
    child = node.child
    has_element = False
    while child is not None:
        if child.is_element_node:
            if child.tag not in _INLINE_TAGS:
                return False
            has_element = True
        child = child.next
    return has_element


def find_main_block(root: LexborNode, title: LexborNode | None = None) -> LexborNode | None:
    """The element holding most of the running text (readability-style paragraph scoring, link density).

    Page-level header and footer elements are never the body; blocks next to the headline get a bonus.
    """
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for node in _scoring_candidates(root):
        tag = node.tag
        minimum = 25
        if tag in _TEXT_CONTAINERS and _own_text_length(node) > 25:
            target, weights = node, _TEXT_DIV_WEIGHTS  # text straight in a div or layout cell (`<br>` paragraphs)
        elif tag in PARAGRAPH_TAGS:
            target, weights = node.parent, _PARAGRAPH_WEIGHTS
        elif tag in _DIV_PARAGRAPHS and _inline_only(node):
            # text wrapped in spans: a div used as a <p>, if long enough not to be a byline or a button
            target, weights, minimum = node.parent, _PARAGRAPH_WEIGHTS, _DIV_PARAGRAPH_CHARS
        else:
            continue
        text = node.text(deep=True) or ""
        length = _collapsed_length(text)   # (commas count the same before and after collapsing)
        if length < minimum or target is None:
            continue
        if tag in _LAYOUT_ITEMS and target is not node and node.css_first(_NESTED_BLOCKS) is not None:
            continue   # a layout cell or list item around whole blocks is no paragraph: its blocks score
        score = _paragraph_score(text, length) * (_LIST_ITEM_WEIGHT if tag in ("li", "dd") else 1.0)
        for weight, ancestor in zip(weights, (target, target.parent), strict=True):
            if ancestor is None or not ancestor.is_element_node:
                break
            nodes[ancestor.mem_id] = ancestor
            scores[ancestor.mem_id] = scores.get(ancestor.mem_id, 0.0) + score * weight
    near_title = _title_neighbourhood(title)
    own = title.parent if title is not None and title.parent is not None and title.parent.tag not in (
        "body", "html") else None
    best: tuple[float, LexborNode] | None = None
    best_own: tuple[float, LexborNode] | None = None
    ranked: list[tuple[float, LexborNode]] = []
    for key, score in scores.items():
        node = nodes[key]
        adjusted = score * (1.0 - link_density(node))
        if near_title is not None and is_ancestor(near_title, node):
            adjusted *= _TITLE_BONUS
        ranked.append((adjusted, node))
        if best is None or adjusted > best[0]:
            best = (adjusted, node)
        if own is not None and (best_own is None or adjusted > best_own[0]) and is_ancestor(own, node):
            best_own = (adjusted, node)
    # A short story under its headline beats a longer agenda or widget further off, but a lone teaser line
    # under a headline does not beat the article proper elsewhere.
    if best_own is not None and best is not None and best_own[0] >= max(_OWN_MIN_SCORE, _OWN_SHARE * best[0]):
        best = best_own
    return _widen(_shared_ancestor(best[1], best[0], ranked), title) if best else None


def _scoring_candidates(root: LexborNode) -> list[LexborNode]:
    """The elements under `root` that may score as paragraphs or text containers, in document order, outside
    page-level headers and footers. Found by lexbor's selector walks: a Python walk over every node of a large
    page cost more than the scoring itself."""
    in_page_furniture = {node.mem_id for holder in root.css(_NEVER_BODY_SELECTOR) if holder.mem_id != root.mem_id
                         for node in holder.css(_SCORING_SELECTOR)}
    return [node for node in root.css(_SCORING_SELECTOR) if node.mem_id not in in_page_furniture]


def _shared_ancestor(block: LexborNode, score: float, ranked: list[tuple[float, LexborNode]]) -> LexborNode:
    """The nearest ancestor of the chosen block that also holds `_RIVALS` of the next-best blocks scoring
    nearly as well: a story split into many blocks (each wrapped with its ad or figure) is the blocks' common
    ancestor, not its first part (readability's alternative-candidates step)."""
    rivals = [node for adjusted, node in heapq.nlargest(_TOP_CANDIDATES, ranked, key=lambda item: item[0])
              if node.mem_id != block.mem_id and adjusted >= _RIVAL_SHARE * score
              and node.css_first(_LINKED_HEADING) is None]   # a teaser (a linked headline) is another story
    if len(rivals) < _RIVALS:
        return block
    ancestor = block.parent
    while ancestor is not None and ancestor.tag not in ("body", "html") and ancestor.tag not in _NEVER_BODY:
        if sum(is_ancestor(ancestor, node) for node in rivals) >= _RIVALS:
            # running text, not a page of lists and meta lines around the parts
            return ancestor if _prose_length(ancestor) >= 0.5 * _flat_length(ancestor) else block
        ancestor = ancestor.parent
    return block


@dataclass(frozen=True, slots=True)
class MainText:
    """The chosen text block, and the region its story spans: the block alone, or an ancestor whose other
    children continue the story (a long article split over several blocks by ads, pull quotes or figures),
    read without `skip` (mem_ids of the children between the parts that are not story)."""

    block: LexborNode
    region: LexborNode
    skip: frozenset[int] = frozenset()


def story_region(block: LexborNode, title: LexborNode | None) -> MainText:
    """Join the block with sibling blocks of running text, up to two levels up (or up to `<body>`, without its
    header and footer): readability's sibling step, judged by prose and link density rather than by names. The
    headline and meta lines beside the parts are left out as `other` (dating still reads them around `block`),
    and so are link lists inside the region. A line or two beside a part (a recipe's cooking time beside its
    steps) does not stop the climb below the headline's wrapper, once: the story's other parts (the ingredients)
    lie above."""
    region, skip = _data_table_around(block, title) or block, set()
    block_prose = max(_prose_length(block), 1)
    levels, beside_lines = 0, False
    while levels < 2:
        parent = region.parent
        if parent is not None and parent.tag == "body":
            # a story whose parts lie straight in <body> (a hand-written page's sections, a theme's full-width
            # rows): the body, read without what is not story (and its header and footer, below)
            furniture = {child.mem_id for child in _element_children(parent) if child.tag in _NEVER_BODY}
            kinds = {key: kind for key, kind in _sibling_kinds(parent, region, block_prose).items()
                     if key not in furniture}
            if "story" in kinds.values():
                region = parent
                skip.update(key for key, kind in kinds.items() if kind == "other")
            break
        if not _climbable(parent):
            break
        kinds = _sibling_kinds(parent, region, block_prose)
        if "story" not in kinds.values() and "other" in kinds.values():
            if not beside_lines and _only_short_lines(parent, kinds) and (
                    title is None or not is_ancestor(parent, title)):
                # a part beside a line or two of its own (a cooking time, a photo's credit), below the headline's
                # wrapper: climbed for free, without them; once (a forum post's date line, then its author's card,
                # then the replies)
                skip.update(kinds)
                region, beside_lines = parent, True
                continue
            # a part beside its own rail (most-read list, ad) continues in wrappers built like this one: climb
            # both levels when the one above holds such a wrapper with running text
            upper = _sibling_kinds(parent.parent, parent, block_prose) if _climbable(parent.parent) else {}
            if not any(upper.get(node.mem_id) == "story" and _signature(node) == _signature(parent)
                       for node in _element_children(parent.parent)):
                break
            skip.update(key for key, kind in kinds.items() if kind == "other")
            parent, kinds = parent.parent, upper
        levels += "story" in kinds.values()   # a wrapper around the region alone is climbed for free
        region = parent
        skip.update(key for key, kind in kinds.items() if kind == "other")
    if region.tag == "body":   # (the page's own header and footer, whatever their text)
        skip.update(child.mem_id for child in _element_children(region) if child.tag in _NEVER_BODY)
    return MainText(block, region, frozenset(skip) | inner_boilerplate(region, title, block))


def _only_short_lines(parent: LexborNode, kinds: dict[int, str]) -> bool:
    """Whether the children of `parent` that are not story are a line or two at most (a cooking time, a date)."""
    return sum(_flat_length(child) for child in _element_children(parent)
               if kinds.get(child.mem_id) == "other") < _SHORT_LINES_CHARS


def lead_above(region: LexborNode, title: LexborNode | None, description: str) -> LexborNode | None:
    """The story's lead printed above its region, told by the page's description (og:description), which
    repeats it: a lead set in a `<div>`, a short `<p>` or the headline's `<header>` is no running text to the
    sibling step. Looked for in the elements before the region, up to `_LEAD_LEVELS` levels up (see `_lead_in`)."""
    wanted = norm(description).rstrip(".… ")
    if len(wanted) < LEAD_CHARS:
        return None
    key = wanted[:LEAD_CHARS]
    node = region
    for _ in range(_LEAD_LEVELS):
        parent = node.parent
        if not _climbable(parent):
            return None
        sibling = node.prev
        while sibling is not None:
            if sibling.is_element_node and key in norm(sibling.text(deep=True) or ""):
                return _lead_in(sibling, key, len(wanted), title)
            sibling = sibling.prev
        node = parent
    return None


def _lead_in(node: LexborNode, key: str, length: int, title: LexborNode | None) -> LexborNode | None:
    """The innermost element under `node` whose text holds `key` (the description's start), when it is the
    lead itself: it starts with the key, is a sentence or two long (not much longer than the description), is
    no heading (unless a lead set as one: `_standfirst`), holds no headline and few links, and is no short
    subtitle in the headline's header."""
    found = node
    while True:
        inner = next((child for child in _element_children(found) if key in norm(child.text(deep=True) or "")),
                     None)
        if inner is None:
            break
        found = inner
    text = norm(found.text(deep=True) or "")
    if not text.startswith(key) or not _LEAD_MIN <= len(text) <= 2 * length + LEAD_CHARS \
            or found.tag in _HEADING_TAGS and not _standfirst(found.tag, text) or link_density(found) >= 0.5:
        return None
    if title is not None and (is_ancestor(found, title) or len(text) < _DEK_CHARS and _beside_headline(found, title)):
        return None
    return found


def _standfirst(tag: str, text: str) -> bool:
    """Whether a heading's text is a lead set as a heading (an `<h2>` of a sentence or two under the headline):
    longer than a subtitle, ending a sentence."""
    return tag != "h1" and len(text) >= _DEK_CHARS and bool(_SENTENCE_END.search(text))


def _beside_headline(node: LexborNode, title: LexborNode) -> bool:
    """Whether the element sits with the headline in one header (its parent or grandparent holds it)."""
    holder: LexborNode | None = node.parent
    for _ in range(2):
        if holder is None or holder.tag in ("body", "html"):
            return False
        if is_ancestor(holder, title):
            return True
        holder = holder.parent
    return False


def _data_table_around(block: LexborNode, title: LexborNode | None) -> LexborNode | None:
    """The table of data the block is a cell of (a list of films with their synopses, a timetable): its rows are
    one story, not siblings to judge one by one. Not a layout table: one that holds the headline, nests tables,
    has rows of different shapes, or whose other rows leave the block's column without text (a menu cell, a
    footer row around the one cell that holds the story)."""
    cell = block
    for _ in range(4):   # the cell around the block (a paragraph or a div in it)
        if cell is None or cell.tag in ("td", "th"):
            break
        cell = cell.parent
    row = cell.parent if cell is not None and cell.tag in ("td", "th") else None
    table = row
    while table is not None and table.tag in ("tr", "tbody", "thead"):
        table = table.parent
    if row is None or table is None or table.tag != "table" or len(table.css("table")) > 1 or (
            title is not None and is_ancestor(table, title)):   # (the table matches its own selector)
        return None
    rows = [_cells(found) for found in table.css("tr")]
    rows = [cells for cells in rows if cells]
    if len(rows) < _DATA_TABLE_ROWS or table.css_first("th, thead, caption") is None:
        return None
    width, count = Counter(map(len, rows)).most_common(1)[0]
    column = next(index for index, found in enumerate(_cells(row)) if found.mem_id == cell.mem_id)
    if width < 2 or count < 0.8 * len(rows) or column >= width:
        return None
    filled = sum(len(cells) == width and _flat_length(cells[column]) >= 25 for cells in rows)
    return table if filled >= max(2, len(rows) // 2) else None


def _cells(row: LexborNode) -> list[LexborNode]:
    return [child for child in _element_children(row) if child.tag in ("td", "th")]


def _climbable(node: LexborNode | None) -> bool:
    return node is not None and node.tag not in ("body", "html") and node.tag not in _NEVER_BODY


def _element_children(node: LexborNode) -> list[LexborNode]:
    children, child = [], node.child
    while child is not None:
        if child.is_element_node:
            children.append(child)
        child = child.next
    return children


def _sibling_kinds(parent: LexborNode, region: LexborNode, block_prose: int) -> dict[int, str]:
    """`_sibling_kind` of each child of `parent` but `region` (by mem_id, in document order)."""
    signature = _signature(region)
    kinds, before = {}, True
    for child in _element_children(parent):
        if child.mem_id == region.mem_id:
            before = False
        else:
            kinds[child.mem_id] = _sibling_kind(child, block_prose, signature, before)
    return kinds


def inner_boilerplate(region: LexborNode, title: LexborNode | None, block: LexborNode) -> frozenset[int]:
    """Parts of the story region that are not story (mem_ids): link lists (related stories, tag clouds, share
    rows), short link-only lines such as `Related: ...` and galleries set into the story. Running text with a
    few links stays, and so do the headline and the chosen text block with all that holds them (a page whose
    every line is a link, as some portals print them, still has its story)."""
    found: set[int] = set()
    linkless: set[int] = set()      # subtrees without a link hold no link list: not entered
    whole: set[int] = set()         # paragraphs of prose once their link cards went: not entered
    kept = _with_ancestors(title, region) | _with_ancestors(block, region)
    # galleries set into the story go while their text stays under half the region's (measured when one is met):
    # the slides of a gallery page are its story
    gallery_budget: int | None = None
    for figure in region.css("figure"):
        if figure.mem_id not in kept and _is_figure(figure):
            found.update(_figure_extras(figure))
    # comment threads beside the story's parts: looked for among the children of what holds the block (not the
    # whole region, so the cost stays linear however deep the page nests)
    holder: LexborNode | None = block
    while holder is not None and (holder.mem_id in kept or holder.mem_id == region.mem_id):
        found.update(child.mem_id for child in _element_children(holder) if child.mem_id not in kept
                     and child.tag in _THREAD_HOLDERS and _is_dated_thread(child))
        holder = holder.parent if holder.mem_id != region.mem_id else None
    for node in iter_subtree(region, prune=lambda n: n.mem_id in found or n.mem_id in linkless or n.mem_id in whole):
        if node.mem_id == region.mem_id or node.tag not in _BOILERPLATE_CANDIDATES:
            continue
        if node.mem_id not in kept and _GALLERY_WORDS.search(node.attributes.get("class") or "") \
                and _is_figure(node):
            if gallery_budget is None:
                gallery_budget = _solid_length(region) // 2
            if (slides := _solid_length(node)) < gallery_budget:
                gallery_budget -= slides
                found.add(node.mem_id)
                continue
        links = node.css("a")
        if not links:
            linkless.add(node.mem_id)
            continue
        if node.mem_id in kept or node.tag == "span" and _inside_a_sentence(node):
            continue
        text = _flat_text(node)
        if not text:
            continue
        linked = sum(map(_flat_length, links))
        if _is_link_list(len(text), linked, len(links)) or (
                len(links) >= 2 and node.tag in _TEASER_HOLDERS and _holds_teasers(node, len(text))):
            cards = _link_cards(node) if node.tag == "p" else []
            if cards and not _is_link_list(len(text) - sum(map(_flat_length, cards)),
                                           linked - sum(_flat_length(a) for card in cards for a in card.css("a")),
                                           len(links) - sum(len(card.css("a")) for card in cards)):
                found.update(card.mem_id for card in cards)
                whole.add(node.mem_id)
            else:
                found.add(node.mem_id)
    return frozenset(found)


def _is_link_list(length: int, linked: int, links: int) -> bool:
    """Whether text of `length` characters, `linked` of them in `links` links, is a list of links (or one link
    alone on a short line)."""
    return linked >= 0.6 * length and (links >= 2 or length < 120)


def _link_cards(paragraph: LexborNode) -> list[LexborNode]:
    """The pop-up cards set inside a paragraph's sentence (a person's photo with links to stories about them,
    shown on hover over their name): innermost `<span>`s of `_CARD_LINKS` links or more that are nearly all link
    text. Their links say nothing of the paragraph's own words."""
    cards = []
    for span in paragraph.css("span"):
        links = span.css("a")
        if len(links) >= _CARD_LINKS and sum(map(_flat_length, links)) >= _CARD_LINKED * _flat_length(span):
            cards.append(span)
    return [card for card in cards
            if not any(other.mem_id != card.mem_id and is_ancestor(card, other) for other in cards)]


def _inside_a_sentence(node: LexborNode) -> bool:
    """Whether the inline element sits in running text: its parent holds words of its own around it (a link
    wrapped in a `<span>` in the middle of a sentence) and is mostly not links, unlike a label (`Tags:`,
    `Baca juga:`) or a meta line of links (author, categories, tags, the comments link)."""
    parent = node.parent
    return parent is not None and _own_text_length(parent) >= _OWN_WORDS and link_density(parent) < 0.5


def _is_figure(node: LexborNode) -> bool:
    """An image or slide with its caption, not a figure of data (a table) nor a theme's wrapper around the story
    (long running text)."""
    return node.css_first("table") is None and _prose_length(node) < _STORY_MIN_PROSE


def _figure_extras(figure: LexborNode) -> list[int]:
    """What a figure shows besides its caption (mem_ids): a slideshow's controls and counters (`Close`,
    `Image 1 of 8`), a promotion beside the image; the whole figure when it has no caption."""
    captions = figure.css("figcaption")
    if not captions:
        return [figure.mem_id]
    holds_caption = {figure.mem_id}.union(*(_with_ancestors(caption, figure) for caption in captions))
    extras = []
    for node in iter_subtree(figure, prune=lambda n: n.mem_id not in holds_caption or n.tag == "figcaption"):
        if node.mem_id not in holds_caption:
            extras.append(node.mem_id)
    return extras


def _signature(node: LexborNode) -> str:
    """Tag and class of the node and of its first child element: a generic wrapper class (`container`) alone
    does not make two blocks alike. Of the child's class only its first name counts: themes add modifiers to
    one of a series (`stepContent mod` on a how-to's first step)."""
    child = node.child
    while child is not None and not child.is_element_node:
        child = child.next
    inner = f"{child.tag}.{(child.attributes.get('class') or '').partition(' ')[0]}" if child is not None else ""
    return f"{node.tag}.{node.attributes.get('class') or ''}>{inner}"


def _sibling_kind(node: LexborNode, block_prose: int, signature: str, before: bool) -> str:
    """`story` (more running text, few links), `empty` (no text: an image, a spacer) or `other`.

    A sibling built like the part already chosen (same tag and class, a class named: a page builder's
    one-paragraph text blocks; bare `<div>`s are alike on every page) continues the story when it reads as a
    sentence, however short; so does a `<p>` of its own of some length (a lead above the story's photo), and above
    the part (`before` it) one such paragraph in its own wrapper of some length (a lead in
    `<div class="intro"><p>`; below the story such a line is a theme's: a disclosure)."""
    text = _flat_text(node)
    if len(text) < 25:
        return "empty"
    kind = _text_kind(node, text, block_prose, signature, before)
    if kind == "story" and (_holds_teasers(node, len(text)) or node.tag in _THREAD_HOLDERS and _is_dated_thread(node)):
        return "other"   # other stories' headlines with their blurbs (related posts, more news), comments
    return kind


def _text_kind(node: LexborNode, text: str, block_prose: int, signature: str, before: bool) -> str:
    """`story` or `other` by the sibling's text alone (see _sibling_kind)."""
    prose = _prose_length(node) or _loose_prose_length(node, len(text))
    if prose >= min(300, max(100, block_prose // 7)) and link_density(node) < 0.25 and prose > len(text) // 2:
        return "story"
    if _is_plain_list(node, len(text)):
        return "story"   # points, steps, items the story lists: menus, tags and related stories are links
    paragraph = node.tag == "p" and len(text) >= _SIBLING_PARAGRAPH_CHARS or before and len(text) >= _LEAD_MIN \
        and _one_paragraph(node)
    if (_signature(node) == signature and _classed(signature) or paragraph) \
            and _reads_as_sentence(node, text) and link_density(node) < 0.25:
        return "story"
    return "other"


def _classed(signature: str) -> bool:
    """Whether a signature names a class (bare `div>div` wrappers are alike on every page)."""
    return any(part.partition(".")[2] for part in signature.split(">"))


def _one_paragraph(node: LexborNode) -> bool:
    """Whether the element is one paragraph in wrappers (each holding only the next, at most three): a `<p>`,
    or a block of inline content or text alone."""
    for _ in range(3):
        children = _element_children(node)
        if node.tag == "p" or _inline_only(node) or not children:
            return True
        if len(children) != 1 or _own_text_length(node):
            return False
        node = children[0]
    return False


def _reads_as_sentence(node: LexborNode, text: str) -> bool:
    """Whether the element's text ends a sentence, or one of its paragraphs does: a step of a how-to, built like
    the others, ends in its photo's caption (`Orchid in foam oasis (Lucy Akins)`)."""
    return bool(_SENTENCE_END.search(text)) or node.tag != "p" and any(
        _SENTENCE_END.search(_flat_text(paragraph)) for paragraph in node.css("p"))


def _is_dated_thread(node: LexborNode) -> bool:
    """Whether the element is a thread of dated entries: two children or more built alike, each a short block
    opening with a line that holds a date and going on in a paragraph (a comment: `Ibu Sari 6 November 2025`,
    then what she wrote). A schedule's dated items (list items, one line each) are the story's."""
    groups: dict[str, int] = {}
    for child in _element_children(node):
        if child.tag not in _THREAD_HOLDERS or child.css_first("p") is None:
            continue
        text = _flat_text(child)
        if len(text) < _THREAD_ENTRY_CHARS and find_dates(text[:_THREAD_DATE_WITHIN]):
            key = _signature(child)
            groups[key] = groups.get(key, 0) + 1
    return max(groups.values(), default=0) >= 2


def _holds_teasers(node: LexborNode, length: int) -> bool:
    """Whether the element holds two linked headings or more with little text each: teasers for other stories
    (a list article's sub-headings link to other pages too, but each heads a long part)."""
    headings = len(node.css(_LINKED_HEADING))
    return headings >= 2 and length < _TEASER_CHARS * headings


def _is_plain_list(node: LexborNode, length: int) -> bool:
    """Whether the element is a list of two items or more (or wraps one), nearly without links."""
    # the outermost lists only, found by one selector walk (a Python walk visited every node of the element)
    lists = [node] if node.tag in _LIST_TAGS else [
        found for found in node.css("ul, ol") if not _below_a_list(found, node)]
    if sum(len(found.css("li")) for found in lists) < 2 or link_density(node) >= _LIST_LINKS:
        return False
    return sum(map(_flat_length, lists)) >= _LIST_SHARE * length


def _below_a_list(node: LexborNode, root: LexborNode) -> bool:
    """Whether a list element between `node` and `root` holds the node."""
    return any(above.tag in _LIST_TAGS for above in ancestors(node, root))


def _loose_prose_length(node: LexborNode, length: int) -> int:
    """Characters of running text outside links in an element that holds text without paragraphs (a `<span>` or
    a `<div>` of text and line breaks, as hand-written sites set whole sections); 0 for any other element, and for
    a short one (a summary line above the story, which repeats its lead)."""
    if length < _LOOSE_PROSE_CHARS or not (_own_text_length(node) > 25 or _inline_only(node)) \
            or node.css_first(_NESTED_BLOCKS) is not None:
        return 0
    return max(length - sum(map(_flat_length, node.css("a"))), 0)


def _widen(block: LexborNode, title: LexborNode | None) -> LexborNode:
    """Climb to the parent while it only adds running text (the intro above a block-editor group, a second
    column), never into the headline's meta area, never to link lists."""
    for _ in range(3):
        parent = block.parent
        if parent is None or parent.tag in ("body", "html") or parent.tag in _NEVER_BODY:
            break
        if title is not None and is_ancestor(parent, title) and not is_ancestor(block, title):
            break
        added = parent.css(_WIDEN_PARAGRAPHS)
        if len(added) > _MAX_WIDEN_PARAGRAPHS:
            break
        added = [node for node in added if not is_ancestor(block, node)]
        text = sum(map(_flat_length, added))
        linked = sum(_flat_length(link) for node in added for link in node.css("a"))
        if text < 25 or linked > 0.3 * text:
            break
        block = parent
    return block


def _title_neighbourhood(title: LexborNode | None) -> LexborNode | None:
    """The headline's grandparent: the body of an article sits within it on nearly every theme."""
    if title is None or title.parent is None:
        return None
    grandparent = title.parent.parent or title.parent
    return None if grandparent.tag in ("body", "html") else grandparent


def link_density(node: LexborNode) -> float:
    """Share of the node's text that sits inside links."""
    total = _solid_length(node)
    if total == 0:
        return 1.0
    # one split of all the link texts: the characters that are not white space add up across them
    linked = _non_space_length("".join(link.text(deep=True) or "" for link in node.css("a")))
    return min(linked / total, 1.0)


def _with_ancestors(node: LexborNode | None, root: LexborNode) -> set[int]:
    """mem_ids of the node and its ancestors up to `root`."""
    found: set[int] = set()
    while node is not None and node.mem_id != root.mem_id:
        found.add(node.mem_id)
        node = node.parent
    return found


def is_ancestor(ancestor: LexborNode, node: LexborNode) -> bool:
    current: LexborNode | None = node
    while current is not None:
        if current.mem_id == ancestor.mem_id:
            return True
        current = current.parent
    return False


def common_ancestor(first: LexborNode, second: LexborNode) -> LexborNode:
    chain = set()
    current: LexborNode | None = first
    while current is not None:
        chain.add(current.mem_id)
        current = current.parent
    current = second
    while current is not None and current.mem_id not in chain:
        current = current.parent
    return current if current is not None else second


def article_container(title: LexborNode | None, block: LexborNode) -> LexborNode:
    """The element holding the headline, its meta line and the body, but not the rest of the page.

    Starts at the common ancestor of title heading and body block, then climbs at most two levels while the
    step adds only a little text (a card footer with the date, an entry footer with the categories).
    """
    container = common_ancestor(title, block) if title is not None else block
    if container.tag in ("body", "html"):
        container = block.parent or block
    for _ in range(2):
        parent = container.parent
        if container.tag == "article" or parent is None or parent.tag in ("body", "html"):
            break
        extra = _flat_length(parent) - _flat_length(container)
        if extra > 150:
            break
        container = parent
    return container


def body_text(block: LexborNode, title: str, skip: frozenset[int] = frozenset()) -> str:
    """The block's text (without the `skip` subtrees) without a repeated headline, the editors' cross-links
    (`Baca juga: ...`), the theme's short lines after the story (see trim.without_tail) or a second copy of a
    paragraph (themes that print the story twice, for a teaser and a "continue reading" part, or for desktop and
    mobile)."""
    text = render_text(block, skip)
    paragraphs = text.split("\n\n")
    title_key = norm(title)
    while paragraphs and title_key and norm(paragraphs[0]) == title_key:
        paragraphs.pop(0)
    paragraphs = [part for part in paragraphs if not (len(part) < 200 and _CROSS_LINK.match(part))]
    links = trim.link_texts([_flat_text(link) for link in block.css("a")])
    if _own_text_length(block) > _OWN_WORDS:   # text set loose in the block: its link lines are no elements
        paragraphs = _without_link_lines(paragraphs, links)
    own = cache(lambda: {_flat_text(node) for node in block.css(_OWN_LINES) if _is_own_line(node)})
    paragraphs = trim.without_tail(paragraphs, links, own)
    return "\n\n".join(_without_second_copy(paragraphs))


def _is_own_line(node: LexborNode) -> bool:
    """Whether the paragraph, list item or caption is one line of the author's: inline content only (no nested
    list or block, so reading its text stays linear in the page), without links."""
    child = node.child
    while child is not None:
        if child.is_element_node and child.tag not in _INLINE_TAGS:
            return False
        child = child.next
    return node.css_first("a") is None


def _without_link_lines(paragraphs: list[str], links: set[str]) -> list[str]:
    """The paragraphs without the short ones that are mostly the block's link texts (`links`: `Cetak | Kirim ke
    teman`, `Siswa Raih Medali Perak OSN (30 April 2024)`): the link rows an old CMS prints loose in the story's
    cell, between `<br>`s, where no element holds them to be judged as a link list; and the label over such lines."""
    if not links or len(links) * len(paragraphs) > _LINK_LINE_CHECKS:
        return paragraphs   # (a cell of thousands of loose links is a link farm, not worth the quadratic look)
    kept: list[str] = []
    for part in paragraphs:
        if trim.is_link_line(part, links):
            if kept and len(kept[-1]) < _LABEL_CHARS and kept[-1].endswith(":"):
                kept.pop()   # the label over the links (`Berita Lainnya:`)
            continue
        kept.append(part)
    return kept or paragraphs


def _without_second_copy(paragraphs: list[str]) -> list[str]:
    """The paragraphs without a run of `_REPEATED_RUN` or more different ones, a quarter of the text at least, that
    repeats an earlier run in the same order (a repeated line or a short repeated list, as a meal plan or a
    refrain repeats them, stays)."""
    least = max(_REPEATED_CHARS, sum(map(len, paragraphs)) // 4)
    first: dict[str, int] = {}
    for index, part in enumerate(paragraphs):
        first.setdefault(part, index)
    drop: set[int] = set()
    index = 0
    while index < len(paragraphs):
        earlier = first[paragraphs[index]]
        length = 0
        while (index + length < len(paragraphs) and earlier + length < index
               and paragraphs[earlier + length] == paragraphs[index + length]):
            length += 1
        run = paragraphs[index:index + length]
        if length >= _REPEATED_RUN and sum(map(len, run)) >= least and len(set(run)) >= _REPEATED_RUN:
            drop.update(range(index, index + length))
        index += max(length, 1)   # not from inside a run again: linear even on a page of one repeated line
    return [part for index, part in enumerate(paragraphs) if index not in drop]


def without_timestamps(body: str) -> str:
    """The body without its timestamp lines: a line that is only a clock time (a live blog's `16:56`, `9:27 am`)
    anywhere, and a date line with at most a label (`Updated: Nov 8, 2023 / 11:55 PM PST`, `Stand: 19.10.2019
    11:05 Uhr`) on its own among the first or last paragraphs, where themes print the post's meta. A date in the
    middle of the story (an agenda's `Senin, 3 Februari 2025`), a schedule's dated lines at its end
    (`Pemeriksaan: 6 Desember 2025` after `Pemupukan: 22 November 2025`) and a time with words (`Pukul 08.00
    WIB`) stay."""
    paragraphs = body.split("\n\n")
    last = len(paragraphs) - 1
    dated: dict[int, bool] = {}

    def is_dated(index: int) -> bool:
        if index not in dated:
            dated[index] = _is_timestamp(paragraphs[index], dates=True)
        return dated[index]

    def is_stamp(index: int) -> bool:
        if _is_timestamp(paragraphs[index], dates=False):
            return True   # a clock line, in any place
        if _STAMP_EDGE <= index <= last - _STAMP_EDGE or not is_dated(index):
            return False
        return not (index > 0 and is_dated(index - 1)) and not (index < last and is_dated(index + 1))

    kept = [part for index, part in enumerate(paragraphs) if not is_stamp(index)]
    return "\n\n".join(kept) if kept and len(kept) < len(paragraphs) else body


def _is_timestamp(line: str, dates: bool) -> bool:
    """Whether the line is a clock time alone, or (`dates`) a date or a view counter with at most a label and a
    time (`Sabtu, 04 Mei 2024 - 09:15 WIB | Dibaca: 532 kali`)."""
    if len(line) > _STAMP_CHARS or not _DIGIT.search(line) or (
            _SENTENCE_END.search(line) and not _CLOCK.search(line[-6:])) or "@" in line:
        return False   # a sentence (`Sekolah libur 6 Juni.`), an embedded post's signature (`— Name (@name) …`)
    rest, clocks = _CLOCK.subn(" ", line)
    if not _LETTERS.search(rest) and not _DIGIT.search(rest):
        return clocks > 0   # nothing but the time
    if not dates:
        return False
    rest, counters = _COUNTER.subn(" ", rest)
    mentions = find_dates(rest)
    for found in reversed(mentions):
        rest = rest[:found.start] + " " + rest[found.end:]
    return bool(mentions or counters) and not _DIGIT.search(rest) \
        and len(_LETTERS.findall(rest)) <= _STAMP_WORDS
