"""Parts of extraction rewritten for speed give exactly what their plain forms give (README "Benchmarks": the
JSON of `warta extract --all` is byte-identical before and after each speed change)."""

from __future__ import annotations

import itertools
import random
import re
import sys
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper import dates
from scraper.extract import bounds, classify, content, dom, metadata, profiles, site_profile, verdicts
from scraper.extract.bounds import parse_bounded
from scraper.extract.decode import decode_html

PAGES = Path(__file__).parent / "data" / "pages"
# The numeric-date order regex as first written: a look-behind, then `[0-3]?\d` as one group.
PLAIN_NUMERIC_DATE = re.compile(rb"(?<![\d/.-])([0-3]?\d)[/.-]([0-3]?\d)[/.-](?:19|20)\d\d(?![\d/.-])")


def plain_dates(raw: bytes) -> list[tuple[int, int]]:
    return [(int(match[1]), int(match[2])) for match in PLAIN_NUMERIC_DATE.finditer(raw)]


def test_the_numeric_dates_are_those_of_the_plain_regex() -> None:
    chosen = random.Random(15)
    numbers = [b"1", b"4", b"9", b"03", b"12", b"15", b"31", b"40", b"123", b"1999", b"2021", b"20211"]
    others = [b"/", b".", b"-", b" ", b"x", b"//"]
    texts = [b"".join(chosen.choice(numbers if turn % 2 else others) for turn in range(chosen.randint(1, 9)))
             for _ in range(20_000)]
    separators = [b"/", b".", b"-"]
    texts += [b"".join((chosen.choice(others), chosen.choice(numbers), chosen.choice(separators),
                        chosen.choice(numbers), chosen.choice(separators), chosen.choice(numbers),
                        chosen.choice(others))) for _ in range(20_000)]
    texts += [b"15/03/2021 03/15/2021 1/2/2020 123/4/2020 4/5/20211 x31-12-1999.", b"", b"07.08.2024",
              b"<a href=/2021/03/15/x>15-03-2021</a>\t1/1/2020\n31/12/1999\xc2\xa012/31/2000"]
    found = 0
    for text in texts:
        assert site_profile._numeric_dates(text) == plain_dates(text), text
        found += bool(plain_dates(text))
    assert found > 100                      # the random texts do hold dates


def plain_page_keys(tree, titles) -> site_profile.PageKeys:
    """page_keys as first written: every element in order, its tag and class read through `attrs`."""
    keys = {site_profile.title_key(title): (title, []) for title in titles if title}
    parents: dict[int, str] = {}
    for node in itertools.islice(tree.body.traverse(), site_profile.MAX_ELEMENTS):
        if node.tag in site_profile._SKIP_TAGS:
            continue
        text = node.text(deep=False)
        if not text or text.isspace():
            continue
        line = " ".join(text.split())
        if 3 <= len(line) <= 200:
            parent = node.parent
            if parent.mem_id not in parents:
                parents[parent.mem_id] = re.sub(r"\d+", "", f"{parent.tag}.{parent.attrs.get('class') or ''}")
            own = re.sub(r"\d+", "", node.attrs.get("class") or "")
            key = site_profile._key(f"{parents[parent.mem_id]}>{node.tag}.{own}\x00{line.casefold()}")
            keys.setdefault(key, (line, []))[1].append(node.mem_id)
    return keys


@pytest.mark.parametrize("name", sorted(path.name for path in PAGES.glob("*.html"))[:12])
def test_page_keys_are_those_of_the_plain_walk(name: str) -> None:
    tree = parse_bounded(decode_html((PAGES / name).read_bytes()))
    titles = ("Judul", "")
    keys = site_profile.page_keys(tree, titles)
    assert len(keys) > 3
    assert keys == plain_page_keys(tree, titles)


@pytest.mark.parametrize("name", verdicts._PARKING_SERVICES)
def test_every_parking_address_passes_the_three_scans(name: str) -> None:
    for page in (f"<p>caf\u00e9 {name.upper()}</p>", f"<p>{name}</p>" + "<p>Berita sekolah</p>" * 50):
        assert verdicts.placeholder_reason(page) == f"parked: the page comes from a domain parking service ({name})"
    assert verdicts.placeholder_reason(f"<p>{name[:-1]} {name[-1]}</p>") is None


