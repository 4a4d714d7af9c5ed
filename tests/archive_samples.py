"""Small Article records and corpus loading shared by the archive tests."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
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


def write_many_articles(path: Path, count: int) -> None:
    """`count` Article JSON lines of ~700 bytes each: an import of them takes a few seconds."""
    with open(path, "w", encoding="utf-8") as out:
        for number in range(count):
            out.write(json.dumps(make_article(number, body="Pembelajaran dan pelatihan siswa. " * 20)) + "\n")


def import_command(source: Path, db_path: Path) -> list[str]:
    """`warta import source --db db_path` as a command line of this Python."""
    return [sys.executable, "-c", "from scraper.cli import cli; cli()", "import", str(source), "--db", str(db_path)]


def wait_for_articles(db_path: Path, count: int, *, seconds: float = 120) -> None:
    """Return once the archive holds at least `count` articles (committed), or after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with sqlite3.connect(db_path) as probe:
            if probe.execute("SELECT count(*) FROM articles").fetchone()[0] >= count:
                return
        time.sleep(0.05)


def start_import(source: Path, db_path: Path) -> subprocess.Popen[bytes]:
    """`warta import` started in its own process, its output discarded."""
    return subprocess.Popen(import_command(source, db_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
