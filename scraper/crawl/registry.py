"""The sites a crawl visits beyond the config's `[[site]]` entries: every school registered in the archive by
`warta sites import` (DESIGN §12). The crawler reads the archive; the archive knows nothing of the crawler."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from archive.db import open_archive
from archive.schools import registered_sites
from scraper.config import Config, SiteConfig


def with_registered_sites(config: Config, db_path: str | Path | None = None) -> Config:
    """`config` with every site registered in the archive (`db_path`, default `[archive] path`) that no
    `[[site]]` names added after its own; unchanged when the archive does not exist yet."""
    path = Path(db_path or config.archive.path)
    if not path.is_file():
        return config
    db = open_archive(path)
    try:
        rows = registered_sites(db)
    finally:
        db.close()
    configured = {site.host for site in config.sites}
    extra = tuple(SiteConfig(name=row["name"] or row["host"], url=row["url"], timezone=row["timezone"],
                             region=row["region"]) for row in rows if row["host"] not in configured)
    return replace(config, sites=config.sites + extra)
