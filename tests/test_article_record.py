"""The Article record's mapping: every field of the contract, in order, and lists the caller may change."""

from __future__ import annotations

from dataclasses import asdict

from scraper.article import Article


def test_to_dict_is_every_field_in_order_and_its_lists_are_copies() -> None:
    article = Article(url="https://sma.test/a/", site="sma.test", title="Lomba", body="Isi berita.",
                      source_url="https://sma.test/a/", categories=["Berita"], tags=["lomba"], published=None)
    mapping = article.to_dict()
    assert list(mapping.items()) == list(asdict(article).items())
    mapping["categories"].append("Prestasi")
    mapping["tags"].clear()
    assert (article.categories, article.tags) == (["Berita"], ["lomba"])
