"""One rule for which URLs belong to a school site, shared by the crawler and the extractor."""

from __future__ import annotations

import pytest

from scraper.sites import same_site


@pytest.mark.parametrize("url_a, url_b", [
    ("http://smkn7.sch.id/a", "https://www.smkn7.sch.id/b"),
    ("http://WWW.smkn7.sch.id/a", "https://smkn7.sch.id/"),
    ("https://smkn7.sch.id:443/a", "https://smkn7.sch.id/"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/x"),
])
def test_scheme_case_www_and_default_ports_do_not_make_another_site(url_a, url_b) -> None:
    assert same_site(url_a, url_b) and same_site(url_b, url_a)


@pytest.mark.parametrize("url_a, url_b", [
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8001/"),
    ("https://smkn7.sch.id/", "https://evil.example/"),
    ("http://smkn7.sch.id.evil.test/", "https://smkn7.sch.id/"),
    ("http://facebook.com/smkn7", "https://smkn7.sch.id/"),
    ("/read/1/berita", "/read/2/berita"),
    ("http://[::1/", "http://[::1/"),
    ("http://smkn7.sch.id:99999/", "http://smkn7.sch.id/"),
])
def test_other_hosts_ports_and_hostless_urls_are_not_the_same_site(url_a, url_b) -> None:
    assert not same_site(url_a, url_b)
