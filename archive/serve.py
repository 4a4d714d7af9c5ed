"""`warta serve`: browse the archive in Datasette with the metadata, settings and plugin shipped in the package.

Datasette is imported inside the functions that use it: importing it takes over half a second, which every other
`warta` command (this module is loaded with the CLI) would otherwise pay.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from archive.cli import db_option, require_file
from archive.errors import ArchiveUserError

if TYPE_CHECKING:
    from datasette.app import Datasette

METADATA_PATH = Path(__file__).with_name("metadata.json")
# The database key in metadata.json: Datasette names a database after its file, and archive.db is the default.
METADATA_DATABASE = "archive"
SETTINGS = {
    # The stemmed canned search scans an FTS index and the per-month counts a whole table: give them time,
    # but still stop a runaway query on a public instance.
    "sql_time_limit_ms": 5000,
    # No facet query holds a page longer than this; warta's facets (datasette_plugin/facets.py) also share one
    # shorter limit per page, count large results in the background or not at all, and most from one read.
    "facet_time_limit_ms": 300,
    # Article bodies are long; the table page shows their start, the row page shows them whole.
    "truncate_cells_html": 240,
    # Suggesting facets tries a query per column (up to 50 ms each): over a second on every page of a
    # 1,000,000-article archive, for suggestions; the facets that matter are set in metadata.json.
    "suggest_facets": False,
}


def load_metadata(database_name: str = METADATA_DATABASE) -> dict[str, Any]:
    """The shipped metadata, with its database section filed under `database_name` (the archive file's stem)."""
    metadata = json.loads(METADATA_PATH.read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if database_name != METADATA_DATABASE and METADATA_DATABASE in databases:
        databases[database_name] = databases.pop(METADATA_DATABASE)
    return metadata


def register_plugin() -> None:
    """Make sure warta's plugin is active even where the package's entry points are not installed."""
    from datasette.plugins import pm

    from archive import datasette_plugin

    if not pm.is_registered(datasette_plugin) and pm.get_plugin("warta") is None:
        pm.register(datasette_plugin, name="warta")


def check_archive(db_path: Path) -> None:
    """Raise ArchiveUserError unless `db_path` is an SQLite file holding an `articles` table."""
    require_file(db_path)
    try:
        with sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True) as conn:
            found = conn.execute("select 1 from sqlite_master where type = 'table' and name = 'articles'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ArchiveUserError(f"not an SQLite archive: {db_path} (--db): {exc}") from exc
    if not found:
        raise ArchiveUserError(f"not a warta archive (no articles table): {db_path} (--db)")


def build_datasette(db_path: Path, *, immutable: bool = False, captures: Path | None = None) -> Datasette:
    """A Datasette app on the archive with warta's metadata, settings and plugin; the archived copies are read
    from `captures` (default: `captures/` beside the archive, where `warta crawl` writes them by default)."""
    from datasette.app import Datasette

    check_archive(db_path)
    register_plugin()
    files = {"immutables": [str(db_path)]} if immutable else {"files": [str(db_path)]}
    metadata = load_metadata(db_path.stem)
    folder = captures if captures is not None else db_path.parent / "captures"
    metadata.setdefault("plugins", {}).setdefault("warta", {})["captures"] = str(folder.resolve())
    return Datasette(**files, metadata=metadata, settings=SETTINGS)


def articles_path(ds: Datasette) -> str:
    """The path of the articles table page, where browsing starts."""
    return ds.urls.table(next(iter(ds.databases.keys() - {"_internal", "_memory"})), "articles")


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 makes it reachable from other machines).")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--immutable/--no-immutable", default=False, show_default=True,
              help="Open the file as never changing (faster counts; for a published copy, not a live archive).")
@click.option("--captures", "captures", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of the WARC captures the archived copies are read from  [default: captures/ beside --db]")
def serve(db_path: str, host: str, port: int, immutable: bool, captures: Path | None) -> None:
    """Browse the archive in Datasette: full-text search, facets, charts, canned queries, archived copies."""
    import uvicorn

    ds = build_datasette(Path(db_path), immutable=immutable, captures=captures)
    click.echo(f"warta: browsing {db_path} at http://{host}:{port}{articles_path(ds)}  (Ctrl+C stops)", err=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
