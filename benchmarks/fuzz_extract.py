"""Coverage-guided fuzzing of extraction (atheris): any bytes as a page must give a Page with an Article or a
reason, only http(s) links, no exception, in bounded time (a slow input counts as a finding).

    .venv/bin/python benchmarks/fuzz_extract.py [--seconds 180] [--findings DIR] [--corpus DIR]

Seeds: a few hand-written school pages, plus up to 40 HTML pages of ../shared/corpus (cut to 16 KB) when present.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import atheris
from fuzzing import REPO, run

with atheris.instrument_imports(include=["scraper"]):
    from archive.warc import iter_html_responses
    from scraper.extract import extract_page

URL = "https://smkn7contoh.sch.id/2025/03/03/kegiatan-sekolah/"
MAX_LEN = 16_384
SEEDS = [
    b"<html><head><title>Siswa Menanam Pohon | SMAN 1</title></head><body><h1>Siswa Menanam Pohon</h1>"
    b"<div class='meta'>Diposting: Senin, 3 Maret 2025</div><div class='isi'><p>Contoh, Senin (3/3/2025) - Siswa"
    b" menanam pohon di halaman sekolah bersama guru.</p></div></body></html>",
    b"<html><head><base href='http://169.254.169.254/'><meta http-equiv='refresh' content='0;url=http://10.0.0.1/'>"
    b"<title><script>alert(1)</script></title></head><body><a href='javascript:alert(1)'>x</a>"
    b"<img src='data:image/png;base64,AAAA'><article><h1>Judul</h1><p>20/05/2025 16:45 - Admin</p></article>",
    b'<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2025-06-05T07:00:00+07:00"}'
    b"</script><div><div><div><p>Balikpapan, Jum\xe2\x80\x99at 31 Januari 2025 \xe2\x80\x93 isi</p>",
]


def corpus_seeds(limit: int = 40) -> list[bytes]:
    """HTML pages of the shared corpus, cut to MAX_LEN, when the corpus is there."""
    seeds: list[bytes] = []
    for warc in sorted((REPO.parent / "shared" / "corpus").glob("*/*.warc.gz")):
        for response in iter_html_responses(warc):
            seeds.append(response.body[:MAX_LEN])
            if len(seeds) >= limit:
                return seeds
    return seeds


def test_one_input(data: bytes) -> None:
    page = extract_page(data, URL, tz="Asia/Makassar")
    if page.article is None and not page.reason:
        raise AssertionError("a page with neither an article nor a reason")
    if any(urlsplit(link.url).scheme not in ("http", "https") or not urlsplit(link.url).netloc for link in page.links):
        raise AssertionError(f"a link that is not http(s) with a host: {page.links}")
    if page.article is not None and not (page.article.title and page.article.body):
        raise AssertionError("an article without title or body")


if __name__ == "__main__":
    run(__doc__, test_one_input, SEEDS + corpus_seeds(), max_len=MAX_LEN, per_input_seconds=10)
