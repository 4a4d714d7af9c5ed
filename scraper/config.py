"""Load and validate config.toml (README, "Configuration"); every problem names the file, line and key."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_USER_AGENT = "warta/0.1 (+https://github.com/warta-archive/warta; research archive of school news)"


class ConfigError(ValueError):
    """A problem in the user's config file, phrased as one line: `file:line: key: problem`."""


@dataclass(frozen=True, slots=True)
class ArchiveConfig:
    path: Path
    captures: Path


@dataclass(frozen=True, slots=True)
class CrawlConfig:
    user_agent: str = DEFAULT_USER_AGENT
    delay: float = 1.0
    hosts_in_parallel: int = 16
    timeout: float = 30.0
    connect_timeout: float = 10.0     # seconds to open a connection (a dead host fails fast), at most `timeout`
    max_pages_per_site: int = 2000
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    retries: int = 3
    revisit_days: float = 30.0


@dataclass(frozen=True, slots=True)
class DistributedConfig:
    """`[distributed]`: where `warta crawl --broker`, `warta worker` and `warta writer` meet (README,
    "Distributed crawling"); unset `broker` means the single-machine crawl."""

    broker: str | None = None
    queues: int = 16                  # hosts are spread over warta.q.0 … warta.q.<queues-1> by a hash of the host
    visibility_timeout: float = 3600.0  # seconds before a task of a vanished worker is handed to another
    lease_timeout: float = 60.0       # seconds a host stays claimed by a worker that stopped renewing its lease


@dataclass(frozen=True, slots=True)
class SiteConfig:
    name: str
    url: str
    timezone: str = "Asia/Jakarta"
    region: str | None = None
    cms: str | None = None
    start_urls: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    selectors: dict[str, str] = field(default_factory=dict)
    verify_tls: bool = True

    @property
    def host(self) -> str:
        """The site's host name, which is also `Article.site`."""
        return urlsplit(self.url).hostname or ""


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    archive: ArchiveConfig
    crawl: CrawlConfig
    sites: tuple[SiteConfig, ...]
    distributed: DistributedConfig = DistributedConfig()

    def select_sites(self, names: list[str] | tuple[str, ...]) -> tuple[SiteConfig, ...]:
        """The sites whose name or host matches one of `names` (all sites when `names` is empty)."""
        if not names:
            return self.sites
        wanted = {n.casefold() for n in names}
        chosen = tuple(s for s in self.sites if s.name.casefold() in wanted or s.host.casefold() in wanted)
        known = {s.name.casefold() for s in chosen} | {s.host.casefold() for s in chosen}
        unknown = [n for n in names if n.casefold() not in known]
        if unknown:
            raise ConfigError(f"{self.path}: no [[site]] named {unknown[0]!r} (use a site's name or host)")
        return chosen


_CMS = {"wordpress", "sekolahku", "blogger", "joomla", "generic"}
_SITE_KEYS = {
    "name": str, "url": str, "timezone": str, "region": str, "cms": str, "start_urls": list,
    "include": list, "exclude": list, "selectors": dict, "verify_tls": bool,
}
_CRAWL_KEYS = {
    "user_agent": str, "delay": (int, float), "hosts_in_parallel": int, "timeout": (int, float),
    "connect_timeout": (int, float), "max_pages_per_site": int, "max_bytes": int, "max_redirects": int, "retries": int,
    "revisit_days": (int, float),
}
_ARCHIVE_KEYS = {"path": str, "captures": str}
_DISTRIBUTED_KEYS = {"broker": str, "queues": int, "visibility_timeout": (int, float), "lease_timeout": (int, float)}
BROKER_SCHEMES = ("redis://", "rediss://", "unix://")


class _Locator:
    """Finds the line of a key in the TOML text so errors can point at it."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line_of(self, table: str, key: str | None, index: int = 0) -> int | None:
        header = re.compile(r"^\s*\[\[\s*" + re.escape(table) + r"\s*\]\]" if table == "site"
                            else r"^\s*\[\s*" + re.escape(table) + r"\s*\]")
        seen, start = -1, None
        for number, line in enumerate(self.lines, 1):
            if header.match(line):
                seen += 1
                if seen == index:
                    start = number
                    break
        if start is None:
            return None
        if key is None:
            return start
        key_re = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for number in range(start, len(self.lines)):
            line = self.lines[number]
            if re.match(r"^\s*\[", line):
                break
            if key_re.match(line):
                return number + 1
        return start


def load_config(path: str | Path) -> Config:
    """Read and validate a config file; raise ConfigError with one clear line on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return parse_config(data, path, _Locator(text))


