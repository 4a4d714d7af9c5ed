"""`warta extract` as users run it: a real subprocess over a seed file, a WARC, and bad input."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scraper import extract_files
from scraper.extract import language

WARTA = Path(sys.executable).with_name("warta")
SEED = "seeds/smkn7balikpapan-p591.html"
_FILE_IN_WORKER = extract_files._file_in_worker


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    if not WARTA.exists():
        pytest.skip(f"{WARTA} not installed (make install)")
    return subprocess.run([str(WARTA), "extract", *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def lines(result: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_seed_file_uses_its_canonical_link(corpus):
    result = run("--tz", "Asia/Makassar", str(corpus / SEED))
    assert result.returncode == 0, result.stderr
    [record] = lines(result)
    assert record["url"] == "https://smkn7balikpapan.sch.id/?p=591"
    assert record["source_url"].startswith("file:")
    assert record["published"] == "2025-01-31" and record["published_source"] == "dateline"
    assert "Jum’at" in result.stdout  # ensure_ascii=False: the text as written


def test_url_flag_names_the_page(corpus):
    result = run("--url", "https://smkn7balikpapan.sch.id/?p=591", str(corpus / SEED))
    [record] = lines(result)
    assert record["source_url"] == "https://smkn7balikpapan.sch.id/?p=591"
    assert record["site"] == "smkn7balikpapan.sch.id"


def test_warc_every_html_page_with_all(corpus):
    warc = corpus / "sekolahku" / "smkn3-tanjungharapan.test.warc.gz"
    articles = lines(run("--tz", "Asia/Makassar", str(warc)))
    everything = lines(run("--tz", "Asia/Makassar", "--all", str(warc)))
    assert len(articles) == 24
    assert all(record["fetched_at"] and record["cms"] == "sekolahku" for record in articles)
    non_articles = [record for record in everything if record.get("article") is False]
    assert len(everything) == len(articles) + len(non_articles) > 90
    assert all(list(record) == ["url", "source_url", "article", "reason", "title", "body"] for record in non_articles)
    profile = next(r for r in non_articles if r["source_url"].endswith("/read/2/profil"))
    assert profile["reason"] == "static page"


def test_missing_file_is_one_line_and_exit_2(tmp_path):
    result = run(str(tmp_path / "nope.html"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "nope.html" in result.stderr
    assert "Traceback" not in result.stderr


def test_unsupported_file_and_bad_zone_exit_2(tmp_path, corpus):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    assert run(str(notes)).returncode == 2
    result = run("--tz", "Mars/Olympus", str(corpus / SEED))
    assert result.returncode == 2 and "--tz" in result.stderr and result.stdout == ""


def test_a_broken_warc_is_reported_and_the_others_still_run(tmp_path, corpus):
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(gzip.compress(b"not a recording\n"))
    seed = tmp_path / "seed.html"
    shutil.copyfile(corpus / SEED, seed)
    result = run(str(broken), str(seed))
    assert result.returncode == 1
    assert "broken.warc.gz" in result.stderr and "Traceback" not in result.stderr
    assert len(lines(result)) == 1


def test_a_saved_page_without_canonical_link_is_judged_by_its_content(corpus):
    result = run("--tz", "Asia/Makassar", str(corpus / "seeds" / "smkn5bjm-read-198.html"))
    [record] = lines(result)
    assert record["url"].startswith("file:") and record["cms"] == "sekolahku"
    assert record["published"] == "2025-06-23T09:12:00+08:00"


def test_a_truncated_warc_yields_its_whole_pages_and_reports_the_cut_one(tmp_path, corpus):
    warc = corpus / "sekolahku" / "smkn3-tanjungharapan.test.warc.gz"
    cut = tmp_path / "killed-mid-write.warc.gz"
    cut.write_bytes(warc.read_bytes()[: warc.stat().st_size * 2 // 3])     # a crawl killed while writing
    whole = {record["url"]: record for record in lines(run("--tz", "Asia/Makassar", "--all", str(warc)))}
    result = run("--tz", "Asia/Makassar", "--all", str(cut))
    assert result.returncode == 1
    assert "killed-mid-write.warc.gz: unreadable WARC (the record of http" in result.stderr
    assert "is truncated" in result.stderr and "Traceback" not in result.stderr
    kept = lines(result)
    assert 10 < len(kept) < len(whole)
    assert all(record == whole[record["url"]] for record in kept)     # no partial page among them


def _several_files(tmp_path: Path, corpus: Path) -> list[Path]:
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(gzip.compress(b"not a recording\n"))
    seed = tmp_path / "seed.html"
    shutil.copyfile(corpus / SEED, seed)
    warcs = sorted(corpus.glob("*/*.warc.gz"))[:3]
    return [warcs[0], broken, seed, *warcs[1:], warcs[0]]


def test_jobs_give_the_same_lines_in_the_same_order_as_one_process(tmp_path, corpus):
    paths = [str(path) for path in _several_files(tmp_path, corpus)]
    alone = run("--all", "--jobs", "1", *paths)
    together = run("--all", "--jobs", "3", *paths)
    assert alone.returncode == together.returncode == 1          # the broken file, reported by both
    assert together.stdout == alone.stdout and len(lines(alone)) > 300
    assert together.stderr == alone.stderr and "broken.warc.gz" in together.stderr


def _dies_on_broken_files(path: Path) -> list:
    """A worker that dies on the file named broken (as a worker killed by the OOM killer would)."""
    if path.name.startswith("broken"):
        os._exit(9)
    return _FILE_IN_WORKER(path)


def _reads_no_model(path: Path) -> list:
    """A worker's outcomes, and an error when the worker read the language model for them."""
    outcomes = _FILE_IN_WORKER(path)
    if language._model is not None:
        return [*outcomes, extract_files.Outcome(error=f"{path}: the worker read the language model")]
    return outcomes


def test_a_parallel_run_of_pages_cld2_is_sure_of_never_reads_the_language_model(tmp_path, corpus, monkeypatch):
    # (reading it before the fork cost every parallel run ~120 M instructions of serial work)
    monkeypatch.setattr(language, "_model", None)
    monkeypatch.setattr(extract_files, "_file_in_worker", _reads_no_model)
    paths = sorted(corpus.glob("*/*.warc.gz"))[:2]
    outcomes = list(extract_files.extract_paths(paths, include_all=True, jobs=2))
    assert [outcome.error for outcome in outcomes if outcome.error] == []
    assert {outcome.record.get("language") for outcome in outcomes} >= {"id"}
    assert language._model is None


def test_a_worker_that_dies_costs_its_file_and_the_others_are_extracted(tmp_path, corpus, monkeypatch):
    paths = _several_files(tmp_path, corpus)
    monkeypatch.setattr(extract_files, "_file_in_worker", _dies_on_broken_files)
    outcomes = list(extract_files.extract_paths(paths, include_all=True, jobs=2))
    errors = [outcome.error for outcome in outcomes if outcome.error]
    assert errors == [f"{paths[1]}: the extraction worker died"]
    expected = [outcome.record for outcome in extract_files.extract_paths(paths, include_all=True)
                if outcome.record is not None]
    assert [outcome.record for outcome in outcomes if outcome.record is not None] == expected
