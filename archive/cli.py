"""The archive's commands (`warta import`, `export`, `search`, `stats`): parse flags, call the library, print."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from archive.errors import ArchiveUserError
from archive.filters import Filters
from archive.records import EXPORT_FIELDS, EXPORT_FORMATS

# The storage, search and stemming modules (sqlite-utils, Sastrawi) are imported inside the commands that use
# them: every `warta` command, `warta parse-date` and `warta extract` included, would otherwise pay ~100 ms for them.

DEFAULT_DB = "archive.db"
SEARCH_FORMATS = ("table", "json", "jsonl", "csv")

db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                         type=click.Path(dir_okay=False), help="The archive file.")


SCHOOL_OPTIONS = [
    click.option("--level", help="Only articles of schools of this level (SMK, SMA, SMP, SD, MA, ...)."),
    click.option("--ownership", type=click.Choice(("negeri", "swasta"), case_sensitive=False),
                 help="Only articles of public (negeri) or private (swasta) schools."),
    click.option("--province", help="Only articles of schools in this province (e.g. 'Kalimantan Timur')."),
    click.option("--regency", help="Only articles of schools in this kabupaten/kota (e.g. 'Kota Balikpapan')."),
]


def filter_options(command):
    """The --site/--category/--since/--until/--topic and school identity flags that search and export share."""
    return _with_options([
        click.option("--site", help="Only articles of this site (host, e.g. smkn7balikpapan.sch.id)."),
        click.option("--category", help="Only articles in this category (exact, as the site displays it)."),
        click.option("--since", help="Only articles published on or after this day (YYYY-MM-DD)."),
        click.option("--until", help="Only articles published on or before this day (YYYY-MM-DD)."),
        click.option("--topic", "topics", multiple=True,
                     help="Only articles about this topic (a TOPICS.md id, e.g. ppdb); repeat for any of several."),
        *SCHOOL_OPTIONS,
    ], command)


def _with_options(options, command):
    for option in reversed(options):
        command = option(command)
    return command


def require_file(db_path: str | Path) -> None:
    """Raise ArchiveUserError unless the archive file exists: reading commands never create an empty one."""
    if not Path(db_path).is_file():
        raise ArchiveUserError(f"archive not found: {db_path} (--db); run `warta crawl` or `warta import` first")


def open_existing(db_path: str):
    """The archive at `db_path`; reading commands refuse to create an empty one by mistake."""
    require_file(db_path)
    from archive.db import open_archive

    return open_archive(db_path)


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@db_option
def import_command(file: str, db_path: str) -> None:
    """Import Article JSON lines (e.g. from `warta extract`, or `-` for stdin) into the archive."""
    from archive.db import open_archive
    from archive.exchange import import_jsonl

    result = import_jsonl(open_archive(db_path), file)
    for error in result.errors:
        click.echo(f"warta import: {error}", err=True)
    click.echo(f"{file}: {result.new} new, {result.updated} updated, {result.unchanged} unchanged, "
               f"{len(result.errors)} rejected", err=True)
    if result.errors:
        sys.exit(1)


@click.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl", show_default=True,
              help="JSON lines (one article a line) or CSV.")
@filter_options
@click.option("--panel", type=click.Choice(("month", "year")),
              help="Instead of articles, a CSV of story counts per school, period and topic (for statistics).")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8", lazy=True), default="-",
              help="Write to this file instead of standard output.")
def export_command(db_path: str, fmt: str, site, category, since, until, topics, panel, output,
                   **school) -> None:
    """Export articles as Article JSON lines (re-importable) or CSV, or a panel of counts (--panel)."""
    filters = Filters(site=site, category=category, since=since, until=until, topics=topics, **school)
    db = open_existing(db_path)
    if panel:
        from archive.panel import write_panel

        count, what = write_panel(db, output, panel, filters), "panel rows"
    else:
        from archive.exchange import export_articles

        count, what = export_articles(db, output, fmt=fmt, filters=filters), "articles"
    if output is not sys.stdout:
        click.echo(f"{count} {what} written to {output.name}", err=True)


@click.command("search")
@click.argument("query")
@db_option
@filter_options
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="At most this many.")
@click.option("--format", "fmt", type=click.Choice(SEARCH_FORMATS), default="table", show_default=True,
              help="A table for reading, or the results as data.")
@click.option("--exact", is_flag=True, help="Match words exactly as typed (default: by Indonesian stem).")
@click.option("--collapse-stories", is_flag=True,
              help="One hit per story: an article several schools posted (or one posted twice) is listed once.")
def search_command(query: str, db_path: str, site, category, since, until, topics, limit: int, fmt: str,
                   exact: bool, collapse_stories: bool, **school) -> None:
    """Full-text search, best matches first: words, "exact phrases", prefix*, OR, NOT."""
    from archive.exchange import write_records
    from archive.search import search

    results = search(open_existing(db_path), query, site=site, category=category, since=since, until=until,
                     limit=limit, stem=not exact, topics=topics, collapse_stories=collapse_stories, **school)
    if fmt == "table":
        _print_results_table(results)
    elif fmt == "json":
        click.echo(json.dumps([_result_record(row) for row in results], ensure_ascii=False, indent=2))
    else:
        write_records((_result_record(row) for row in results), sys.stdout, fmt=fmt)  # jsonl or csv


def _result_record(row: dict[str, Any]) -> dict[str, Any]:
    return {"rank": round(row["rank"], 4), **{name: row[name] for name in EXPORT_FIELDS}, "snippet": row["snippet"]}


def _print_results_table(results: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table("#", "published", "site", "title", "snippet", show_lines=True)
    for number, row in enumerate(results, start=1):
        table.add_row(str(number), row["published_date"] or "", Text(row["site"]), Text(row["title"]),
                      Text(row["snippet"]))
    console = Console(soft_wrap=False)
    console.print(table)
    console.print(f"{len(results)} results", style="dim")


def _school_options(command):
    return _with_options(SCHOOL_OPTIONS, command)


@click.command("explain")
@click.argument("url")
@db_option
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="Plain text for reading, or JSON.")
def explain_command(url: str, db_path: str, fmt: str) -> None:
    """Why an archived article has its topics, organisations and story."""
    from archive.research import explain

    found = explain(open_existing(db_path), url)
    if found is None:
        raise ArchiveUserError(f"{url}: not in the archive {db_path} (give the article's canonical URL)")
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    click.echo(f"{found['title']}\n{url}")
    for item in found["evidence"]:
        click.echo(f"topic {item['topic']} (score {item['score']}): title {', '.join(item['title_cues']) or '-'};"
                   f" text {', '.join(item['text_cues']) or '-'}")
    if not found["evidence"]:
        click.echo("topics: none (no topic's cues reach the threshold)")
    for organisation in found["organisations"]:
        click.echo(f"organisation {organisation['name']} ({organisation['kind']})")
    click.echo(f"story {found['story_id']}: {len(found['same_story'])} other article(s)")
    for member in found["same_story"]:
        click.echo(f"  {member}")
    click.echo(f"rules: {found['rules']}")


@click.command("stats")
@db_option
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="Plain text for reading, or JSON.")
@_school_options
def stats_command(db_path: str, fmt: str, **school) -> None:
    """Articles per site and year, where dates came from, last crawls, sites by state, and silent sites."""
    from archive.stats import archive_stats

    stats = archive_stats(open_existing(db_path), filters=Filters(**school))
    if fmt == "json":
        click.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    _print_stats(stats)


def _print_stats(stats: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    console.print(f"{stats['articles']} articles ({stats['undated']} undated), "
                  f"{stats['versions']} earlier versions, {len(stats['sites'])} sites")
    sites = Table("site", "articles", "first published", "last published", "last crawled", "silent", "state",
                  title="Per site")
    for site in stats["sites"]:
        sites.add_row(Text(site["site"]), str(site["articles"]), site["first_published"] or "",
                      site["last_published"] or "", site["last_crawled"] or "", "yes" if site["silent"] else "",
                      site["state"] or "")
    years = Table("year", "articles", title="Per year")
    for year in stats["years"]:
        years.add_row(str(year["year"] or "undated"), str(year["articles"]))
    sources = Table("date source", "articles", title="Where publication dates came from")
    for source in stats["date_sources"]:
        sources.add_row(source["published_source"] or "none", str(source["articles"]))
    states = Table("state", "sites", "hosts", title="Sites by state after the last crawl")
    for state in stats["states"]:
        hosts = ", ".join(state["hosts"][:5]) + (f" … and {len(state['hosts']) - 5} more"
                                                 if len(state["hosts"]) > 5 else "")
        states.add_row(state["state"], str(state["sites"]), Text(hosts))
    for table in (sites, years, sources, states):
        console.print(table)
    run = stats["last_crawl"]
    if run:
        console.print(f"last crawl: run {run['id']} {run['status']}, started {run['started_at']}, "
                      f"finished {run['finished_at'] or '-'}, {run['new_articles']} new articles")
    silent = stats["silent_sites"]
    console.print(f"silent for {stats['silent_after_days']} days before {stats['today']}: "
                  + (", ".join(silent) if silent else "none"))


def register(group: click.Group) -> None:
    """Add the archive's commands to the `warta` group."""
    from archive.sites_cli import sites_group

    for command in (import_command, export_command, search_command, explain_command, stats_command, sites_group):
        group.add_command(command)
