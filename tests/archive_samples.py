"""Small Article records and corpus loading shared by the archive tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CORPUS_TRUTH_FOLDERS = ("seeds", "wordpress", "sekolahku")


def make_article(number: int = 1, **fields: Any) -> dict[str, Any]:
    """A valid Article record; `fields` override the defaults."""
    record = {
        "url": f"https://smkn7balikpapan.sch.id/?p={number}",
        "site": "smkn7balikpapan.sch.id",
        "title": f"Kunjungan industri {number}",
        "published": "2025-01-31T09:15:00+08:00",
        "published_source": "jsonld",
        "published_text": "2025-01-31T09:15:00+08:00",
        "modified": None,
        "categories": ["Berita", "Hubungan Industri"],
        "tags": ["mou"],
        "author": "Humas",
        "body": f"Siswa berkunjung ke PT Maju Jaya {number}.\n\nKedua pihak menandatangani kerja sama industri.",
        "language": "id",
        "cms": "wordpress",
        "source_url": f"https://smkn7balikpapan.sch.id/?p={number}",
        "fetched_at": "2025-02-01T00:00:00+00:00",
    }
    record.update(fields)
    return record


def corpus_articles(corpus: Path) -> list[dict[str, Any]]:
    """Every article of the corpus ground truth (seeds, wordpress, sekolahku) as Article records."""
    records = []
    for folder in CORPUS_TRUTH_FOLDERS:
        with open(corpus / folder / "truth.jsonl", encoding="utf-8") as lines:
            records.extend(json.loads(line) for line in lines if line.strip())
    return records
