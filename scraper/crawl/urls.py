"""URL rules of the crawler: normalisation, same-site test, trap filters and kind guesses (pure functions)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that never change what a page shows: analytics tags and session IDs.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "_ga", "_gl", "igshid",
    "phpsessid", "sid", "sessionid", "session_id", "jsessionid", "cfid", "cftoken", "s_cid",
})
MAX_PAGINATION = 200          # deeper `/page/N/`, `?paged=N`, `?page=N`, `?hal=N` are treated as a trap
OFFSET_PAGE_SIZE = 10         # `?offset=N` / `?start=N` pagination is read as N / 10 + 1 for that limit
YEAR_RANGE = (1995, 2100)     # date archives outside these years are calendar traps

_SKIPPED_EXTENSIONS = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|bmp|tiff?|pdf|docx?|xlsx?|pptx?|odt|zip|rar|7z|gz|tar|mp3|mp4|m4a|avi|"
    r"mov|wmv|flv|webm|css|js|json|woff2?|ttf|eot|apk|exe)$", re.I)
_TRAP_PATH = re.compile(
    r"/(wp-login\.php|wp-admin|wp-includes|wp-content|xmlrpc\.php|wp-json|trackback|embed|comments/feed|"
    r"cgi-bin|feed)(/|$)", re.I)
_JS_GARBAGE = re.compile(r"_BASE_URL|\brow\.|'\s*\+|\+\s*'|%27\s*\+|\{\{|\$\{|%7B%7B", re.I)
_TRAP_PARAMS = frozenset({"replytocom", "share", "action", "s", "rest_route", "feed", "attachment_id",
                          "preview", "preview_id", "ical", "outlook-ical", "format", "print", "amp", "unapproved",
                          "moderation-hash", "redirect_to", "oembed"})
_PAGE_PATH = re.compile(r"/(?:page|halaman|hal)/(\d+)/?$")
_PAGE_PARAMS = ("paged", "page", "hal", "halaman", "pg")
_OFFSET_PARAMS = ("offset", "start")
_DATE_PATH = re.compile(r"/(\d{4})/(\d{1,2})(?:/(\d{1,2}))?/?$")
_FIRST_LISTING_PATH = re.compile(r"^/(category|kategori|search/label)/[^/]+/?$")

_ARTICLE_PATTERNS = (
    re.compile(r"^/read/\d+(/|$)"),                           # CMS Sekolahku
    re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/[^/]+/?$"),         # WordPress day-and-name permalinks
    re.compile(r"^/(\d{4})/(\d{2})/[^/]+\.html$"),            # Blogger
    re.compile(r"^/(\d{4})/(\d{2})/[^/]+/?$"),               # WordPress month-and-name permalinks
    re.compile(r"^/(berita|artikel|news|post|posts|blog|informasi|pengumuman)/(detail/)?[^/]+(/[^/]+)?/?$"),
    re.compile(r"^/index\.php/[^/]+/\d+-[^/]+/?$"),          # Joomla
)
_LISTING_PATTERNS = (
    re.compile(r"^/(category|kategori|tag|author|arsip|archives?|search/label|label)(/|$)"),
    re.compile(r"/(page|halaman|hal)/\d+/?$"),
    re.compile(r"^/\d{4}(/\d{2})?/?$"),
)
_LISTING_PARAMS = frozenset({"cat", "tag", "paged", "page", "m", "author", "category_name", "updated-max", "hal",
                             "halaman", "pg", "offset", "start"})
# Every page of a site links to the same menu, sidebar and category URLs, so the crawl asks these pure functions
# about the same URLs again and again: remembered answers cost a dict lookup instead of parsing each URL anew.
URL_CACHE_SIZE = 16_384
_ABSOLUTE = re.compile(r"https?://[^/?#]")


def normalize_url(url: str, base: str | None = None) -> str | None:
    """The canonical form used as the crawl key, or None when `url` is not an http(s) URL.

    Lower-cases scheme and host, drops the default port, the fragment, tracking parameters and session IDs,
    sorts the query, and maps WordPress `index.php?p=ID` to `?p=ID` (the same post).
    """
    url = url.strip()
    if base is not None and not _ABSOLUTE.match(url):     # joining an absolute URL to a base changes nothing
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    return _normalized(url)


@lru_cache(maxsize=URL_CACHE_SIZE)
def _normalized(url: str) -> str | None:
    """`normalize_url` of an absolute URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in ("http", "https") or not host:   # (a host of dots alone, `http://..`, is none)
        return None
    if ":" in host:                                   # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    if port and port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{port}"
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_")]
    if path.endswith("/index.php") and pairs and {k for k, _ in pairs} <= {"p", "page_id", "cat", "paged"}:
        path = path[: -len("index.php")]
    query = urlencode(sorted(pairs), quote_via=quote, safe="/:,")
    return urlunsplit((scheme, host, path, query, ""))


