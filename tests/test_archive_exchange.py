"""Import, export, stats and the archive's commands as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from archive_samples import corpus_articles, make_article
from click.testing import CliRunner

from archive.db import open_archive
from archive.exchange import export_articles, import_jsonl
from archive.filters import Filters
from archive.stats import archive_stats
from archive.store import save_articles
from scraper.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"
ARCHIVE_COMMANDS = ("import", "export", "search", "stats")


def rows(db):
    return list(db.query("SELECT * FROM articles ORDER BY url"))


def test_export_then_import_into_an_empty_archive_gives_identical_rows(corpus, tmp_path):
    source = open_archive(tmp_path / "source.db")
    source["sites"].insert({"host": "smk-karyateknik-bpn.test", "region": "Kalimantan Timur"})
    source.conn.commit()
    save_articles(source, corpus_articles(corpus), seen_at="2025-06-01T00:00:00+00:00")
    save_articles(source, [make_article(1, author=None, published=None, categories=[], title="Judul “kutip”")])
    exported = tmp_path / "export.jsonl"
    with open(exported, "w", encoding="utf-8") as out:
        assert export_articles(source, out) == source["articles"].count

    copy = open_archive(tmp_path / "copy.db")
    result = import_jsonl(copy, exported)
    assert (result.new, result.errors) == (source["articles"].count, [])
    assert rows(copy) == rows(source)
    assert import_jsonl(copy, exported).unchanged == source["articles"].count


def test_csv_export_has_one_row_per_article_with_lists_as_json(tmp_path):
    db = open_archive(tmp_path / "a.db")
    save_articles(db, [make_article(1), make_article(2, site="other.sch.id", body="baris satu\n\nbaris, dua")])
    out = io.StringIO()
    assert export_articles(db, out, fmt="csv", filters=Filters(site="other.sch.id")) == 1
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert json.loads(row["categories"]) == ["Berita", "Hubungan Industri"]
    assert row["body"] == "baris satu\n\nbaris, dua"


def test_import_reports_bad_lines_by_file_and_line_and_keeps_the_rest(tmp_path):
    source = tmp_path / "articles.jsonl"
    source.write_bytes(b"\n".join([
        json.dumps(make_article(1)).encode(),
        b'{"url": "https://x.sch.id/1", "title": ',
        json.dumps(make_article(2, body=None)).encode(),
        b"\xff\xfe not utf-8",
        b"",
        json.dumps(make_article(3)).encode(),
    ]) + b"\n")
    result = import_jsonl(open_archive(tmp_path / "a.db"), source)
    assert result.new == 2
    assert result.errors == [
        f"{source}:2: not valid JSON (Expecting value at column 40)",
        f"{source}:3: field 'body' is missing",
        f"{source}:4: not UTF-8 text (invalid start byte)",
    ]


def test_stats_count_sites_years_sources_and_silent_sites(tmp_path):
    db = open_archive(tmp_path / "a.db")
    db["sites"].insert_all([{"host": "smkn7balikpapan.sch.id", "last_crawled": "2025-06-01T00:00:00+00:00"},
                            {"host": "quiet.sch.id"}])
    db.conn.commit()
    save_articles(db, [make_article(1), make_article(2, published="2024-05-01", published_source="label"),
                       make_article(3, published=None, published_source=None)])
    stats = archive_stats(db, today=date(2025, 3, 1))
    assert stats["articles"] == 3 and stats["undated"] == 1
    assert {row["year"]: row["articles"] for row in stats["years"]} == {None: 1, 2024: 1, 2025: 1}
    assert {row["published_source"]: row["articles"] for row in stats["date_sources"]} == {
        "jsonld": 1, "label": 1, None: 1}
    (busy,) = [site for site in stats["sites"] if site["site"] == "smkn7balikpapan.sch.id"]
    assert (busy["articles"], busy["last_published"], busy["last_crawled"]) == (
        3, "2025-01-31", "2025-06-01T00:00:00+00:00")
    assert stats["silent_sites"] == ["quiet.sch.id"]
    assert archive_stats(db, today=date(2025, 6, 1))["silent_sites"] == ["smkn7balikpapan.sch.id", "quiet.sch.id"]


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def imported(runner, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(make_article(number)) + "\n" for number in range(3)), encoding="utf-8")
    db_path = tmp_path / "a.db"
    result = runner.invoke(cli, ["import", str(source), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "3 new, 0 updated, 0 unchanged, 0 rejected" in result.output
    return db_path


def test_search_command_formats(runner, imported):
    table = runner.invoke(cli, ["search", "kunjungan", "--db", str(imported), "--limit", "2"])
    assert table.exit_code == 0 and "2 results" in table.output and "[berkunjung]" in table.output
    lines = runner.invoke(cli, ["search", "menandatangani", "--db", str(imported), "--format", "jsonl"]).output
    records = [json.loads(line) for line in lines.splitlines()]
    assert len(records) == 3 and records[0]["categories"] == ["Berita", "Hubungan Industri"]
    exact = runner.invoke(cli, ["search", "penandatanganan", "--db", str(imported), "--exact", "--format", "json"])
    assert json.loads(exact.output) == []
    table_csv = runner.invoke(cli, ["search", "industri", "--db", str(imported), "--format", "csv"]).output
    assert len(list(csv.DictReader(io.StringIO(table_csv)))) == 3


def test_export_and_stats_commands(runner, imported, tmp_path):
    output = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["export", "--db", str(imported), "--since", "2025-01-31", "--output", str(output)])
    assert result.exit_code == 0 and len(output.read_text().splitlines()) == 3
    stats = runner.invoke(cli, ["stats", "--db", str(imported), "--format", "json"])
    assert json.loads(stats.output)["articles"] == 3
    assert "3 articles" in runner.invoke(cli, ["stats", "--db", str(imported)]).output


@pytest.mark.parametrize(("args", "message"), [
    (["search", "lomba", "--db", "missing.db"], "archive not found: missing.db (--db)"),
    (["export", "--db", "missing.db"], "archive not found: missing.db (--db)"),
    (["stats", "--db", "missing.db"], "archive not found: missing.db (--db)"),
    (["import", "missing.jsonl", "--db", "new.db"], "missing.jsonl: no such file"),
    (["search", '"lomba', "--db", "{db}"], "unbalanced double quote"),
    (["search", "lomba", "--db", "{db}", "--since", "31-01-2025"], "--since: '31-01-2025' is not a date"),
    (["export", "--db", "{db}", "--until", "2025-02-30"], "--until: '2025-02-30' is not a date"),
])
def test_user_mistakes_are_one_line_and_exit_2(runner, imported, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, [arg.format(db=imported) for arg in args])
    assert result.exit_code == 2
    assert result.output.strip() == f"warta: error: {result.output.strip().split('error: ', 1)[1]}"
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_import_with_bad_lines_exits_1_and_names_them(runner, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(make_article(1)) + "\n[1, 2]\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(source), "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 1
    assert f"{source}:2: expected a JSON object, got list" in result.output


@pytest.mark.parametrize("command", ARCHIVE_COMMANDS)
def test_every_archive_command_is_documented_in_readme(command):
    assert f"warta {command}" in README.read_text(encoding="utf-8")
