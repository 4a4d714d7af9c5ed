"""The recorded sites: every HTML 200 response of the corpus WARCs against truth.jsonl and non_articles.txt.

Thresholds from issue 3. Run with `pytest -s` to see the per-site figures.
"""

from __future__ import annotations

import pytest
from extract_scoring import load_non_articles, load_truth, score, site_zone, warc_paths

from archive.warc import iter_html_responses
from scraper.extract import extract_page


@pytest.fixture(scope="module")
def extracted(corpus):
    """(source_url, Page) for every HTML 200 response of the three recordings, parsed once."""
    pages = []
    truth = load_truth(corpus)
    for path in warc_paths(corpus):
        zone = site_zone(truth, path)
        for response in iter_html_responses(path):
            pages.append((response.url, extract_page(response.body, response.url, tz=zone,
                                                     content_type=response.content_type,
                                                     fetched_at=response.fetched_at)))
    return pages


@pytest.fixture(scope="module")
def scores(corpus, extracted):
    outputs = [(url, page.article.to_dict() if page.article else None) for url, page in extracted]
    result = score(outputs, load_truth(corpus), load_non_articles(corpus))
    for name, site in result.items():
        print("\n" + site.line(name))
        for miss in site.misses:
            print("   ", miss)
    return result


def test_every_recording_was_read(extracted):
    assert len(extracted) > 300


def test_posts_found(scores):
    for name, site in scores.items():
        assert len(site.found) >= 0.99 * site.posts, name


def test_no_non_article_output_as_article(scores):
    assert [url for site in scores.values() for url in site.false_articles] == []


def test_titles_exact(scores):
    for name, site in scores.items():
        assert site.title_ok >= 0.99 * len(site.found), name


def test_published_right_with_exact_time_where_shown(scores):
    for name, site in scores.items():
        assert site.date_ok >= 0.99 * len(site.found), name


def test_categories_where_the_page_shows_them(scores):
    checked = sum(site.category_checked for site in scores.values())
    assert checked > 50
    assert sum(site.category_ok for site in scores.values()) >= 0.98 * checked


def test_body_token_f1(scores):
    for name, site in scores.items():
        assert sum(site.f1) / len(site.f1) >= 0.97, name
        # Each post whole: a mean would hide one article that lost its first paragraph.
        assert min(site.f1) >= 0.99, (name, min(site.f1))


def test_every_article_carries_its_date_evidence(extracted):
    for _, page in extracted:
        if page.article is not None and page.article.published:
            assert page.article.published_source and page.article.published_text
            assert page.article.fetched_at


def test_non_articles_say_why(extracted, corpus):
    non_articles = load_non_articles(corpus)
    for url, page in extracted:
        if url in non_articles:
            assert page.article is None and page.reason, url


def test_listing_headings_for_the_crawler(extracted):
    headings = {url: page.heading for url, page in extracted if page.article is None}
    assert headings["http://smkn3-tanjungharapan.test/kategori/kegiatan-siswa"] == "KEGIATAN SISWA"
    assert headings["http://smk-bhaktiwiyata-smg.test/category/berita-terbaru/"] == "Category: Berita Terbaru"
