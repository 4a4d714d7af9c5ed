"""robots.txt rules of one site (RFC 9309), parsed by protego."""

from __future__ import annotations

from urllib.parse import urljoin

from protego import Protego

# RFC 9309 asks parsers to read at least 500 KiB; anything beyond is ignored.
MAX_ROBOTS_BYTES = 512_000


class Robots:
    """What a site's robots.txt lets `user_agent` do.

    Build it with `parse` (a 2xx answer), `allow_all` (4xx: no rules) or `disallow_all` (5xx or unreachable:
    RFC 9309 says assume complete disallow). `source` says which, for logs and the run summary.
    """

    def __init__(self, parser: Protego | None, user_agent: str, *, allow: bool = True, source: str = "",
                 url: str = "") -> None:
        self._parser = parser
        self._allow_default = allow
        self._token = product_token(user_agent)
        self.source = source
        self.crawl_delay: float | None = parser.crawl_delay(self._token) if parser else None
        # Absolute URLs, in file order (a relative `Sitemap: /sitemap.xml` is resolved against `url`).
        self.sitemaps: list[str] = [urljoin(url, s) for s in parser.sitemaps] if parser else []

    @classmethod
    def parse(cls, content: bytes | str, user_agent: str, url: str = "") -> Robots:
        """Rules from a robots.txt body fetched from `url` (bytes are read as UTF-8, bad bytes replaced)."""
        if isinstance(content, bytes):
            content = content[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        return cls(Protego.parse(content.lstrip("\ufeff")), user_agent, source="robots.txt", url=url)

    @classmethod
    def allow_all(cls, user_agent: str, source: str = "no robots.txt") -> Robots:
        """No rules: everything may be fetched."""
        return cls(None, user_agent, allow=True, source=source)

    @classmethod
    def disallow_all(cls, user_agent: str, source: str = "robots.txt unreachable") -> Robots:
        """Nothing may be fetched (for this run)."""
        return cls(None, user_agent, allow=False, source=source)

    def allowed(self, url: str, user_agent: str | None = None) -> bool:
        """Whether `url` may be fetched by `user_agent` (default: the one the rules were built for)."""
        if self._parser is None:
            return self._allow_default
        token = product_token(user_agent) if user_agent else self._token
        return self._parser.can_fetch(url, token)


def product_token(user_agent: str) -> str:
    """The product token robots.txt groups match against: `warta` from `warta/0.1 (+https://…)`."""
    return user_agent.strip().split("/", 1)[0].split()[0] if user_agent.strip() else "*"