@pytest.mark.parametrize("name", verdicts._PARKING_SERVICES)
def test_the_parking_scan_of_the_pages_own_bytes_is_that_of_its_text(name: str) -> None:
    # the page's UTF-8 bytes (as decode_html_source gives them) stand in for encoding its text again
    for page in (f"<p>Berita caf\u00e9 {name.title()}</p>", f"<p>\u6821 {name}</p>", "<p>Berita caf\u00e9</p>"):
        assert verdicts.placeholder_reason(page, None, page.encode()) == verdicts.placeholder_reason(page)
    long_page = f"<p>{name}</p>" + " " * verdicts.PARKING_SCAN
    assert verdicts.placeholder_reason(long_page, None, b"<p>wrong bytes</p>").startswith("parked:")


# The nesting pass's tokens as first written: tags, and comment ends it never used (`!--` does not nest).
PLAIN_TOKEN = re.compile(r"<(!--|/?[A-Za-z][A-Za-z0-9:-]*)(?:\"[^\"]*+\"|'[^']*+'|[^<>\"']++)*+|(-->)")


def plain_nests_deeper(markup: str, limit: int) -> bool:
    depth, skipping = 0, None
    for token, comment_end in PLAIN_TOKEN.findall(markup):
        if skipping is not None:
            if (comment_end and skipping == "-->") or token.lower() == skipping:
                skipping = None
            continue
        name = token.lower()
        if not name or name in bounds._NOT_NESTING:
            continue
        if name == "!--":
            skipping = "-->"
        elif name[0] == "/":
            depth -= depth > 0 and name[1:] not in bounds._NOT_NESTING
        elif name in bounds._RAW_TEXT:
            skipping = "/" + name
        elif (depth := depth + 1) > limit:
            return True
    return False


def test_the_nesting_pass_decides_as_its_plain_form() -> None:
    chosen = random.Random(12)
    parts = ["<div>", "</div>", "<!--", "-->", "<!-- x -->", "<script>", "</script>", "<p>", "<b a='-->'>", "x",
             "<br/>", "<style>", "</style>", '"', "'", '<a href="<x>">', ">", "--", "</SCRIPT>", "<Div class=a>"]
    deeper = 0
    for _ in range(20_000):
        markup = "".join(chosen.choices(parts, k=chosen.randint(0, 40)))
        for limit in (1, 2, 3):
            assert bounds._nests_deeper(markup, limit) == plain_nests_deeper(markup, limit), markup
            deeper += plain_nests_deeper(markup, limit)
    assert deeper > 1000


# The class and id name tests of remove_noise as first written: each alternative behind `(?:^|...)`.
PLAIN_NOISE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:comments?|komentar|comment-respond|respond|share|sharing|sharedaddy|social|sosmed|bagikan|"
    r"related|terkait|breadcrumbs?|sidebar|widget-area|pagination|page-numbers|nav-links|navigation|"
    r"post-navigation|navigasi-berita|menu|topbar|top-bar|top-header|ticker|marquee|running-text|popup|modal|"
    r"cookie|screen-reader-text|sr-only|visually-hidden|skip-link|advert|ads|iklan|newsletter|subscribe|"
    r"author-box|about-author|jp-relatedposts|yarpp|addtoany|a2a|sharethis|printfriendly|wpcnt|rating)"
    r"(?:$|[\s_-])|(?:^|\s)widget(?:$|[\s_-])")
PLAIN_LAYOUT_FLAGS = re.compile(r"(?:^|\s)(?:has|no|with|without|is|show|hide)-\S*")


def test_the_noise_name_test_decides_as_its_plain_form() -> None:
    chosen = random.Random(16)
    words = ["comment", "comments", "sidebar", "widget", "widget-area", "menu", "ads", "share", "sharing", "x",
             "has-", "no-", "is-menu", "has-sidebar", "no-comments", "elementor-widget-container", "entry", "é"]
    separators = ["", " ", "  ", "-", "_", "\n", "\t", "\xa0", "\u2003"]
    noise = 0
    for _ in range(30_000):
        names = "".join(chosen.choice(words) + chosen.choice(separators) for _ in range(chosen.randint(0, 5)))
        plain = bool(PLAIN_NOISE_WORDS.search(PLAIN_LAYOUT_FLAGS.sub(" ", names)))
        assert content._noise_names.__wrapped__(names) == plain, names
        noise += plain
    assert 1000 < noise < 29_000              # both answers are common



