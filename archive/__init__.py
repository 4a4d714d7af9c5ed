"""warta's archive: the SQLite store, search, export/import and Datasette metadata.

The archive receives Article records as plain mappings (see docs/article.md) and never imports `scraper`.
"""

import sys


def _import_sqlite_utils_without_dataframes() -> None:
    """Import sqlite-utils without the pandas and numpy it imports whenever they are installed.

    The archive never hands it a DataFrame or a numpy value, and the two cost ~0.8 s of CPU and ~55 MB in every
    process that opens an archive (a crawl, a search) where they are installed (the dev extra has pandas). A
    program that imported them already keeps them; one that imports them later gets them as usual.
    """
    blocked = [name for name in ("pandas", "numpy") if name not in sys.modules]
    sys.modules.update(dict.fromkeys(blocked))
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in blocked:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]


_import_sqlite_utils_without_dataframes()
