"""The `warta` command line: a thin click group over the library functions."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from scraper import __version__


class FlagError(ValueError):
    """A flag's value is wrong; the message starts with the flag's name."""


def user_errors() -> tuple[type[ValueError], ...]:
    """The errors that are the user's mistake (imported here, not at start-up: `warta extract` needs neither)."""
    from archive.errors import ArchiveUserError
    from scraper.config import ConfigError

    return ConfigError, ArchiveUserError, FlagError


def checked_by(name: str, *, keep_text: bool = False):
    """An option callback: the value through `scraper.dates.<name>` (the text itself with `keep_text`), a
    ValueError becoming a one-line FlagError."""

    def check(ctx: click.Context, param: click.Parameter, value):
        if value is None:
            return None
        from scraper import dates

        try:
            converted = getattr(dates, name)(value)
        except ValueError as exc:
            raise FlagError(f"{param.opts[0]}: {exc}") from None
        return value if keep_text else converted

    return check


class WartaGroup(click.Group):
    """Turns user mistakes into one line on stderr and exit code 2, never a traceback.

    The commands defined beside their library code (the archive's, `serve`, the distributed crawl's) are added by
    `add_elsewhere` when `commands` is first read (help, an unknown name, the docs): running a command of this
    module, `warta extract` above all, does not import their modules (~40 ms of start-up).
    """

    add_elsewhere: Callable[[click.Group], None] | None = None

    @property
    def commands(self) -> dict[str, click.Command]:
        if self.add_elsewhere is not None:
            add, self.add_elsewhere = self.add_elsewhere, None
            add(self)
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._commands = value

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._commands.get(cmd_name) or super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ValueError as exc:
            if not isinstance(exc, user_errors()):
                raise
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
@click.option("--broker", help="Crawl on `warta worker`s through this Redis broker, `warta writer` storing the "
              "results (default: [distributed] broker).")
def crawl(config_path: str, db_path: str | None, site_names: tuple[str, ...], broker: str | None) -> None:
    """Crawl the configured and the registered sites into the archive (exit 1 if some sites or pages failed)."""
    from scraper.config import ConfigError, load_config
    from scraper.crawl.lock import CrawlLockedError
    from scraper.crawl.progress import crawl_progress
    from scraper.crawl.registry import with_registered_sites
    from scraper.crawl.run import run_crawl

    config = with_registered_sites(load_config(config_path), db_path)
    sites = config.select_sites(site_names)
    if not sites:
        raise ConfigError(f"{config.path}: no [[site]] to crawl and no site registered (warta sites import)")
    broker = broker or config.distributed.broker
    if broker and db_path:
        raise ConfigError("--db: in a distributed crawl the writer owns the archive (warta writer --db PATH)")
    try:
        with crawl_progress(len(sites)) as on_progress:
            if broker:
                from scraper.distributed.coordinator import run_distributed_crawl

                report = run_distributed_crawl(config, broker=broker, site_names=site_names,
                                               on_progress=on_progress)
            else:
                report = run_crawl(config, db_path=db_path, site_names=site_names, on_progress=on_progress)
    except CrawlLockedError as exc:
        click.echo(f"warta: {exc}", err=True)
        sys.exit(1)
    click.echo(report.text())
    sys.exit(0 if report.ok else 1)


@cli.command()
@click.option("--dir", "directory", default="demo", show_default=True, type=click.Path(file_okay=False),
              help="Where the demo archive and captures go.")
def demo(directory: str) -> None:
    """Serve the bundled sample school sites on 127.0.0.1, crawl them into DIR/archive.db (offline)."""
    from pathlib import Path

    from scraper.crawl.progress import crawl_progress
    from scraper.demo import load_demo_sites, run_demo

    with crawl_progress(len(load_demo_sites())) as on_progress:
        report = run_demo(Path(directory), on_progress=on_progress)
    click.echo(report.text())
    click.echo(f"\nBrowse it: warta serve --db {Path(directory) / 'archive.db'}")
    sys.exit(0 if report.ok else 1)


@cli.command("parse-date")
@click.option("--tz", "zone", default="Asia/Jakarta", show_default=True, callback=checked_by("resolve_zone"),
              help="Zone of dates that name none (IANA name); WIB/WITA/WIT or offsets in the text win.")
@click.option("--ref", "reference", callback=checked_by("parse_ref"),
              help="Reference date or datetime (ISO 8601) for year-less and relative dates.")
@click.argument("texts", metavar="TEXT...", nargs=-1, required=True)
def parse_date_command(zone, reference, texts: tuple[str, ...]) -> None:
    """Normalize dates: one JSON line {text, date, datetime} per TEXT; `-` reads one input per stdin line."""
    import os

    from scraper.dates import write_json_lines

    def inputs():
        for text in texts:
            if text == "-":
                stdin = click.get_text_stream("stdin", encoding="utf-8", errors="replace")
                yield from (line.rstrip("\r\n") for line in stdin)
            else:
                yield text

    # JSON text is UTF-8 (RFC 8259) whatever the locale says; undecodable bytes in arguments are replaced.
    sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    try:
        write_json_lines(inputs(), sys.stdout, zone, reference, flush_each=sys.stdout.isatty())
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left early (`| head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
        sys.exit(1)


@cli.command("extract")
@click.option("--url", help="URL of the page in an .html file (default: its canonical link, else a file: URL).")
@click.option("--tz", default="Asia/Jakarta", show_default=True, callback=checked_by("resolve_zone", keep_text=True),
              help="The site's time zone (IANA name).")
@click.option("--all", "include_all", is_flag=True,
              help="Also print non-articles as {url, source_url, article: false, reason, title, body} "
                   "(title and body: the main text read; null when the page was refused before reading it).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Files extracted at once, in worker processes (default: the cores this process may use).")
@click.argument("paths", metavar="PATH...", nargs=-1, required=True)
def extract_command(url: str | None, tz: str, include_all: bool, jobs: int | None, paths: tuple[str, ...]) -> None:
    """Extract articles from .html files and .warc/.warc.gz recordings as JSON lines."""
    import json

    from scraper.extract_files import ExtractInputError, check_paths, default_jobs, extract_paths

    try:
        files = check_paths(paths)
    except ExtractInputError as exc:
        raise FlagError(str(exc)) from None
    sys.stdout.reconfigure(encoding="utf-8")  # JSON text is UTF-8 (RFC 8259) whatever the locale says
    failed = False
    for outcome in extract_paths(files, url=url, tz=tz, include_all=include_all, jobs=jobs or default_jobs()):
        if outcome.error:
            failed = True
            click.echo(f"warta extract: {outcome.error}", err=True)
        elif outcome.record is not None:
            sys.stdout.write(json.dumps(outcome.record, ensure_ascii=False) + "\n")
    sys.exit(1 if failed else 0)


def add_commands_defined_elsewhere(group: click.Group) -> None:
    """The archive's commands (defined beside their library code) and the distributed crawl's."""
    from archive.cli import register as register_archive_commands
    from archive.serve import serve
    from scraper.distributed.cli import worker, writer  # imports Celery only when run

    group.add_command(serve)
    group.add_command(worker)
    group.add_command(writer)
    register_archive_commands(group)


cli.add_elsewhere = add_commands_defined_elsewhere