def test_class_and_id_tested_apart_decide_as_their_joined_lower_cased_form() -> None:
    chosen = random.Random(18)
    words = ["comment", "Comments", "SIDEBAR", "widget", "Widget-Area", "menu", "ads", "x", "Has-", "no-",
             "IS-menu", "has-sidebar", "elementor-widget-container", "entry", "é", "Σ"]
    separators = ["", " ", "-", "_", "\t"]

    def names() -> str:
        return "".join(chosen.choice(words) + chosen.choice(separators) for _ in range(chosen.randint(0, 3)))

    elements = "".join(f'<div class="{names()}" id="{names()}"></div>' for _ in range(3000))
    tree = LexborHTMLParser(f"<html><body>{elements}<p class='Menu'></p><p id='SIDEBAR'></p></body></html>")
    noise = 0
    for node in tree.css("div, p"):
        joined = bool(PLAIN_NOISE_WORDS.search(PLAIN_LAYOUT_FLAGS.sub(" ", dom.class_and_id(node))))
        assert content._named_as_noise(node) == joined, dom.class_and_id(node)
        noise += joined
    assert 300 < noise < 2900

def test_a_piece_of_indentation_normalises_as_the_plain_regex_does() -> None:
    chosen = random.Random(17)
    characters = [" ", "\t", "\n", "\r", "\f", "\v", "\xa0", "\u3000", "\x1c", "\x85", "a", "."]
    for _ in range(30_000):
        text = "".join(chosen.choices(characters, k=chosen.randint(0, 10)))
        assert dom._normalise_paragraph(text) == dom._NEWLINE_SPACE.sub(" ", text).strip(), text


def test_the_collapsed_length_is_that_of_the_collapsed_text() -> None:
    chosen = random.Random(18)
    for _ in range(30_000):
        text = "".join(chosen.choices([" ", "\n", "\xa0", "\u3000", "a", "b", ","], k=chosen.randint(0, 10)))
        assert content._collapsed_length(text) == len(" ".join(text.split())), text


def plain_remove_noise(tree) -> None:
    """remove_noise as first written: the protected selector asked of every noise region."""
    page_prose: list[int] = []
    for selector in (", ".join(sorted(content.NOISE_TAGS)), content._HIDDEN, "[class], [id]"):
        for node in reversed(tree.css(selector)):
            hidden = selector == content._HIDDEN
            if (hidden or content._is_noise(node)) and node.css_first(content._PROTECTED) is None \
                    and not content._holds_the_story(node, page_prose, tree.body, named=not hidden):
                node.decompose()


def test_remove_noise_leaves_the_tree_of_its_plain_form() -> None:
    cleaned = 0
    for path in sorted(PAGES.glob("**/*.html")):
        html = decode_html(path.read_bytes())
        fast, plain, untouched = parse_bounded(html), parse_bounded(html), parse_bounded(html).html
        content.remove_noise(fast)
        plain_remove_noise(plain)
        assert fast.html == plain.html, path.name
        cleaned += fast.html != untouched
    assert cleaned >= 10                       # most of the pages have noise to remove


def test_nested_noise_tags_go_as_in_the_plain_form() -> None:
    # noise tags inside noise tags, one inside a protected one: the outermost unprotected go, in whatever order
    html = ('<body><aside><nav>Menu</nav><form><menu><li>x</li></menu></form></aside>'
            '<nav class="crumbs"><h1>Judul berita</h1><nav>Beranda</nav><aside>Iklan</aside></nav>'
            '<form id="f"><main><p>Isi cerita.</p><nav>Bagikan</nav></main></form><dialog>Langganan</dialog></body>')
    fast, plain = parse_bounded(html), parse_bounded(html)
    content.remove_noise(fast)
    plain_remove_noise(plain)
    assert fast.html == plain.html
    assert fast.body.text(separator="|") == "Judul berita|Isi cerita."


def test_remove_widgets_with_the_protected_set_of_remove_noise_leaves_the_tree_of_its_own() -> None:
    search_box = ('<body><div class="cari"><input type="text" placeholder="Cari"><button>Cari</button></div>'
                  '<main><h1>Judul berita</h1><p>Isi cerita yang panjang.</p><input type="checkbox"></main></body>')
    pages = {path.name: decode_html(path.read_bytes()) for path in sorted(PAGES.parent.glob("**/*.html"))}
    changed = 0
    for name, html in [*pages.items(), ("search box", search_box)]:   # every hand-written page
        given, found = parse_bounded(html), parse_bounded(html)
        content.remove_invisible(given)
        content.remove_invisible(found)
        content.remove_widgets(given, content.remove_noise(given))
        content.remove_noise(found)
        before = found.html
        content.remove_widgets(found, content._with_ancestors_of(found.css(content._PROTECTED)))
        assert given.html == found.html, name
        changed += found.html != before
    assert changed >= 3                        # pages whose form controls were removed with their widgets


