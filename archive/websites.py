"""A school's website as an official list writes it, cleaned into a home-page URL or a reason it is none.

Lists hold bare hosts (`smkn1.sch.id`), `http://` and `www.` variants, placeholders (`-`, `tidak ada`), e-mail
addresses, social-media pages, the registry's own pages and links to unrelated sites. `clean_website` returns
`Website(url, host)` for a usable site (a bare host becomes `https://host/`; a Blogger address is a real site)
or `NoWebsite(reason)`.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_PLACEHOLDERS = frozenset({
    "", "-", "--", "---", ".", "0", "#", "/", "na", "n a", "none", "null", "nil", "nan", "kosong", "tidak ada",
    "tidak punya", "belum ada", "belum punya", "tdk ada", "tak ada", "ga ada", "gak ada", "blm ada", "tidak",
    "belum", "no", "http", "https", "www",
})
_SOCIAL = ("facebook.com", "fb.com", "fb.me", "instagram.com", "instagr.am", "youtube.com", "youtu.be",
           "twitter.com", "x.com", "tiktok.com", "wa.me", "whatsapp.com", "t.me", "telegram.me", "linktr.ee",
           "linkedin.com", "threads.net", "pinterest.com")
# Sites that are not a school's own: mail and search services, encyclopaedias, the registries themselves.
_FOREIGN = ("gmail.com", "yahoo.com", "yahoo.co.id", "ymail.com", "hotmail.com", "outlook.com", "google.com",
            "google.co.id", "bing.com", "wikipedia.org", "example.com", "example.org", "localhost",
            "kemdikbud.go.id", "kemendikdasmen.go.id", "kemenag.go.id", "sekolah.data.kemdikbud.go.id",
            "maps.app.goo.gl", "goo.gl", "bit.ly", "wordpress.com", "blogger.com", "blogspot.com")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_EMAIL = re.compile(r"^(?:mailto:)?[^\s/@]+@[^\s/@]+\.[a-z]{2,}$", re.IGNORECASE)
_HOST = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$")
_SEPARATORS = re.compile(r"\s*(?:[,;|]|\s/\s|\s+atau\s+|\s+dan\s+|\s)\s*", re.IGNORECASE)
_HOME_PATHS = frozenset({"", "/", "/index.php", "/index.html", "/index.htm", "/home", "/beranda"})


@dataclass(frozen=True, slots=True)
class Website:
    """A usable website: its home-page URL and host (the `sites` key)."""

    url: str
    host: str


@dataclass(frozen=True, slots=True)
class NoWebsite:
    """Why a list's website cell names no usable website."""

    reason: str


def clean_website(raw: str | None) -> Website | NoWebsite:
    """The website in a list's cell: the first usable address when it holds several, else why there is none."""
    text = (raw or "").strip().strip("\"'<>()[]").strip()
    if _placeholder(text):
        return NoWebsite("no website")
    candidates = [part for part in _SEPARATORS.split(text) if part]
    first_problem: NoWebsite | None = None
    for candidate in candidates:
        outcome = _clean_one(candidate)
        if isinstance(outcome, Website):
            return outcome
        first_problem = first_problem or outcome
    return first_problem or NoWebsite(f"not a web address: {text!r}")


def _placeholder(text: str) -> bool:
    return re.sub(r"[^a-z0-9#/.-]+", " ", text.casefold()).strip(" .") in _PLACEHOLDERS or not text.strip("-. ")


def _clean_one(text: str) -> Website | NoWebsite:
    text = text.strip(".,;:/ ").strip()
    if _placeholder(text):
        return NoWebsite("no website")
    if _EMAIL.match(text):
        return NoWebsite(f"an e-mail address, not a website: {text}")
    with_scheme = text if _SCHEME.match(text) else f"https://{text.lstrip('/')}"
    try:
        parts = urlsplit(with_scheme)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return NoWebsite(f"not a web address: {text!r}")
    if parts.scheme.lower() not in ("http", "https"):
        return NoWebsite(f"not a web address: {text!r}")
    if parts.username or "@" in parts.netloc:
        return NoWebsite(f"an e-mail address, not a website: {text}")
    if _is_ip(host):
        return NoWebsite(f"an IP address, not a school's website: {host}")
    if not _HOST.match(host):
        return NoWebsite(f"not a web address: {text!r}")
    bare = host.removeprefix("www.").removeprefix("m.")
    if _under(bare, _SOCIAL):
        return NoWebsite(f"a social-media page, not a website: {text}")
    if bare in _FOREIGN or (_under(bare, _FOREIGN) and not _is_own_subdomain(bare)):
        return NoWebsite(f"not the school's own website: {text}")
    path = parts.path if parts.path not in _HOME_PATHS else "/"
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    return Website(f"{parts.scheme.lower()}://{netloc}{path if path.endswith('/') else path + '/'}", host)


def _under(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def _is_own_subdomain(host: str) -> bool:
    """A school's own address under a shared platform: `smkn1.blogspot.com`, `smkn1.wordpress.com`."""
    return _under(host, ("blogspot.com", "wordpress.com")) and host.count(".") >= 2


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
