"""Pure extraction: page bytes and URL in, a Page with its links and (for articles) the Article out."""

from scraper.extract.dating import DateHint
from scraper.extract.metadata import Link
from scraper.extract.page import Page, extract_article, extract_page, valid_selector

__all__ = ["DateHint", "Link", "Page", "extract_article", "extract_page", "valid_selector"]
