"""The two pages warta was specified from: every truth field, traps included."""

from __future__ import annotations

import json

import pytest

from scraper.extract import extract_page

SEED_FIELDS = ("url", "site", "title", "published", "categories", "cms", "body")


def _seeds(corpus):
    return [json.loads(line) for line in (corpus / "seeds" / "truth.jsonl").read_text("utf-8").splitlines()
            if line.strip()]


@pytest.fixture(scope="module")
def seeds(corpus):
    """(truth row, Page) per seed page, extracted with the site's zone."""
    return {row["file"]: (row, extract_page((corpus / "seeds" / row["file"]).read_bytes(), row["url"],
                                            tz=row["timezone"], content_type="text/html; charset=UTF-8"))
            for row in _seeds(corpus)}


@pytest.mark.parametrize("name", ["smkn7balikpapan-p591.html", "smkn5bjm-read-198.html"])
def test_every_truth_field_matches(seeds, name):
    row, page = seeds[name]
    assert page.article is not None, page.reason
    record = page.article.to_dict()
    for field in SEED_FIELDS:
        assert record[field] == row[field], field
    assert record["source_url"] == row["url"]
    assert record["language"] == "id"


def test_wordpress_seed_takes_the_body_dateline_not_the_header_widget(seeds):
    article = seeds["smkn7balikpapan-p591.html"][1].article
    assert article.published == "2025-01-31"  # not the header's 'Friday, 18-04-2025', not the empty label
    assert article.published_source == "dateline"
    assert "31 Januari 2025" in article.published_text
    assert "Komentar" not in article.body and "Bagikan" not in article.body
    assert "Berita Lainnya" not in article.body


def test_sekolahku_seed_takes_the_card_footer_in_site_time(seeds):
    article = seeds["smkn5bjm-read-198.html"][1].article
    assert article.published == "2025-06-23T09:12:00+08:00"  # not the event date, not the comment's footer
    assert article.published_source == "label"
    assert article.published_text.startswith("23/06/2025 09:12")
    assert article.author == "Humas SMKN 5"
    assert "Alumni 2019" not in article.body and "Semoga kerja sama ini" not in article.body
    assert "Tulisan Lainnya" not in article.body


def test_seed_pages_list_their_links_and_feeds(seeds):
    page = seeds["smkn7balikpapan-p591.html"][1]
    urls = [link.url for link in page.links]
    assert "https://smkn7balikpapan.sch.id/?cat=3" in urls
    assert all(url.startswith(("http://", "https://")) and "#" not in url for url in urls)
    assert page.feeds == ["https://smkn7balikpapan.sch.id/?feed=rss2"]
    category = next(link for link in page.links if link.rel == "category")
    assert category.text == "Berita Terbaru"
    sekolahku = seeds["smkn5bjm-read-198.html"][1]
    assert sekolahku.cms == "sekolahku" and sekolahku.feeds == ["https://smkn5bjm.sch.id/feed"]
    assert not any("_BASE_URL" in link.url or "row." in link.url for link in sekolahku.links)
