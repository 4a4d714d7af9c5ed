"""A small archive for the Datasette tests, built with the archive's own functions (never a hand-made schema)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from archive_samples import make_article

from archive.crawl_state import upsert_site
from archive.db import open_archive
from archive.store import save_articles

BPN = "smkn7balikpapan.sch.id"
BJM = "smkn5bjm.sch.id"
SMD = "smkn1samarinda.sch.id"  # published nothing for two years: the quiet school
HOSTILE_TITLE = '<script>alert("warta")</script> Kunjungan <b>Industri</b>'


def _days_ago(days: int) -> str:
    # The "no new article in 90 days" query compares with today, so the sample's dates move with the clock.
    return (date.today() - timedelta(days=days)).isoformat()


def _article(site: str, path: str, title: str, body: str, published: str, categories: list[str], cms: str,
             **extra: str) -> dict:
    url = f"https://{site}{path}"
    return make_article(url=url, site=site, title=title, body=body, published=published, published_source="label",
                        published_text=published, categories=categories, tags=[], cms=cms, source_url=url) | extra


ARTICLES = [
    _article(BPN, "/2025/mou-pama/", "Penandatanganan MoU SMKN 7 Balikpapan dengan PT. Pama Persada Nusantara",
             "Kepala sekolah menandatangani nota kesepahaman tentang praktik kerja lapangan.\n\n"
             "Kerja sama ini membuka tempat PKL bagi siswa.", _days_ago(10), ["Berita", "Hubungan Industri"],
             "wordpress"),
    _article(BPN, "/2025/lks/", "Siswa Juara Lomba LKS Tingkat Provinsi",
             "Tiga siswa meraih juara pada lomba kompetensi siswa.", _days_ago(40), ["Prestasi"], "wordpress"),
    _article(BJM, "/read/198/ppdb", "Informasi PPDB Tahun Pelajaran 2025/2026",
             "Pendaftaran peserta didik baru dibuka. Formulir ditandatangani orang tua.", _days_ago(20),
             ["Pengumuman"], "sekolahku"),
    _article(BJM, "/read/199/kunjungan", HOSTILE_TITLE, "Siswa berkunjung ke bengkel mitra.", _days_ago(30),
             [], "sekolahku", source_url="javascript:alert(1)"),
    _article(SMD, "/2023/kerjasama-polnes/", "Bekerja Sama dengan Politeknik Negeri Samarinda",
             "Sekolah dan politeknik menandatangani perjanjian kerja sama.", "2023-03-01", ["Berita"], "generic"),
]
SITES = [
    {"host": BPN, "name": "SMK Negeri 7 Balikpapan", "url": f"https://{BPN}/", "timezone": "Asia/Makassar",
     "region": "Kalimantan Timur", "cms": "wordpress"},
    {"host": BJM, "name": "SMK Negeri 5 Banjarmasin", "url": f"https://{BJM}/", "timezone": "Asia/Makassar",
     "region": "Kalimantan Selatan", "cms": "sekolahku"},
    {"host": SMD, "name": "SMK Negeri 1 Samarinda", "url": f"https://{SMD}/", "timezone": "Asia/Makassar",
     "region": "Kalimantan Timur", "cms": "generic"},
]


def make_sample_archive(path: Path) -> Path:
    """Create the sample archive at `path` (sites first, so articles take their region) and return the path."""
    db = open_archive(path)
    for site in SITES:
        upsert_site(db, site, "2025-07-01T00:00:00+00:00")
    result = save_articles(db, ARTICLES)
    assert result.new == len(ARTICLES), result.errors
    db.close()
    return path
