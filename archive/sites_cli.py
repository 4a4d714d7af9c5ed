"""`warta sites import` and `warta sites list`: the official school registry (DESIGN §12), thin over
`archive.schools`."""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

import click

from archive.cli import db_option, open_existing
from archive.states import SITE_STATES

SITE_FORMATS = ("table", "json", "csv")


@click.group("sites")
def sites_group() -> None:
    """The schools' sites: import official school lists, list sites with their identity and state."""


@sites_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
def import_command(file: str, db_path: str) -> None:
    """Import an official school list (CSV or JSON lines: Dapodik, Kemenag, a province's spreadsheet)."""
    from archive.db import open_archive
    from archive.schools import import_schools

    result = import_schools(open_archive(db_path), file)
    for message in result.rejected + result.shared:
        click.echo(f"warta sites import: {message}", err=True)
    click.echo(f"{file}: {result.rows} rows: {result.new} new, {result.updated} updated, {result.unchanged} "
               f"unchanged, {len(result.rejected)} rejected, {len(result.shared)} sharing a website", err=True)


@sites_group.command("list")
@db_option
@click.option("--state", type=click.Choice(SITE_STATES), help="Only sites in this state after the last crawl.")
@click.option("--format", "fmt", type=click.Choice(SITE_FORMATS), default="table", show_default=True,
              help="A table for reading, or the rows as data.")
def list_command(db_path: str, state: str | None, fmt: str) -> None:
    """The sites with their school identity and the state the last crawl found."""
    from archive.schools import LIST_COLUMNS, list_sites

    sites = list_sites(open_existing(db_path), state=state)
    if fmt == "json":
        click.echo(json.dumps(sites, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=LIST_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sites)
    else:
        _print_table(sites)


def _print_table(sites: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table("host", "npsn", "name", "level", "status", "province", "regency", "state", "since", "detail")
    for site in sites:
        table.add_row(*(Text(site[name] or "") for name in (
            "host", "npsn", "name", "level", "ownership", "province", "regency", "state", "state_since",
            "state_detail")))
    console = Console(soft_wrap=False)
    console.print(table)
    console.print(f"{len(sites)} sites", style="dim")
