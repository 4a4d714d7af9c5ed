"""Which addresses the crawler may contact: the server-side request forgery guard (SECURITY.md, "Fetching").

A URL found in a page (link, sitemap, feed, redirect, REST root) must not make warta reach into the network it
runs in: its host may be neither an IP literal nor a name resolving to a loopback, private, link-local (cloud
metadata at 169.254.169.254), multicast, reserved or otherwise non-public address. The configured site's own
host and port are the user's choice and always allowed. Through a proxy, DNS is the proxy's business: only IP
literals are checked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import urllib.request
from urllib.parse import SplitResult, urlsplit

METADATA_ADDRESSES = frozenset({"169.254.169.254", "fd00:ec2::254", "100.100.100.200"})

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_problem(address: Address) -> str | None:
    """Why `address` must not be contacted on a page's say-so (`private`, `loopback`, ...), or None if public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if str(address) in METADATA_ADDRESSES:
        return "a cloud metadata address"
    for kind in ("loopback", "link_local", "multicast", "private", "reserved", "unspecified"):
        if getattr(address, f"is_{kind}"):
            return f"a {kind.replace('_', '-')} address"
    if not address.is_global:          # shared (100.64/10), documentation and other special-purpose ranges
        return "not a public address"
    return None


def parse_ip(host: str) -> Address | None:
    """The IP address `host` spells (`10.0.0.1`, `[::1]`, and the short or numeric forms such as `2130706433`
    that resolvers accept), or None for a name."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:   # inet_aton accepts what browsers and getaddrinfo do: 127.1, 0x7f.1, 2130706433
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):   # ValueError: a NUL or a character outside ASCII
        return None


def ip_literal_problem(url: str) -> str | None:
    """Why `url` must not be fetched because its host is a non-public IP literal, or None (no DNS is asked)."""
    host = _hostname(url)
    address = parse_ip(host) if host else None
    problem = address_problem(address) if address is not None else None
    return f"{host} is {problem}" if problem else None


def environment_proxy(url: str) -> str | None:
    """The proxy URL the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY) sends `url` through, or None
    (the fetcher's rule, so the guard knows which requests the proxy resolves)."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass_environment(parts.hostname or "", proxies):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def uses_proxy(url: str) -> bool:
    """Whether the environment sends `url` through a proxy (see `environment_proxy`)."""
    return environment_proxy(url) is not None


class AddressGuard:
    """Checks the URLs one site's session fetches. The site's configured host and port are trusted; any other
    host must be public, by its literal or (without a proxy) by every address DNS gives for it."""

    def __init__(self, site_url: str) -> None:
        self._trusted = _origin(site_url)
        self._resolved: dict[tuple[str, int], str | None] = {}

    async def problem(self, url: str) -> str | None:
        """Why `url` must not be fetched, or None. DNS answers are cached for the session."""
        origin = _origin(url)
        if origin == self._trusted:
            return None
        if problem := ip_literal_problem(url):
            return problem
        if parse_ip(origin[0]) is not None or uses_proxy(url):
            return None
        if origin not in self._resolved:
            self._resolved[origin] = await _resolved_problem(*origin)
        return self._resolved[origin]


async def _resolved_problem(host: str, port: int) -> str | None:
    try:
        answers = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None        # the fetch itself fails and says so ("cannot connect")
    for *_, sockaddr in answers:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if problem := address_problem(address):
            return f"{host} resolves to {address}, {problem}"
    return None


def _hostname(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""


def _origin(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return _hostname(url), explicit_port(parts) or (443 if parts.scheme == "https" else 80)


def explicit_port(parts: SplitResult) -> int | None:
    """The port written in a split URL, or None when there is none or it is not a valid port."""
    try:
        return parts.port
    except ValueError:
        return None