def plain_holds_the_story(node, page_prose: list[int], body, named: bool) -> bool:
    """content._holds_the_story as first written: the paragraph looked for before the length."""
    if node.tag in content.NOISE_TAGS or body is None or node.css_first("p") is None:
        return False
    length = len(node.text(deep=True) or "")
    if length < content._STORY_MIN_PROSE // 2 or content._COMMENT_WORDS.search(dom.class_and_id(node)):
        return False
    return content._holds_the_story(node, page_prose, body, named)


def plain_is_heading_slug(node, anchor: str) -> bool:
    heading = node.css_first(dom.HEADINGS)
    if heading is None:
        return False
    slug = content._NOT_SLUG.sub("-", (heading.text(deep=True) or "").casefold()).strip("-")
    return len(slug) > 12 and slug == content._NOT_SLUG.sub("-", anchor.casefold()).strip("-")


def test_the_story_and_slug_tests_answer_as_their_plain_forms() -> None:
    asked = held = slugs = 0
    pages = [decode_html(path.read_bytes()) for path in sorted(PAGES.parent.glob("**/*.html"))]
    pages.append('<body><div id="sharing-with-a-single-developer"><h2>Sharing with a single developer</h2>'
                 '<p>Teks.</p></div><div id="share"><h2>Share</h2></div><div id="a-b-c-d-e-f-g"><h3>A b c d e f g'
                 '</h3></div><section id="Berita-Sekolah-Terbaru!"><h2>berita sekolah terbaru</h2></section></body>')
    for html in pages:
        tree = parse_bounded(html)
        content.remove_invisible(tree)
        for node in tree.css("[class], [id]"):
            for named in (True, False):
                fast = content._holds_the_story(node, [], tree.body, named)
                assert fast == plain_holds_the_story(node, [], tree.body, named)
                asked, held = asked + 1, held + fast
            anchor = node.attributes.get("id") or ""
            assert content._is_heading_slug(node, anchor) == plain_is_heading_slug(node, anchor), anchor
            slugs += plain_is_heading_slug(node, anchor)
    assert held >= 10 and asked > 5 * held and slugs >= 2   # both answers, and slugs that match


def test_a_protected_element_keeps_the_noise_region_around_it() -> None:
    tree = parse_bounded('<body><div class="sidebar"><div class="entry-content"><p>Cerita.</p></div></div>'
                         '<div class="sidebar"><p>Terbaru</p></div><nav><h1>Judul</h1></nav><nav>Menu</nav></body>')
    content.remove_noise(tree)
    assert [node.text() for node in tree.css(".sidebar, nav")] == ["Cerita.", "Judul"]


@pytest.mark.parametrize(("depth", "kept"), [(60, True), (125, True), (200, False)])
def test_the_two_depth_selectors_bound_as_one(depth: int, kept: bool) -> None:
    tree = parse_bounded("<div>" * depth + "x" + "</div>" * depth)
    deepest = " > ".join(["*"] * (depth + 2))    # html, body and the divs
    assert (tree.css_first(deepest) is not None) == kept
    assert tree.css_first(bounds._DEEPER_THAN_LIMIT) is None


def test_the_mention_lookbehind_decides_as_under_ignorecase_for_every_code_point() -> None:
    letters = dates.CJK_LETTERS
    plain = re.compile(rf"(?<![^\W{letters}])x", re.IGNORECASE)
    scoped = re.compile(rf"(?-i:(?<![^\W{letters}]))x", re.IGNORECASE)
    assert scoped.pattern.removesuffix("x") in dates._MENTION.pattern
    for code in range(sys.maxunicode + 1):
        text = chr(code) + "X"
        assert (plain.match(text, 1) is None) == (scoped.match(text, 1) is None), hex(code)


def random_nesting(chosen: random.Random, depth: int) -> str:
    """Markup nesting about `depth` deep, with siblings, text and comments before the deeper elements."""
    parts = []
    for level in range(depth):
        before = chosen.choice(["", "x", "<!-- c -->", "<i></i>", "y<b>z</b>", "<br>"])
        parts.append(f"{before}<{chosen.choice(['div', 'span', 'section', 'em'])}>")
        if level == depth - 1:
            parts.append(chosen.choice(["", "w", "<img>", "<u></u>"]))
    return "".join(parts)


