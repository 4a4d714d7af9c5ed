"""The `warta` command line: a thin click group over the library functions."""

from __future__ import annotations

import sys

import click

from archive.errors import ArchiveUserError
from scraper import __version__
from scraper.config import ConfigError

USER_ERRORS = (ConfigError, ArchiveUserError)


class WartaGroup(click.Group):
    """Turns user mistakes into one line on stderr and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except USER_ERRORS as exc:
            click.echo(f"warta: error: {exc}", err=True)
            sys.exit(2)


@click.group(cls=WartaGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="warta")
def cli() -> None:
    """warta: a searchable archive of the news Indonesian schools publish on their websites."""


@cli.command()
@click.option("--config", "config_path", default="config.toml", show_default=True,
              type=click.Path(dir_okay=False), help="The config file.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="Archive file (default: [archive] path).")
@click.option("--site", "site_names", multiple=True, help="Crawl only this site (name or host); repeatable.")
def crawl(config_path: str, db_path: str | None, site_names: tuple[str, ...]) -> None:
    """Crawl the configured sites into the archive."""
    from scraper.config import load_config

    config = load_config(config_path)
    config.select_sites(site_names)
    click.echo("warta crawl: not implemented yet (the crawler issue adds it)", err=True)
    sys.exit(1)


@cli.command("parse-date")
@click.option("--tz", default="Asia/Jakarta", show_default=True,
              help="Zone of dates that name none (IANA name); WIB/WITA/WIT or offsets in the text win.")
@click.option("--ref", help="Reference date or datetime (ISO 8601) for year-less and relative dates.")
@click.argument("texts", metavar="TEXT...", nargs=-1, required=True)
def parse_date_command(tz: str, ref: str | None, texts: tuple[str, ...]) -> None:
    """Normalize dates: one JSON line {text, date, datetime} per TEXT; `-` reads one input per stdin line."""
    from scraper.dates import parse_ref, resolve_zone, write_json_lines

    def flag_value(flag: str, convert, value):
        try:
            return convert(value)
        except ValueError as exc:
            click.echo(f"warta: error: {flag}: {exc}", err=True)
            sys.exit(2)

    zone = flag_value("--tz", resolve_zone, tz)
    reference = flag_value("--ref", parse_ref, ref) if ref is not None else None
    sys.stdin.reconfigure(errors="replace")

    def inputs():
        for text in texts:
            if text == "-":
                yield from (line.rstrip("\r\n") for line in sys.stdin)
            else:
                yield text

    write_json_lines(inputs(), sys.stdout, zone, reference, flush_each=sys.stdout.isatty())


from archive.cli import register as register_archive_commands  # noqa: E402
from archive.serve import serve  # noqa: E402  (the archive's commands are defined beside their library code)

cli.add_command(serve)
register_archive_commands(cli)
