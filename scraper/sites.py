"""Which URLs belong to one school site: the same host (ignoring a leading `www.` and the scheme) and the same
explicit port. One rule for the crawler (what to follow, which redirects to allow) and the extractor (which
canonical and home links to trust)."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit


# The crawl asks it of every link of every page, and menus repeat the same links on each (as scraper/crawl/urls.py).
@lru_cache(maxsize=16_384)
def site_key(url: str) -> tuple[str, int | None] | None:
    """(host without `www.`, explicit non-default port) of an absolute URL; None without a readable host and port."""
    try:
        parts = urlsplit(url)
        host, port = (parts.hostname or "").removeprefix("www."), parts.port
    except ValueError:
        return None
    return (host, None if port in (80, 443) else port) if host else None


def same_site(url_a: str, url_b: str) -> bool:
    """Whether two absolute URLs belong to one site; never for a URL without a host."""
    key = site_key(url_a)
    return key is not None and key == site_key(url_b)