@pytest.mark.parametrize("compounds", [40, bounds.MAX_OPEN_ELEMENTS + 3])
def test_the_first_child_depth_selectors_match_where_the_plain_ones_do(compounds: int) -> None:
    chosen = random.Random(compounds)
    plain = " > ".join(["*"] * compounds)
    first_child = bounds._DEEPER_THAN_REAL_PAGES if compounds == 40 else bounds._DEEPER_THAN_LIMIT
    matched = 0
    for _ in range(300):
        tree = LexborHTMLParser(random_nesting(chosen, chosen.randint(compounds - 6, compounds + 2)))
        deep = tree.css_first(plain) is not None
        assert deep == (tree.css_first(first_child) is not None)
        matched += deep
    assert 0 < matched < 300


def test_the_head_is_read_as_the_selector_list_picked_it() -> None:
    tree = parse_bounded(
        '<html><head><title> Satu  judul </title><meta name="a"><meta name="A" content=" pertama ">'
        '<meta property="og:title" content="x"><meta name="a" content="kedua"><base>'
        '<base href="https://sekolah.sch.id/berita/"><base href="https://lain.example/">'
        '<link rel="x\xa0canonical" href="/salah"><link rel="CANONICAL"><link rel="Canonical " href="/benar">'
        '<link rel="alternate" type="application/rss+xml" href="feed/"><link rel="alternate\u2003x" '
        'type="application/rss+xml" href="/salah2"><script src="a.js">{"datePublished": "2020-01-01"}</script>'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2021-02-03"}</script>'
        '</head><body class="Single Post"><svg><title>gambar</title></svg><title>kedua</title>'
        '<script>var d = {"post_date": "2019\\/05\\/06 10:00"};</script></body></html>')
    meta = metadata.read_meta(tree, "https://sekolah.sch.id/berita/a")
    assert meta.title == "Satu judul"
    assert meta.meta == {"a": "pertama", "og:title": "x"}
    assert meta.base_url == "https://sekolah.sch.id/berita/"
    assert meta.canonical == "https://sekolah.sch.id/benar"
    assert meta.feeds == ["https://sekolah.sch.id/berita/feed/"]
    assert meta.jsonld == [{"@type": "NewsArticle", "datePublished": "2021-02-03"}]
    assert meta.script_date == '"post_date": "2019/05/06 10:00"'
    assert meta.body_classes == frozenset({"single", "post"})



@pytest.mark.parametrize("name", sorted(path.name for path in PAGES.glob("*.html")))
def test_inline_text_is_the_collapsed_rendering_of_every_node(name: str) -> None:
    tree = parse_bounded(decode_html((PAGES / name).read_bytes()) + "<p>\u3000a\xa0\x1cb\n\n c\t</p><td> d </td>"
                         "<title> t </title><b></b><i><!-- c --></i>")
    for node in dom.iter_subtree(tree.root, include_text=True):
        assert dom.inline_text(node) == " ".join(dom.render_text(node).split())


@pytest.mark.parametrize(("markup", "author"), [
    ('<span itemprop="author">Ditulis oleh <span itemprop="name">Ani</span></span>', "Ani"),
    ('<a rel="author"></a><span class="byline"><span class="fn">Budi</span></span>', "Budi"),
    ('<p>Cerita.</p><span itemprop="author"> Citra </span>', "Citra"),
    ('<p>Cerita tanpa penulis.</p>', None),
])
def test_the_byline_is_the_first_author_kind_with_text(markup: str, author: str | None) -> None:
    container = parse_bounded(f"<body><article>{markup}</article></body>").css_first("article")
    assert profiles.author_of(metadata.PageMeta(base_url="https://sekolah.sch.id/"), container, None,
                              "generic") == author


def test_only_category_and_tag_links_are_read() -> None:
    container = parse_bounded(
        '<body><article><a href="/category/berita/"> Berita </a><a href="/tag/lomba/">Lomba</a>'
        '<a href="/2021/03/x/">Sebuah tautan</a><a rel="category tag" href="/x">Juara</a></article></body>'
    ).css_first("article")
    meta = metadata.PageMeta(base_url="https://sekolah.sch.id/")
    assert profiles.categories_and_tags(container, frozenset(), meta, "wordpress") == (["Berita", "Juara"],
                                                                                      ["Lomba"])


def test_the_cjk_count_counts_as_the_cjk_class_over_every_code_point() -> None:
    plain = re.compile(f"[{dates.CJK_LETTERS}]")
    every = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x30000)))
    assert classify.cjk_count(every) == len(plain.findall(every)) > 30_000
    for text in ("", "Kegiatan Pramuka 2024", "学校のニュース", "Sekolah 学校 – berita", "한국어 텍스트"):
        assert classify.cjk_count(text) == len(plain.findall(text))


