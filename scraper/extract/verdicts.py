"""What a page's bytes say about the site behind it: a parked domain, an empty JavaScript shell, injected spam.

Pure, like the rest of extraction. `placeholder_reason` runs before a page is read as an article (a registrar's
parking page or an app shell is never one); `spam_reason` runs on what would be stored, so an injected gambling
or pharma page is never an Article whatever its JSON-LD and dates claim (DESIGN §13). The reasons start with
`parked`, `script-only` or `spam`, which the crawler turns into the site's state.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.article import Article
from scraper.extract.bounds import parse_bounded
from scraper.extract.classify import cjk_count
from scraper.extract.metadata import Link
from scraper.lazy_pattern import LazyPattern
from scraper.sites import site_key

# Said by registrars, parking services and hosting panels on a domain with no site behind it.
_PARKED_TEXT = re.compile(
    r"\b(?:this domain (?:name )?(?:is|may be) for sale|buy this domain|domain (?:is )?for sale|"
    r"this domain (?:has expired|is parked|has been registered)|domain (?:has )?expired|renew (?:this|your) domain|"
    r"this (?:web )?page is parked|parked (?:free|domain)|future home of|domain ini (?:dijual|telah kedaluwarsa|"
    r"sudah kedaluwarsa|telah kadaluarsa|sudah kadaluarsa|masa aktifnya telah habis)|"
    r"masa aktif domain (?:ini )?telah (?:habis|berakhir)|account (?:has been )?suspended|"
    r"akun (?:hosting )?(?:ini )?(?:telah )?(?:ditangguhkan|disuspend)|default web ?page|"
    r"apache2? (?:ubuntu |debian )?default page|welcome to nginx|congratulations.{0,40}(?:domain|website) is ready)\b",
    re.IGNORECASE)
# Looked for as plain substrings of the lower-cased page: one regex alternation over a whole page cost ~4 ms.
_PARKING_SERVICES = ("sedoparking.com", "parkingcrew.net", "bodis.com", "above.com/marketplace", "afternic.com",
                     "hugedomains.com", "dan.com/buy-domain", "parklogic", "domainmarket.com", "undeveloped.com",
                     "/cgi-sys/suspendedpage.cgi")
_PARKING_NEEDLES = tuple((name, name.encode()) for name in _PARKING_SERVICES)
# Three scans tell that a page names none of them (every real page): `park` (in three), the `.com` of the others
# with a look-behind for each name (the regex engine finds `.com` at C speed, and a page has a few dozen), and the
# rest (the cPanel page) one by one; only a page that passes one is searched name by name.
_PARK = b"park"
_DOT_COM_NAMES = [name.encode().partition(b".com") for name in _PARKING_SERVICES
                  if ".com" in name and "park" not in name]
_PARKING_DOT_COM = re.compile(rb"\.com(?:" + b"|".join(
    rb"(?<=" + re.escape(before) + rb"\.com)" + (rb"(?=" + re.escape(after) + rb")" if after else b"")
    for before, _, after in _DOT_COM_NAMES) + rb")")
_PARKING_REST = tuple(needle for name, needle in _PARKING_NEEDLES if ".com" not in name and "park" not in name)
_LOWERS_TO_ASCII = ("\u0130", "\u212a")     # İ → "i̇", the Kelvin sign → "k"
PARKING_SCAN = 200_000      # characters of a page searched for a parking service's address
PARKED_MAX_TEXT = 3000      # a parking page says little; a school page mentioning "domain" says much more
# An app shell: next to nothing readable, a root element for the framework, a script bundle.
SHELL_MAX_TEXT = 200        # characters of text beside an empty app root (a loading message, a footer)
BARE_SHELL_MAX_TEXT = 20    # … and on a page with scripts but no app root: no title, no sentence
SHELL_MAX_LINKS = 3
SMALL_PAGE = 20_000         # characters of HTML under which a page is read again for these signs …
PLACEHOLDER_MAX_HTML = 300_000   # … and over which (with or without links) it is no placeholder
_APP_ROOTS = "#root, #app, #__next, #__nuxt, #___gatsby, app-root, [data-reactroot], [ng-app], #q-app, #svelte"

# Promotional words of injected gambling and pharma pages: a news item *about* online gambling (a school's
# anti-gambling talk) names the game, but does not sell it.
_PROMOTION_WORDS = re.split(
    r"\|(?![^(]*\))",  # the top-level alternatives: a `|` not followed by a `)` before a `(`
    r"slot ?gacor|gacor|maxwin|max win|bonus new member|link alternatif|anti rungkad|rtp (?:live|slot)|"
    r"bocoran rtp|pola gacor|scatter hitam|deposit (?:pulsa|dana|via dana|ovo|gopay)|tanpa potongan|"
    r"slot ?(?:88|777|5000|thailand|server thailand|demo|terpercaya|resmi)|situs (?:slot|toto|togel) ?(?:gacor|"
    r"resmi|terpercaya)?|bandar (?:togel|toto|slot|judi)|toto ?(?:macau|sgp|hk|4d|slot)|togel (?:online|hongkong|"
    r"singapore|sgp|hk|sdy)|agen (?:slot|judi|togel)|daftar (?:slot|togel|sbobet)|login (?:slot|togel)|sbobet|"
    r"pragmatic play|pg ?soft|mahjong ways|gates of olympus|sweet bonanza|jp paus|auto jp|wd (?:cepat|lancar)|"
    r"poker online|pkv games|domino ?qq|bandar ?q|idn ?poker|sabung ayam online|live casino|casino online|"
    r"slot (?:deposit|depo|mahjong)|depo \d+k?|bet (?:kecil|\d+)|situs judi (?:online )?(?:terpercaya|resmi)|"
    r"online casino|online slots?|free spins|no deposit bonus|sports betting|"
    r"viagra|cialis|kamagra|tramadol|xanax|online pharmacy|without prescription|payday loans?|replica watches|"
    r"obat kuat|obat aborsi|jual cytotec|cytotec|penggugur kandungan|obat penggugur"
)


def _by_first_letter(words: list[str]) -> str:
    """`\\b(?:a|b|...)\\b` over words that each start with a letter, written so Python's regex engine rejects a
    position at once: a look-ahead for the first letters, then one branch per first letter (the words in their
    order within it). It matches exactly what the plain alternation does (under IGNORECASE each character
    matches at most one first letter), about six times faster (0.24 → 0.04 ms on an article's body)."""
    branches: dict[str, list[str]] = {}
    for word in words:
        branches.setdefault(word[0], []).append(word[1:])
    grouped = "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in branches.items())
    return rf"\b(?=[{''.join(branches)}])(?:{grouped})\b"


_PROMOTION = re.compile(_by_first_letter(_PROMOTION_WORDS), re.IGNORECASE)
_GAMBLING = LazyPattern(r"\b(?:judi|slot|togel|toto|casino|kasino|taruhan|jackpot|bandar)\b", re.IGNORECASE)
# A school's talk or news item warning against gambling names the very words the spam uses.
_WARNING = LazyPattern(r"\b(?:bahaya|sosialisasi|waspada|pencegahan|mencegah|cegah|dampak|hindari|penyuluhan|"
                       r"kecanduan|terjerat|jerat|larangan|pemberantasan|melawan|tolak|edukasi|seminar|polres|"
                       r"polsek|kepolisian)\b", re.IGNORECASE)
SPAM_SHARE = 0.3            # of the text, in paragraphs that speak of gambling, before a page is spam
MIN_PROMOTIONS_IN_WARNING = 3


def placeholder_reason(html: str, tree: LexborHTMLParser | None = None, utf8: bytes | None = None) -> str | None:
    """`parked: …` for a parking, for-sale, expired or suspended page; `script-only: …` for an empty shell a
    browser fills with JavaScript; None for a page with something of its own to read.

    `tree` is the page's tree from `parse_bounded(html)` when the caller has it (it is read, never changed);
    `utf8` is `html`'s UTF-8 encoding when the caller has it (`decode_html_source` gives it)."""
    whole = utf8 if len(html) <= PARKING_SCAN else None
    if service := _parking_service(html[:PARKING_SCAN], whole):
        return f"parked: the page comes from a domain parking service ({service})"
    if len(html) > PLACEHOLDER_MAX_HTML or (len(html) > SMALL_PAGE and _more_links_than(html, SHELL_MAX_LINKS)):
        return None                      # a page this size (with links) has something of its own
    if tree is None:                     # bounded: 300 KB of nested tags would cost an unbounded parse minutes
        tree = parse_bounded(html)
    link_count = len(tree.css("a[href]"))
    bundle = _script_bundle(tree)
    stripped = tree.clone()              # a copy (several times cheaper than parsing again) to strip
    stripped.strip_tags(["script", "style", "noscript", "template", "svg", "head"])
    text = " ".join((stripped.body.text(separator=" ") if stripped.body is not None else "").split())
    if len(text) <= PARKED_MAX_TEXT and (said := _PARKED_TEXT.search(text)):
        return f"parked: the page says {said.group(0)!r}"
    empty_root = bundle is not None and "no root element" not in bundle
    if bundle is not None and link_count <= SHELL_MAX_LINKS and (
            len(text) <= (SHELL_MAX_TEXT if empty_root else BARE_SHELL_MAX_TEXT)):
        return f"script-only: no readable text, filled by JavaScript ({bundle})"
    return None


def _more_links_than(html: str, limit: int) -> bool:
    """Whether `html` holds more than `limit` `<a ` tags, as `html.count("<a ") > limit` but reading the page
    only up to the one past the limit (near its start on any page with links)."""
    position = 0
    for _ in range(limit + 1):
        if (position := html.find("<a ", position)) < 0:
            return False
        position += len("<a ")
    return True


def _parking_service(head: str, utf8: bytes | None = None) -> str | None:
    """The parking service whose address `head` names in any letter case (as `name in head.lower()`), or None;
    `utf8` is `head`'s UTF-8 encoding when the caller has it (not encoding again saves ~0.15 ms on a page).

    Searched in the UTF-8 bytes lowered, several times cheaper than `str.lower()` on a page with any non-ASCII
    character: bytes lower A-Z alone, and the only other characters whose lower case holds an ASCII letter are
    `İ` and the Kelvin sign, so without them both find the same names (other characters stay non-ASCII bytes)."""
    if any(char in head for char in _LOWERS_TO_ASCII):
        lowered = head.lower()
        return next((name for name in _PARKING_SERVICES if name in lowered), None)
    lowered_bytes = (head.encode("utf-8", "surrogatepass") if utf8 is None else utf8).lower()
    if _PARK not in lowered_bytes and not _PARKING_DOT_COM.search(lowered_bytes) \
            and not any(needle in lowered_bytes for needle in _PARKING_REST):
        return None
    return next((name for name, needle in _PARKING_NEEDLES if needle in lowered_bytes), None)


def _script_bundle(tree: LexborHTMLParser) -> str | None:
    """What makes the page a JavaScript app: its root element and script bundle, or None."""
    scripts = [node.attributes.get("src") or "" for node in tree.css("script")]
    bundles = [src for src in scripts if src]
    inline = sum(len(node.text() or "") for node in tree.css("script:not([src])"))
    if not bundles and inline < 2000:
        return None
    root = tree.css_first(_APP_ROOTS)
    if root is not None and len((root.text() or "").strip()) > BARE_SHELL_MAX_TEXT:
        root = None                      # rendered on the server: the root holds the page
    where = f"root element <{root.tag}{_id(root)}>" if root is not None else "no root element"
    return f"{where}, script {bundles[0]}" if bundles else f"{where}, {inline} bytes of inline script"


def _id(node) -> str:
    element_id = node.attributes.get("id")
    return f' id="{element_id}"' if element_id else ""


# Where a lapsed domain's owner or registrar sends its visitors.
_PARKING_HOSTS = LazyPattern(
    r"(?:^|\.)(?:sedo\.com|sedoparking\.com|parkingcrew\.net|bodis\.com|afternic\.com|hugedomains\.com|dan\.com|"
    r"buydomains\.com|undeveloped\.com|atom\.com|squadhelp\.com|domainmarket\.com|sav\.com|"
    r"expireddomains\.net|domainnamesales\.com|above\.com|parklogic\.com|uniregistry\.com)$", re.IGNORECASE)
_GAMBLING_HOST = LazyPattern(r"slot|gacor|togel|judi|casino|kasino|maxwin|poker|sbobet|jackpot|(?:^|[.-])toto",
                             re.IGNORECASE)


@cache
def _redirect_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The meta refresh and scripted redirect regexes, compiled on first use: only the crawl's home-page check
    reads them, and compiling them took ~13 ms of every `warta extract` start-up."""
    refresh = re.compile(r"""<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*content\s*=\s*["']?\s*\d+\s*[;,]\s*"""
                         r"""url\s*=\s*['"]?([^"'>\s]+)""", re.IGNORECASE)
    script = re.compile(r"""(?:window\.|document\.|top\.)?location(?:\.href)?\s*=\s*["'](https?://[^"']+)|"""
                        r"""location\.(?:replace|assign)\(\s*["'](https?://[^"']+)""", re.IGNORECASE)
    return refresh, script

REDIRECT_SCAN = 50_000      # characters of a page searched for a meta refresh or a scripted redirect
REDIRECT_STUB_HTML = 5_000  # characters under which a page setting `location` is a redirect stub


def redirect_target(html: str) -> str | None:
    """Where a page sends the browser at once: a meta refresh URL or a script setting `location` (a hacked or
    moved home page), or None."""
    head = html[:REDIRECT_SCAN]
    # A script setting `location` sends every visitor away only on a stub page; on a real page it is a button's.
    stub = len(html) < REDIRECT_STUB_HTML or not _more_links_than(html, SHELL_MAX_LINKS)
    refresh, script = _redirect_patterns()
    found = refresh.search(head) or (script.search(head) if stub else None)
    return next((group for group in found.groups() if group), None) if found else None


def destination_kind(url: str) -> str | None:
    """`parked` for a domain parking or for-sale service, `spam` for a gambling site (by its host), else None."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if _PARKING_HOSTS.search(host):
        return "parked"
    return "spam" if _GAMBLING_HOST.search(host) else None


def injected_links(links: list[Link], page_url: str) -> str | None:
    """`spam links: …` when the page links off-site to gambling or pharma sites (hidden or not), the usual mark of
    a hacked page whose own text is still the school's; None otherwise."""
    home = site_key(page_url)      # the page's key once, not once per link (`same_site` reads both)
    selling = [(link.url, found.group(0)) for link in links
               if (home is None or site_key(link.url) != home)
               and (found := _PROMOTION.search(f"{link.text} {link.url.replace('-', ' ')}"))]
    words = sorted({word.casefold().strip() for _, word in selling})
    if len(selling) < 2 or len(words) < 2:
        return None
    return (f"spam links: {len(selling)} links to gambling or pharma sites ({', '.join(words[:4])}), "
            f"e.g. {selling[0][0]}")


class Setting(NamedTuple):
    """What surrounds a page's text, which tells a page written in CJK on a site written so from the keyword
    hack: the text of its template (menu, header and footer links; the lines the site's other pages print
    too), its `<html lang>` and its host."""

    template: str
    lang: str | None
    host: str
    foreign: bool = False   # the site's profile is learned and the page prints none of its template lines


def screen_spam(article: Article | None, reason: str | None, page_title: str,
                setting: Setting | None = None) -> tuple[Article | None, str | None]:
    """The page's (article, reason) with an injected spam page turned into (None, `spam: …`) (see spam_reason)."""
    spam = spam_reason(article.title, article.body, setting) if article is not None \
        else spam_reason(page_title, "", setting)
    return (None, spam) if spam else (article, reason)


_LETTER = re.compile(r"[^\W\d_]")
_CJK_LANG = re.compile(r"(?:ja|zh|ko)\b", re.IGNORECASE)
# What the keyword hack sells (counterfeit brands; gambling in its Chinese form), as no news page writes it.
_CJK_SELLING = LazyPattern(r"スーパーコピー|ブランドコピー|コピーブランド|コピー品|偽物|偽ブランド|N級品?|激安|代引き|"
                           r"高仿|仿品|精仿|复刻表|博彩|赌场|百家乐|娱乐城|真人娱乐|老虎机")
CJK_TITLE_CHARS = 4
CJK_SHARE = 0.5
CJK_SITE_SHARE = 0.25       # of the letters of a site's template links: a site written in CJK
MIN_TEMPLATE_LETTERS = 20   # letters of template text below which it does not tell the site's script
CJK_SELLING_WORDS = 2


def cjk_title(title: str) -> bool:
    """Whether a title is written (mostly) in Japanese, Chinese or Korean: the only pages spam_reason may call
    injected keyword pages, so the only ones whose Setting is worth reading."""
    return cjk_count(title) >= CJK_TITLE_CHARS


def _injected_cjk(text: str, setting: Setting | None) -> bool:
    """Whether a page written in CJK is the keyword hack rather than a page of a site written in that language.

    It is when it sells what the hack sells, when it shares nothing of the template its site's other pages
    print (a page the hack added beside the site), or when its template is written in another script (the hacked
    site's menus and footer kept around the injected text). A page with too little template to tell (the hack's
    bare pages, and some real ones) is judged by its host, then its declared language: on an Indonesian domain
    it is the hack; elsewhere it is when it declares a language that is not Japanese, Chinese or Korean.
    Without a Setting (nothing known of the page's site) it is the hack, as on a school site."""
    if setting is None or setting.foreign or len(set(_CJK_SELLING.findall(text))) >= CJK_SELLING_WORDS:
        return True
    letters = len(_LETTER.findall(setting.template))
    if letters >= MIN_TEMPLATE_LETTERS:
        return cjk_count(setting.template) < CJK_SITE_SHARE * letters
    if not setting.host or setting.host.rstrip(".").endswith(".id"):
        return True
    return bool(setting.lang and setting.lang.strip()) and not _CJK_LANG.match(setting.lang.strip())


def spam_reason(title: str, body: str, setting: Setting | None = None) -> str | None:
    """`spam: …` when a page sells gambling or pharma (its title does, or most of its text does), or is the
    "Japanese keyword hack": written in Japanese or Chinese and, by what surrounds it (`setting`), injected into
    a site written otherwise (see _injected_cjk); else None.

    A real post with a paragraph of injected links, or a news item warning against gambling, is not spam."""
    if cjk_title(title):
        text = title + body
        if cjk_count(text) >= CJK_SHARE * max(len(_LETTER.findall(text)), 1) and _injected_cjk(text, setting):
            return "spam: injected keyword page (written in Japanese or Chinese)"
    in_title = {m.group(0).casefold().strip() for m in _PROMOTION.finditer(title)}
    in_body = {m.group(0).casefold().strip() for m in _PROMOTION.finditer(body)}
    if not in_title and len(in_body) < 2:
        return None
    warns = bool(_WARNING.search(title)) or len(_WARNING.findall(body)) >= 2
    if warns and len(in_title | in_body) < MIN_PROMOTIONS_IN_WARNING:
        return None
    if not in_title:
        paragraphs = [p for p in body.split("\n\n") if p.strip()]
        selling = sum(len(p) for p in paragraphs if _PROMOTION.search(p) or _GAMBLING.search(p))
        if selling < SPAM_SHARE * max(len(body), 1):
            return None
    words = sorted(in_title | in_body)[:4]
    return f"spam: injected gambling or pharma page ({', '.join(words)})"