def parse_config(data: dict[str, Any], path: Path, locator: _Locator | None = None) -> Config:
    """Validate an already-parsed TOML mapping (see load_config)."""
    locator = locator or _Locator("")

    def fail(table: str, key: str | None, problem: str, index: int = 0) -> ConfigError:
        line = locator.line_of(table, key, index)
        where = f"{path}:{line}" if line else str(path)
        name = f"[[site]] #{index + 1}" if table == "site" else f"[{table}]"
        return ConfigError(f"{where}: {name}{' ' + key if key else ''}: {problem}")

    unknown = set(data) - {"archive", "crawl", "site", "distributed"}
    if unknown:
        key = sorted(unknown)[0]
        raise ConfigError(f"{path}: unknown top-level key {key!r} "
                          "(expected [archive], [crawl], [distributed], [[site]])")

    def check_table(table: str, raw: Any, spec: dict[str, Any], index: int = 0) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise fail(table, None, "must be a table", index)
        for key, value in raw.items():
            if key not in spec:
                hint = _closest(key, spec)
                raise fail(table, key, "unknown key" + (f" (did you mean {hint!r}?)" if hint else ""), index)
            expected = spec[key]
            if isinstance(value, bool) and expected is not bool:
                raise fail(table, key, f"expected {_type_name(expected)}, got a boolean", index)
            if not isinstance(value, expected):
                raise fail(table, key, f"expected {_type_name(expected)}, got {type(value).__name__}", index)
        return raw

    base = path.parent
    archive_raw = check_table("archive", data.get("archive", {}), _ARCHIVE_KEYS)
    archive = ArchiveConfig(
        path=base / archive_raw.get("path", "archive.db"),
        captures=base / archive_raw.get("captures", "captures/"),
    )

    crawl_raw = check_table("crawl", data.get("crawl", {}), _CRAWL_KEYS)
    for key in ("delay", "timeout", "connect_timeout", "revisit_days"):
        if key in crawl_raw and crawl_raw[key] < 0:
            raise fail("crawl", key, "must not be negative")
    for key in ("hosts_in_parallel", "max_pages_per_site", "max_bytes", "max_redirects"):
        if key in crawl_raw and crawl_raw[key] < 1:
            raise fail("crawl", key, "must be at least 1")
    if "retries" in crawl_raw and crawl_raw["retries"] < 0:
        raise fail("crawl", "retries", "must not be negative")
    for key in ("timeout", "connect_timeout"):
        if key in crawl_raw and crawl_raw[key] == 0:
            raise fail("crawl", key, "must be more than 0")
    crawl = CrawlConfig(**{k: (float(v) if k in ("delay", "timeout", "connect_timeout", "revisit_days") else v)
                           for k, v in crawl_raw.items()})

    sites_raw = data.get("site", [])
    if not isinstance(sites_raw, list):
        raise ConfigError(f"{path}: 'site' must be an array of tables written [[site]]")
    sites: list[SiteConfig] = []
    seen_names: set[str] = set()
    for index, raw in enumerate(sites_raw):
        raw = check_table("site", raw, _SITE_KEYS, index)
        for key in ("name", "url"):
            if key not in raw:
                raise fail("site", None, f"missing required key {key!r}", index)
        name = raw["name"].strip()
        if not name:
            raise fail("site", "name", "must not be empty", index)
        if name.casefold() in seen_names:
            raise fail("site", "name", f"duplicate site name {name!r}", index)
        seen_names.add(name.casefold())
        parts = urlsplit(raw["url"])
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise fail("site", "url", f"not an http(s) URL: {raw['url']!r}", index)
        timezone = raw.get("timezone", "Asia/Jakarta")
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise fail("site", "timezone", f"unknown time zone {timezone!r} (e.g. Asia/Jakarta, "
                       "Asia/Makassar, Asia/Jayapura)", index) from None
        cms = raw.get("cms")
        if cms is not None and cms not in _CMS:
            raise fail("site", "cms", f"unknown cms {cms!r} (one of {', '.join(sorted(_CMS))})", index)
        for key in ("start_urls", "include", "exclude"):
            values = raw.get(key, [])
            if not all(isinstance(v, str) for v in values):
                raise fail("site", key, "must be a list of strings", index)
            if key in ("include", "exclude"):
                for pattern in values:
                    try:
                        re.compile(pattern)
                    except re.error as exc:
                        raise fail("site", key, f"bad regular expression {pattern!r}: {exc}", index) from None
        selectors = raw.get("selectors", {})
        if not all(isinstance(v, str) for v in selectors.values()):
            raise fail("site", "selectors", "must map names to CSS selector strings", index)
        sites.append(SiteConfig(
            name=name, url=raw["url"], timezone=timezone, region=raw.get("region"), cms=cms,
            start_urls=tuple(raw.get("start_urls", ())), include=tuple(raw.get("include", ())),
            exclude=tuple(raw.get("exclude", ())), selectors=dict(selectors),
            verify_tls=raw.get("verify_tls", True),
        ))
    distributed_raw = check_table("distributed", data.get("distributed", {}), _DISTRIBUTED_KEYS)
    broker = distributed_raw.get("broker")
    if broker is not None and not broker.startswith(BROKER_SCHEMES):
        raise fail("distributed", "broker", f"not a Redis URL: {broker!r} (e.g. redis://127.0.0.1:6379/0)")
    if distributed_raw.get("queues", 1) < 1:
        raise fail("distributed", "queues", "must be at least 1")
    for key in ("visibility_timeout", "lease_timeout"):
        if distributed_raw.get(key, 1) <= 0:
            raise fail("distributed", key, "must be more than 0")
    distributed = DistributedConfig(**{k: (float(v) if k.endswith("timeout") else v)
                                       for k, v in distributed_raw.items()})
    return Config(path=path, archive=archive, crawl=crawl, sites=tuple(sites), distributed=distributed)


def _type_name(expected: Any) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
             list: "a list", dict: "a table"}
    if isinstance(expected, tuple):
        return "a number"
    return names.get(expected, expected.__name__)


def _closest(key: str, spec: dict[str, Any]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(key, list(spec), n=1, cutoff=0.6)
    return matches[0] if matches else None
