"""warta's archive: the SQLite store, search, export/import and Datasette metadata.

The archive receives Article records as plain mappings (see README, "Article") and never imports `scraper`.
"""
