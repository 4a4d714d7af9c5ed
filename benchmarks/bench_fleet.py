"""A crawl over a fleet of synthetic school sites on one machine (issue 13): wall time, pages/s, peak RSS, the
per-host politeness, and how long dead and slow hosts held one of the `hosts_in_parallel` slots.

The fleet (tests/servers/fleet.py) runs in its own process on 127.0.0.1 and answers for every host by name,
reached as the crawler's HTTP proxy. Most hosts are healthy (robots.txt, sitemap, home page, posts); some are
dead (a 127.0.0.x address nobody listens on: connection refused, reached directly through NO_PROXY), some never
answer (read timeout), some answer slowly. The crawl runs in this process, so its peak RSS is the crawler's.

    .venv/bin/python benchmarks/bench_fleet.py [--hosts 1000] [--parallel 200] [--posts 5] [--delay 0.2]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from servers.fleet import FleetServer, Response  # noqa: E402

from scraper.config import ArchiveConfig, Config, CrawlConfig, SiteConfig  # noqa: E402
from scraper.crawl import run as crawl_run  # noqa: E402

SENTENCES = ("Siswa melaksanakan praktik kerja lapangan di industri mitra sekolah selama tiga bulan.",
             "Kepala sekolah menandatangani nota kesepahaman dengan perusahaan untuk kelas industri.",
             "Para guru mendampingi siswa selama kegiatan berlangsung di bengkel praktik sekolah.")
SHARES = {"dead": 0.05, "hanging": 0.03, "slow": 0.05}     # of the hosts; the rest are healthy
SLOW_SECONDS = 0.5
TIMEOUT, CONNECT_TIMEOUT = 5.0, 2.0


def kind_of(number: int, hosts: int) -> str:
    """Which kind host `number` is: spread evenly over the fleet, so every stretch of the crawl meets them."""
    position = (number * 7919) % hosts / hosts
    edge = 0.0
    for kind, share in SHARES.items():
        edge += share
        if position < edge:
            return kind
    return "healthy"


def school_site(host: str, posts: int) -> dict[str, Response]:
    """A healthy school site: robots.txt naming its sitemap, a home page linking every post, the posts."""
    pages = {"/robots.txt": Response(body=f"User-agent: *\nDisallow: /wp-admin/\nSitemap: http://{host}/sitemap.xml\n"
                                     .encode(), content_type="text/plain")}
    links, urls = [], []
    for n in range(posts):
        slug = f"berita/kegiatan-sekolah-{n}/"
        title = f"Kegiatan Sekolah Nomor {n} di {host.split('.')[0]}"
        day = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T08:00:00+07:00"
        body = "".join(f"<p>{' '.join(SENTENCES[(n + k) % 3] for k in range(3))} Berita {n}.</p>" for _ in range(4))
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                         "datePublished": day})
        pages["/" + slug] = Response(body=(
            f"<!DOCTYPE html><html lang=id><head><meta charset=utf-8><title>{title}</title>"
            f"<script type=application/ld+json>{ld}</script></head><body><header><a href='/'>Beranda</a></header>"
            f"<article><h1>{title}</h1><time class='entry-date published' datetime='{day}'>{day[:10]}</time>"
            f"<div class=entry-content>{body}</div></article></body></html>").encode())
        links.append(f"<li><h2><a href='http://{host}/{slug}'>{title}</a></h2></li>")
        urls.append(f"<url><loc>http://{host}/{slug}</loc><lastmod>{day[:10]}</lastmod></url>")
    pages["/"] = Response(body=(f"<!DOCTYPE html><html lang=id><head><meta charset=utf-8><title>{host}</title></head>"
                                f"<body><h1>{host}</h1><ul>{''.join(links)}</ul></body></html>").encode())
    pages["/sitemap.xml"] = Response(body=(
        "<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        + "".join(urls) + "</urlset>").encode(), content_type="application/xml")
    return pages


def serve(hosts: int, posts: int, log_path: Path) -> None:
    """The fleet process: serve until stdin closes, then write the request log to `log_path`."""
    names = {number: f"sekolah-{number:04d}.test" for number in range(hosts)}
    sites = {name: school_site(name, posts) for number, name in names.items() if kind_of(number, hosts) != "dead"}
    hanging = frozenset(name for number, name in names.items() if kind_of(number, hosts) == "hanging")
    slow = {name: SLOW_SECONDS for number, name in names.items() if kind_of(number, hosts) == "slow"}
    with FleetServer(sites, hanging=hanging, slow=slow, hang_seconds=TIMEOUT * 20) as fleet:
        print(fleet.url, flush=True)
        sys.stdin.read()
        log_path.write_text(json.dumps(fleet.log.requests))


def fleet_sites(hosts: int) -> tuple[list[SiteConfig], dict[str, str]]:
    """The crawl's sites and the kind of each host (dead hosts at 127.0.0.x ports nobody listens on)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    sites, kinds = [], {}
    for number in range(hosts):
        kind = kind_of(number, hosts)
        host = f"127.0.{1 + number // 250}.{1 + number % 250}" if kind == "dead" else f"sekolah-{number:04d}.test"
        sites.append(SiteConfig(name=f"Sekolah {number}", url=f"http://{host}:{closed}/" if kind == "dead"
                                else f"http://{host}/", timezone="Asia/Makassar"))
        kinds[host] = kind
    return sites, kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=1000)
    parser.add_argument("--parallel", type=int, default=200)
    parser.add_argument("--posts", type=int, default=5)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--serve", nargs=2, metavar=("HOSTS", "LOG"), help=argparse.SUPPRESS)
    parser.add_argument("--server-posts", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(int(args.serve[0]), args.server_posts, Path(args.serve[1]))
        return
    with tempfile.TemporaryDirectory() as directory:
        run_bench(args, Path(directory))


def run_bench(args: argparse.Namespace, directory: Path) -> None:
    log_path = directory / "fleet-log.json"
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(args.hosts), str(log_path),
                               "--server-posts", str(args.posts)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    proxy = server.stdout.readline().strip()
    sites, kinds = fleet_sites(args.hosts)
    os.environ.update(HTTP_PROXY=proxy, NO_PROXY=",".join(h for h, k in kinds.items() if k == "dead"))
    for name in ("HTTPS_PROXY", "ALL_PROXY", "https_proxy", "all_proxy", "http_proxy", "no_proxy"):
        os.environ.pop(name, None)
    config = Config(path=directory / "config.toml",
                    archive=ArchiveConfig(directory / "archive.db", directory / "captures"),
                    crawl=CrawlConfig(delay=args.delay, hosts_in_parallel=args.parallel, timeout=TIMEOUT,
                                      connect_timeout=CONNECT_TIMEOUT, retries=1),
                    sites=tuple(sites))
    held: dict[str, float] = {}
    plain_crawl_site = crawl_run.crawl_site

    async def timed_crawl_site(crawler) -> None:        # how long each host holds its slot
        started = time.monotonic()
        await plain_crawl_site(crawler)
        held[crawler.site.host] = time.monotonic() - started

    crawl_run.crawl_site = timed_crawl_site
    logging.disable(logging.WARNING)        # the dead and silent hosts' warnings are the point, not news
    started = time.monotonic()
    report = crawl_run.run_crawl(config)
    wall = time.monotonic() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    server.stdin.close()
    server.wait(timeout=60)
    fleet = resource.getrusage(resource.RUSAGE_CHILDREN)
    print_figures(args, report, wall, own.ru_maxrss / 1024, held, kinds, json.loads(log_path.read_text()), directory)
    print(f"CPU: crawler {own.ru_utime + own.ru_stime:.0f} s, fleet server {fleet.ru_utime + fleet.ru_stime:.0f} s "
          f"in {wall:.0f} s of wall time (load average {os.getloadavg()[0]:.1f} at the end)")


def print_figures(args, report, wall: float, peak_mb: float, held: dict[str, float], kinds: dict[str, str],
                  log: list, directory: Path) -> None:
    totals = report.totals()
    with sqlite3.connect(directory / "archive.db") as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        states = dict(conn.execute("SELECT state, count(*) FROM sites GROUP BY state"))
    arrivals: dict[str, list[float]] = defaultdict(list)
    for host, _path, at in log:
        arrivals[host].append(at)
    gaps = [later - earlier for times in arrivals.values() for earlier, later in zip(times, times[1:], strict=False)]
    mix = ", ".join(f"{sum(k == kind for k in kinds.values())} {kind}" for kind in ("healthy", *SHARES))
    print(f"fleet: {args.hosts} hosts ({mix}), hosts_in_parallel {args.parallel}, "
          f"delay {args.delay} s, timeout {TIMEOUT:g} s (connect {CONNECT_TIMEOUT:g} s)")
    print(f"wall {wall:.1f} s, {totals['pages_fetched']} pages fetched = {totals['pages_fetched'] / wall:.0f} pages/s, "
          f"{articles} articles stored, peak RSS {peak_mb:.0f} MB")
    print(f"politeness: {len(gaps)} gaps between requests to one host, shortest {min(gaps):.3f} s "
          f"(delay {args.delay} s), {sum(g < args.delay - 0.01 for g in gaps)} shorter than the delay")
    for kind in ("healthy", *SHARES):
        seconds = [held[host] for host, k in kinds.items() if k == kind and host in held]
        if seconds:
            print(f"{kind:>8} hosts held a slot: median {statistics.median(seconds):.2f} s, "
                  f"max {max(seconds):.2f} s, total {sum(seconds):.0f} slot-seconds")
    print("site states:", ", ".join(f"{state}: {count}" for state, count in sorted(states.items())))


if __name__ == "__main__":
    main()