# The crowded-tag pass as first written: one engine step for text, one for each tag, every tag read by the general
# attribute grammar (no fast path for plain tags).
_ANY = rf"{bounds._TAG_OPEN}(?:{bounds._ATTRIBUTE}){{0,{bounds.MAX_ATTRIBUTES}}}+{bounds._SPACE}*+(?:>|\Z)"
PLAIN_CROWDED_TAG = re.compile(
    rf"(?:[^<]++|<(?![A-Za-z])|{_ANY})*+"
    rf"(?:({bounds._TAG_OPEN}(?:{bounds._ATTRIBUTE}){{{bounds.MAX_ATTRIBUTES}}})(?:{bounds._ATTRIBUTE})*+)?")
# Pieces of tags where the tokenizer and a naive reading part ways: quotes in names, `>` and `<` in values,
# `=` starting a name or inside an unquoted value, quote-adjacent names, `/` as a separator, white space around `=`.
TAG_PIECES = [" a", " b=\"x\"", " c='y'", " d=e", "=\"f>\"", "\"", "'", ">", "<", "/", " ", "\n", "=", "g\"h",
              " i = \"j\"", "k=l=\"m>\"", "\"n\"o", "<p", "</q>", "text", " r=\"<s t>\"", "\t", "/>", "-->"]


def test_the_crowded_tag_pass_reads_as_its_plain_form() -> None:
    chosen = random.Random(12)
    markups = ["".join(chosen.choice(TAG_PIECES) for _ in range(chosen.randint(1, 40))) for _ in range(20_000)]
    limit = bounds.MAX_ATTRIBUTES
    for attribute in (" x{n}", ' x{n}=""', " x{n}='v>{n}'", '/x{n}', ' x{n}="v"', ' x{n}="a>b" z{n}'):
        for count in (limit - 1, limit, limit + 1):
            markups.append("<p>x</p><a" + "".join(attribute.format(n=n) for n in range(count)) + ">y</a>z")
    for markup in markups:
        for text in (markup, markup.encode()):
            pattern = bounds._CROWDED_TAG_BYTES if isinstance(text, bytes) else bounds._CROWDED_TAG_STR
            plain = re.compile(PLAIN_CROWDED_TAG.pattern.encode()) if isinstance(text, bytes) else PLAIN_CROWDED_TAG
            position = 0
            while True:
                fast, slow = pattern.match(text, position), plain.match(text, position)
                assert (fast.span(), fast.span(1)) == (slow.span(), slow.span(1)), markup
                if fast.group(1) is None:
                    break
                position = fast.end()
    crowded = [markup for markup in markups if bounds.limit_attributes(markup) is not markup]
    assert len(crowded) == 8      # each form one past the limit, and the two-attribute form at 999 and 1,000


def test_remove_noise_asks_of_each_named_node_once_though_lexbor_lists_it_for_each_selector(monkeypatch) -> None:
    asked: list[str] = []
    real = content._is_noise
    monkeypatch.setattr(content, "_is_noise", lambda node: asked.append(node.tag) or real(node))
    tree = LexborHTMLParser("<html><body><div class='entry' id='post-7'><p>Teks berita.</p></div>"
                            "<div class='sidebar' id='kanan' hidden aria-hidden='true'><p>Menu</p></div></body></html>")
    assert [node.tag for node in tree.css("[class], [id]")] == ["div", "div", "div", "div"]   # (why it matters)
    content.remove_noise(tree)
    assert asked == ["div"]                 # the hidden sidebar went in the first pass, once
    assert tree.css_first(".sidebar") is None and tree.css_first(".entry") is not None


@pytest.mark.parametrize("words", [dates.MONTHS, dates.WEEKDAYS, dates.NAMED_ZONES, ["agu", "agt", "ags", "ag"]])
def test_the_word_trie_matches_as_the_plain_longest_first_alternation(words) -> None:
    trie = re.compile(dates._alternation(words), re.IGNORECASE)
    plain = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))), re.IGNORECASE)
    texts = [word + tail for word in words for tail in ("", "x", "i", "y", "s", ".")]
    texts += [text.upper() for text in texts] + [word[:cut] for word in words for cut in range(len(word))]
    for text in texts:
        found = trie.match(text)
        expected = plain.match(text)
        assert (found and found[0]) == (expected and expected[0]), text
