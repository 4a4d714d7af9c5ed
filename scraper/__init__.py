"""warta's scraper: configuration, date normalisation, extraction and crawling."""

__version__ = "0.1.0"
