"""`warta worker` and `warta writer`: the two long-running processes of a distributed crawl (README,
"Distributed crawling"). Celery and Redis are imported only when one of them runs."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

import click

from scraper.config import Config, ConfigError, DistributedConfig, load_config


def _settings(ctx: click.Context, config_path: str, broker: str | None) -> tuple[Config | None, str]:
    """The config (None when the default file is absent) and the broker URL, checked."""
    from scraper.distributed.remote_archive import check_broker

    explicit = ctx.get_parameter_source("config_path") is not click.core.ParameterSource.DEFAULT
    config = load_config(config_path) if explicit or Path(config_path).exists() else None
    return config, check_broker(broker or (config.distributed.broker if config else None))


def parse_queues(spec: str | None, count: int) -> list[str]:
    """`--queues` as queue names: `0,3,7` or `warta.q.0,warta.q.3`; all `count` queues when not given."""
    from scraper.distributed.queues import QUEUE_PREFIX, queue_names

    if not spec:
        return queue_names(count)
    names = []
    for item in (part.strip() for part in spec.split(",") if part.strip()):
        name = f"{QUEUE_PREFIX}{item}" if item.isdigit() else item
        if name not in queue_names(count):
            raise ConfigError(f"--queues: no queue {item!r} (queues are 0 … {count - 1}, or warta.q.N)")
        names.append(name)
    return names


CONFIG_OPTION = click.option("--config", "config_path", default="config.toml", show_default=True,
                             type=click.Path(dir_okay=False), help="Config file for [distributed] (if present).")
BROKER_OPTION = click.option("--broker", help="Redis URL, e.g. redis://127.0.0.1:6379/0 (default: [distributed] "
                             "broker).")


@click.command()
@BROKER_OPTION
@CONFIG_OPTION
@click.option("--queues", help="Host queues to consume, e.g. 0,1,2 (default: all [distributed] queues).")
@click.option("--concurrency", default=16, show_default=True, type=click.IntRange(1, 512),
              help="Sites crawled at once by this worker.")
@click.option("--loglevel", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
              help="The least severe log lines the worker prints.")
@click.pass_context
def worker(ctx: click.Context, broker: str | None, config_path: str, queues: str | None, concurrency: int,
           loglevel: str) -> None:
    """Run a Celery worker that crawls the sites of its queues (fetch + extract), sending results to the writer."""
    from scraper.distributed.app import start_worker

    config, broker = _settings(ctx, config_path, broker)
    distributed = config.distributed if config else DistributedConfig()
    start_worker(broker, distributed, queues=parse_queues(queues, distributed.queues), concurrency=concurrency,
                 loglevel=loglevel.upper())


@click.command()
@BROKER_OPTION
@CONFIG_OPTION
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="Archive file (default: [archive] path).")
@click.pass_context
def writer(ctx: click.Context, broker: str | None, config_path: str, db_path: str | None) -> None:
    """Own the archive: apply the workers' results in batched transactions until stopped (SIGTERM, Ctrl-C)."""
    import logging

    from scraper.crawl.lock import CrawlLockedError
    from scraper.distributed.writer import run_writer

    config, broker = _settings(ctx, config_path, broker)
    path = Path(db_path) if db_path else config.archive.path if config else Path("archive.db")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    try:
        run_writer(path, broker, stop=stop)
    except CrawlLockedError as exc:
        click.echo(f"warta: {exc}", err=True)
        sys.exit(1)