@lru_cache(maxsize=URL_CACHE_SIZE)
def trap_reason(url: str) -> str | None:
    """Why a discovered link must not be followed (crawler trap, admin, JS garbage, binary), or None."""
    if _JS_GARBAGE.search(url):
        return "javascript fragment in URL"
    parts = urlsplit(url)
    path = parts.path
    if _SKIPPED_EXTENSIONS.search(path):
        return "not a web page"
    if _TRAP_PATH.search(path):
        return "admin, feed or API path"
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    trap_params = _TRAP_PARAMS.intersection(k.lower() for k in params)
    if trap_params:
        return f"query parameter {sorted(trap_params)[0]!r}"
    page = _page_number(path, params)
    if page is not None and page > MAX_PAGINATION:
        return f"pagination beyond page {MAX_PAGINATION}"
    if _out_of_calendar(path, params):
        return "calendar archive out of range"
    if len(url) > 500 or path.count("/") > 12:
        return "URL too long or too deep"
    return None


def _page_number(path: str, params: dict[str, str]) -> int | None:
    match = _PAGE_PATH.search(path)
    raw = match.group(1) if match else next((params[k] for k in _PAGE_PARAMS if params.get(k)), None)
    if raw is None and (offset := next((params[k] for k in _OFFSET_PARAMS if params.get(k)), "")).isdigit():
        return max(2, int(offset) // OFFSET_PAGE_SIZE + 1) if int(offset) else 1
    return int(raw) if raw and raw.isdigit() else None


def _out_of_calendar(path: str, params: dict[str, str]) -> bool:
    match = _DATE_PATH.search(path)
    if match:
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)
        return not (YEAR_RANGE[0] <= year <= YEAR_RANGE[1] and 1 <= month <= 12 and 1 <= day <= 31)
    stamp = params.get("m", "")
    if stamp.isdigit():
        return not (YEAR_RANGE[0] <= int(stamp[:4]) <= YEAR_RANGE[1]) or len(stamp) > 8
    return False


@lru_cache(maxsize=URL_CACHE_SIZE)
def guess_kind(url: str) -> str:
    """A guess from the URL alone: `article`, `listing` (home, category, tag, date, pagination) or `page`."""
    parts = urlsplit(url)
    path = parts.path or "/"
    params = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if "p" in params and path == "/":
        return "article"
    if params & _LISTING_PARAMS or path == "/" and not params:
        return "listing"
    if any(p.search(path) for p in _LISTING_PATTERNS):
        return "listing"
    if any(p.search(path) for p in _ARTICLE_PATTERNS):
        return "article"
    return "page"


def is_first_listing_page(url: str) -> bool:
    """Home and category listings without a page number: the pages an incremental run always re-reads."""
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    if _page_number(parts.path, params) is not None:
        return False
    path = parts.path or "/"
    if path == "/" and (not params or set(params) == {"cat"}):
        return True
    return bool(_FIRST_LISTING_PATH.match(path))


def page_number(url: str) -> int | None:
    """The page number a listing URL names (`/page/3/`, `?hal=1`, `?offset=20`), or None when it names none."""
    parts = urlsplit(url)
    return _page_number(parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)))


def is_pagination(url: str) -> bool:
    """True for page 2+ of a listing: `/page/N/`, `/halaman/N`, `?paged=N`, `?page=N`, `?hal=N`, `?offset=N`."""
    number = page_number(url)
    return number is not None and number > 1
